package gomod_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/gomod"
	"github.com/confidential-containers/release-tools/internal/fsutil"
)

// TestRequireFileTooLarge: a go.mod over the editors' 4 MiB limit is
// refused before it is parsed, and left as it is; a missing one names
// the file.
func TestRequireFileTooLarge(t *testing.T) {
	file := filepath.Join(t.TempDir(), "go.mod")
	src := head + "require example.com/b v1.0.0\n" + strings.Repeat("// padding\n", fsutil.MaxSize/11+1)
	require.NoError(t, os.WriteFile(file, []byte(src), 0o644))
	err := gomod.Require(file, "example.com/b", "v1.1.0")
	var se *fsutil.SizeError
	require.ErrorAs(t, err, &se)
	require.ErrorContains(t, err, "gomod: read "+file+": ")
	got, err := os.ReadFile(file)
	require.NoError(t, err)
	require.Equal(t, src, string(got))

	require.ErrorContains(t, gomod.Require(filepath.Join(t.TempDir(), "go.mod"), "example.com/b", "v1.1.0"), "gomod: open ")
}
