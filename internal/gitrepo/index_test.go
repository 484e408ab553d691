package gitrepo

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/gitfixture"
)

// TestTreeIsGitWriteTree: the tree a commit gets is the one git
// write-tree makes of the phase's index, in git's order (a directory
// sorts as its name with a slash), with executable files, symbolic links,
// new directories and removed files; landing leaves git status clean.
func TestTreeIsGitWriteTree(t *testing.T) {
	t.Parallel()
	root, repo := gitInit(t, map[string]string{
		"a.txt": "a\n", "a/b.txt": "b\n", "a-b/c": "c\n", "a.d/e": "e\n", "a/z/y.txt": "y\n", "old/gone.txt": "g\n",
	})
	require.NoError(t, os.Chmod(filepath.Join(root, "a", "b.txt"), 0o755))
	require.NoError(t, os.Symlink("a.txt", filepath.Join(root, "link")))
	require.NoError(t, os.MkdirAll(filepath.Join(root, "a", "new"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(root, "a", "new", "n.txt"), []byte("n\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(root, "a-b", "c"), []byte("c2\n"), 0o644))
	require.NoError(t, os.RemoveAll(filepath.Join(root, "old")))

	c, err := NewCommits(repo, root)
	require.NoError(t, err)
	defer c.Close()
	sig := &object.Signature{Name: "N", Email: "n@example.com", When: time.Unix(1700000000, 0)}
	h, err := c.Commit([]string{"a/b.txt", "link", "a/new/n.txt", "a-b/c", "old/gone.txt"}, "m\n", sig)
	require.NoError(t, err)
	want := gitEnvOK(t, root, []string{"GIT_INDEX_FILE=" + c.index}, "write-tree")
	require.Equal(t, want, gitfixture.Git(t, root, "rev-parse", h.String()+"^{tree}"))
	got, ok := c.buildTree() // written without git, not left to it
	require.True(t, ok)
	require.Equal(t, want, got.String())
	require.NotNil(t, c.user, "the phase's index is a copy of the clean user's")
	gitfixture.Git(t, root, "fsck", "--strict", "--no-dangling")

	moved, err := c.Land()
	require.NoError(t, err)
	require.True(t, moved)
	require.Empty(t, gitfixture.Git(t, root, "status", "--porcelain", "--untracked-files=no"))
}

// gitEnvOK is gitfixture.Git with env added to the test's environment.
func gitEnvOK(t *testing.T, dir string, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "git %s:\n%s", strings.Join(args, " "), out)
	return strings.TrimSpace(string(out))
}
