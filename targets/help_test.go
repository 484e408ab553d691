package targets

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/magefile/mage/parse"
	"github.com/stretchr/testify/require"
)

// TestHelp: mage -h <target> prints each target's doc comment as written
// (the package is multiline to mage): a short first line, and the
// variables as a list, one per line.
func TestHelp(t *testing.T) {
	info := targetsInfo(t)
	require.True(t, info.Multiline, "the package says mage:multiline")
	require.NotEmpty(t, info.Funcs)
	for _, f := range info.Funcs {
		name := f.TargetName()
		first, rest, _ := strings.Cut(f.Comment, "\n")
		require.LessOrEqual(t, len(first), 80, "%s: first line %q", name, first)
		require.True(t, strings.HasSuffix(first, f.Synopsis), "%s: the first line %q is its mage -l line %q", name, first, f.Synopsis)
		if _, vars, ok := strings.Cut(rest, "Variables:"); ok {
			require.True(t, strings.HasPrefix(vars, "\n  - "), "%s: the variables are a list:%s", name, vars)
		}
	}
}

// TestREADMENamesEveryTarget: the README's table of targets names every
// target (mage -l's names).
func TestREADMENamesEveryTarget(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	require.NoError(t, err)
	info := targetsInfo(t)
	for _, f := range info.Funcs {
		name := strings.ToLower(f.TargetName())
		require.Contains(t, string(readme), "`"+name, "README.md's table of targets lacks %s", name)
	}
}

// targetsInfo is the package's targets as mage reads them.
func targetsInfo(t *testing.T) *parse.PkgInfo {
	t.Helper()
	var files []string
	all, err := filepath.Glob("*.go")
	require.NoError(t, err)
	for _, f := range all {
		if !strings.HasSuffix(f, "_test.go") {
			files = append(files, f)
		}
	}
	dir, err := os.Getwd()
	require.NoError(t, err)
	info, err := parse.Package(dir, files, false)
	require.NoError(t, err)
	return info
}
