package targets

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"io/fs"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestLinksNoDemo checks that the frontend a user's magefile imports links
// no fixture, fake, demo or httptest: those belong to this repository's
// own magefile (demo) and to tests.
func TestLinksNoDemo(t *testing.T) {
	t.Parallel()
	out, err := exec.CommandContext(t.Context(), "go", "list", "-deps", "-f", "{{if .Standard}}std{{else}}mod{{end}} {{.ImportPath}}", ".").CombinedOutput()
	require.NoError(t, err, string(out))
	var bad []string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		kind, p, _ := strings.Cut(line, " ")
		if kind == "std" {
			if p == "net/http/httptest" {
				bad = append(bad, p)
			}
			continue
		}
		// go-containerregistry's internal/httptest, goproxytest, caatest,
		// edittest; fixture, fixturemods, gitfixture; ghfake, ocifake; demo.
		if strings.HasSuffix(p, "test") || strings.Contains(p, "fixture") || strings.Contains(p, "fake") || strings.Contains(p, "demo") {
			bad = append(bad, p)
		}
	}
	require.Empty(t, bad, "package targets links what only this repository's demo and tests need")
}

// TestExportsTargetsOnly checks that the package exports its mage targets
// and their namespaces only: mage lists every exported function, and
// another repository imports the package for its targets, not its runner.
func TestExportsTargetsOnly(t *testing.T) {
	t.Parallel()
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, ".", func(fi fs.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, 0)
	require.NoError(t, err)
	var bad []string
	for _, f := range pkgs["targets"].Files {
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if !d.Name.IsExported() {
					continue
				}
				recv := ""
				if d.Recv != nil {
					recv = types.ExprString(d.Recv.List[0].Type)
					if !ast.IsExported(strings.TrimPrefix(recv, "*")) {
						continue // a method of an unexported type
					}
				}
				params := d.Type.Params.List
				target := len(params) > 0 && types.ExprString(params[0].Type) == "context.Context" &&
					d.Type.Results != nil && len(d.Type.Results.List) == 1 && types.ExprString(d.Type.Results.List[0].Type) == "error"
				if !target {
					bad = append(bad, strings.TrimPrefix(recv+"."+d.Name.Name, "."))
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						if s.Name.IsExported() && types.ExprString(s.Type) != "mg.Namespace" {
							bad = append(bad, s.Name.Name)
						}
					case *ast.ValueSpec:
						for _, n := range s.Names {
							if n.IsExported() {
								bad = append(bad, n.Name)
							}
						}
					}
				}
			}
		}
	}
	require.Empty(t, bad, "exported, but neither a target (func(context.Context, ...) error) nor a namespace (mg.Namespace)")
}
