package release

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestOneOpener: outside package gitrepo and tests, gitrepo.Open is called
// in New alone (the repository being released, opened once there and
// handed to everyone), and in gitremote.OpenLocal (a local remote: another
// repository).
func TestOneOpener(t *testing.T) {
	var got []string
	fset := token.NewFileSet()
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".") && path != "..") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") || filepath.Base(filepath.Dir(path)) == "gitrepo" {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok {
				continue
			}
			ast.Inspect(fn, func(n ast.Node) bool {
				sel, ok := n.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				if id, isID := sel.X.(*ast.Ident); isID && id.Name == "gitrepo" && sel.Sel.Name == "Open" {
					got = append(got, filepath.ToSlash(path)+" "+fn.Name.Name)
				}
				return true
			})
		}
		return nil
	})
	require.NoError(t, err)
	require.ElementsMatch(t, []string{"../release/repo.go New", "../internal/gitremote/remote.go OpenLocal"}, got,
		"the repository is opened once, by release.New: take its handle (Repo.Git, Repo.Repository) instead of opening it again")
}
