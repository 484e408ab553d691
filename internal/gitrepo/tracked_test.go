package gitrepo

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/gitfixture"
)

// TestTracked: the files in git's index, not the untracked ones; a
// directory that is no work tree tracks nothing to read (nil, no error).
func TestTracked(t *testing.T) {
	root := t.TempDir()
	_, err := gitfixture.Init(root, map[string][]byte{"a/x.yaml": []byte("x: 1\n"), "b.txt": []byte("b\n")}, "init")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(root, "untracked.txt"), []byte("u\n"), 0o644))
	got, err := Tracked(root)
	require.NoError(t, err)
	require.Equal(t, map[string]bool{"a/x.yaml": true, "b.txt": true}, got)

	got, err = Tracked(t.TempDir())
	require.NoError(t, err)
	require.Nil(t, got)

	require.NoError(t, os.WriteFile(filepath.Join(root, ".git", "index"), []byte("garbage"), 0o644))
	_, err = Tracked(root)
	require.ErrorContains(t, err, "read git's index in "+root)
}
