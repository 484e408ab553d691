package gitrepo

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/gitfixture"
	"github.com/confidential-containers/release-tools/internal/slow"
)

// TestClean: the quick check says clean only when go-git's status does,
// and the phase's check refuses every kind of change to a tracked file. Like
// git, it trusts an entry whose size and time match and that is older than
// the index; one as new as the index is hashed.
func TestClean(t *testing.T) {
	slow.Git(t)
	files := map[string][]byte{"a/x.yaml": []byte("x: 1\n"), "b.txt": []byte("b\n")}
	for _, tc := range []struct {
		name  string
		dirty func(t *testing.T, root string, repo *git.Repository)
		clean bool
	}{
		{"untouched", func(*testing.T, string, *git.Repository) {}, true},
		{"untracked file", func(t *testing.T, root string, _ *git.Repository) {
			require.NoError(t, os.WriteFile(filepath.Join(root, "new.txt"), []byte("n\n"), 0o644))
		}, true},
		{"same bytes rewritten", func(t *testing.T, root string, _ *git.Repository) {
			require.NoError(t, os.WriteFile(filepath.Join(root, "b.txt"), []byte("b\n"), 0o644))
		}, true},
		{"modified", func(t *testing.T, root string, _ *git.Repository) {
			require.NoError(t, os.WriteFile(filepath.Join(root, "b.txt"), []byte("c\n"), 0o644))
		}, false},
		// Modified as the index was written: same size, and the time the
		// index has for it is no older than the index ("racily clean").
		{"modified in the index's instant", func(t *testing.T, root string, repo *git.Repository) {
			name := filepath.Join(root, "b.txt")
			require.NoError(t, os.WriteFile(name, []byte("c\n"), 0o644))
			when := time.Now().Add(time.Hour) // not older than the index
			require.NoError(t, os.Chtimes(name, when, when))
			idx, err := repo.Storer.Index()
			require.NoError(t, err)
			e, err := idx.Entry("b.txt")
			require.NoError(t, err)
			e.ModifiedAt = when // the index's size and time match the file's
			require.NoError(t, repo.Storer.SetIndex(idx))
		}, false},
		{"deleted", func(t *testing.T, root string, _ *git.Repository) {
			require.NoError(t, os.Remove(filepath.Join(root, "a", "x.yaml")))
		}, false},
		{"made executable", func(t *testing.T, root string, _ *git.Repository) {
			require.NoError(t, os.Chmod(filepath.Join(root, "b.txt"), 0o755))
		}, false},
		{"staged", func(t *testing.T, root string, repo *git.Repository) {
			require.NoError(t, os.WriteFile(filepath.Join(root, "new.txt"), []byte("n\n"), 0o644))
			wt, err := repo.Worktree()
			require.NoError(t, err)
			_, err = wt.Add("new.txt")
			require.NoError(t, err)
		}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			_, err := gitfixture.Init(root, files, "init")
			require.NoError(t, err)
			time.Sleep(10 * time.Millisecond) // files older than the index, as usual
			repo, err := git.PlainOpen(root)
			require.NoError(t, err)
			tc.dirty(t, root, repo)
			repo, err = git.PlainOpen(root)
			require.NoError(t, err)
			if tc.clean {
				require.True(t, Clean(repo, root))
				require.NoError(t, CheckClean(repo, root))
			} else {
				require.False(t, Clean(repo, root))
				require.ErrorIs(t, CheckClean(repo, root), ErrDirty)
			}
		})
	}
}
