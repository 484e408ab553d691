package versions_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/fsutil"
	"github.com/confidential-containers/release-tools/versions"
)

// TestTooLarge: a file far beyond what a release edits is refused, named
// with its size and the limit, and left as it was; so are bytes.
func TestTooLarge(t *testing.T) {
	src := []byte("git:\n  kbs:\n    reference: v0.1.0\n" + strings.Repeat("# padding\n", 5<<20/10))
	file := filepath.Join(t.TempDir(), "versions.yaml")
	require.NoError(t, os.WriteFile(file, src, 0o644))
	want := fmt.Sprintf("versions: read %s: 5.0 MiB (%d bytes), over the 4 MiB limit for a file to edit", file, len(src))

	_, err := versions.Get(file, "git.kbs.reference")
	require.EqualError(t, err, want)
	var se *fsutil.SizeError
	require.ErrorAs(t, err, &se)
	require.EqualError(t, versions.Set(file, "git.kbs.reference", "v0.2.0"), want)
	_, err = versions.FirstPath(file, "git.kbs.reference")
	require.EqualError(t, err, want)
	got, err := os.ReadFile(file)
	require.NoError(t, err)
	require.Equal(t, src, got)

	_, err = versions.SetBytes(src, "git.kbs.reference", "v0.2.0")
	require.ErrorAs(t, err, &se)
	_, err = versions.GetBytes(src, "git.kbs.reference")
	require.ErrorContains(t, err, "over the 4 MiB limit")
}
