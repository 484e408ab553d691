package gitrepo

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/gitfixture"
	"github.com/confidential-containers/release-tools/internal/run"
	"github.com/confidential-containers/release-tools/internal/slow"
)

// TestWriteCommit: a commit written as one packfile holds a changed file
// and a new one in a new directory, leaves the work tree clean, and is a
// valid git object graph.
func TestWriteCommit(t *testing.T) {
	slow.Git(t)
	root := t.TempDir()
	_, err := gitfixture.Init(root, map[string][]byte{"a/x.yaml": []byte("x: 1\n"), "b.txt": []byte("b\n")}, "init")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(root, "a", "x.yaml"), []byte("x: 2\n"), 0o644))
	require.NoError(t, os.MkdirAll(filepath.Join(root, "c", "d"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(root, "c", "d", "new.txt"), []byte("new\n"), 0o644))

	repo, err := git.PlainOpen(root)
	require.NoError(t, err)
	sig := &object.Signature{Name: "N", Email: "n@example.com", When: time.Unix(1700000000, 0)}
	h, err := writeCommit(repo, root, []string{"a/x.yaml", "c/d/new.txt"}, "msg\n", sig)
	require.NoError(t, err)

	repo, err = git.PlainOpen(root)
	require.NoError(t, err)
	head, err := repo.Head()
	require.NoError(t, err)
	require.Equal(t, h, head.Hash())
	require.Equal(t, "refs/heads/main", head.Name().String())
	c, err := repo.CommitObject(h)
	require.NoError(t, err)
	require.Equal(t, "msg\n", c.Message)
	for name, want := range map[string]string{"a/x.yaml": "x: 2\n", "b.txt": "b\n", "c/d/new.txt": "new\n"} {
		f, err := c.File(name)
		require.NoError(t, err, name)
		got, err := f.Contents()
		require.NoError(t, err)
		require.Equal(t, want, got, name)
	}
	require.NoError(t, CheckClean(repo, root))

	if _, err := exec.LookPath("git"); err == nil {
		_, err := run.Cmd(context.Background(), root, nil, "git", "fsck", "--strict")
		require.NoError(t, err)
	}
}

// TestLandRefusesAMovedBranch: commits land only on the branch head they
// were built on; if it moved meanwhile, nothing moves and the error says so.
func TestLandRefusesAMovedBranch(t *testing.T) {
	slow.Git(t)
	root := t.TempDir()
	g, err := gitfixture.Init(root, map[string][]byte{"a.txt": []byte("a\n")}, "init")
	require.NoError(t, err)
	repo, err := git.PlainOpen(root)
	require.NoError(t, err)
	c, err := NewCommits(repo, root)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	require.NoError(t, os.WriteFile(filepath.Join(root, "a.txt"), []byte("b\n"), 0o644))
	sig := &object.Signature{Name: "N", Email: "n@example.com", When: time.Unix(1700000000, 0)}
	_, err = c.Commit([]string{"a.txt"}, "mine\n", sig)
	require.NoError(t, err)
	theirs, err := gitfixture.Commit(g, map[string][]byte{"other.txt": []byte("o\n")}, "theirs")
	require.NoError(t, err)

	moved, err := c.Land()
	require.False(t, moved)
	require.ErrorContains(t, err, "move main from ")
	head, err := g.Head()
	require.NoError(t, err)
	require.Equal(t, theirs, head.Hash())
}

// writeCommit stages paths (relative to root, slash-separated) and commits
// the index on the current branch, like `git add paths && git commit`.
func writeCommit(repo *git.Repository, root string, paths []string, msg string, sig *object.Signature) (plumbing.Hash, error) {
	c, err := NewCommits(repo, root)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	defer c.Close()
	h, err := c.Commit(paths, msg, sig)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	_, err = c.Land()
	return h, err
}

// TestUndo: putting the branch back after landed commits moves the
// branch and the index to the old commit, leaves the files alone (the
// phase restores those itself), and leaves a reflog entry.
func TestUndo(t *testing.T) {
	slow.Git(t)
	t.Parallel()
	root := t.TempDir()
	repo, err := gitfixture.Init(root, map[string][]byte{"a.txt": []byte("a\n"), "keep.txt": []byte("k\n")}, "init")
	require.NoError(t, err)
	old, err := repo.Head()
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(root, "a.txt"), []byte("b\n"), 0o644))
	sig := &object.Signature{Name: "n", Email: "e@x", When: time.Now()}
	c, err := NewCommits(repo, root)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	h, err := c.Commit([]string{"a.txt"}, "change\n", sig)
	require.NoError(t, err)
	_, err = c.Land()
	require.NoError(t, err)

	require.NoError(t, c.Undo(sig))
	head, err := repo.Head()
	require.NoError(t, err)
	require.Equal(t, old.Hash(), head.Hash())
	require.NotEqual(t, h, head.Hash())
	idx, err := repo.Storer.Index()
	require.NoError(t, err)
	e, err := idx.Entry("a.txt")
	require.NoError(t, err)
	require.Equal(t, plumbing.ComputeHash(plumbing.BlobObject, []byte("a\n")), e.Hash, "the index is back at the old commit")
	require.Len(t, idx.Entries, 2)
	data, err := os.ReadFile(filepath.Join(root, "a.txt"))
	require.NoError(t, err)
	require.Equal(t, "b\n", string(data), "the work tree is left alone")
	require.NoError(t, os.WriteFile(filepath.Join(root, "a.txt"), []byte("a\n"), 0o644))
	require.NoError(t, CheckClean(repo, root))
	require.NoFileExists(t, filepath.Join(root, ".git", "index.lock"))
}

// TestDetached: commits are refused on a detached HEAD.
func TestDetached(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	repo, err := gitfixture.Init(root, map[string][]byte{"a.txt": []byte("a\n")}, "init")
	require.NoError(t, err)
	head, err := repo.Head()
	require.NoError(t, err)
	require.NoError(t, repo.Storer.SetReference(plumbing.NewHashReference(plumbing.HEAD, head.Hash())))
	_, err = NewCommits(repo, root)
	require.ErrorIs(t, err, ErrDetached)
}

// TestRacilyCleanFileCommitted: a file rewritten at its old size with its
// old time, in the second the user's index was written (go get swapping
// one pseudo-version for another), is "racily clean": git hashes it again
// only because the index is not newer than it. The phase's index, a copy
// of the user's, keeps that: the change is committed.
func TestRacilyCleanFileCommitted(t *testing.T) {
	slow.Git(t)
	root := t.TempDir()
	_, err := gitfixture.Init(root, map[string][]byte{"go.mod": []byte("module a v1\n")}, "init")
	require.NoError(t, err)
	gitRun := func(args ...string) {
		t.Helper()
		_, err := run.Git(context.Background(), root, args...)
		require.NoError(t, err)
	}
	name, index := filepath.Join(root, "go.mod"), filepath.Join(root, ".git", "index")
	old := time.Now().Add(-time.Hour).Truncate(time.Second)
	require.NoError(t, os.Chtimes(name, old, old))
	gitRun("config", "core.trustctime", "false") // the rewrite's ctime is now: only mtime and size count
	gitRun("update-index", "--refresh")          // the entry holds the old time; the index is newer

	repo, err := Open(root)
	require.NoError(t, err)
	c, err := NewCommits(repo, root)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	require.NoError(t, c.CheckClean())
	require.NoError(t, os.WriteFile(name, []byte("module a v2\n"), 0o644))
	require.NoError(t, os.Chtimes(name, old, old))
	require.NoError(t, os.Chtimes(index, old, old)) // written in the file's second
	sig := &object.Signature{Name: "N", Email: "n@example.com", When: time.Unix(1700000000, 0)}
	h, err := c.Commit([]string{"go.mod"}, "bump\n", sig)
	require.NoError(t, err)
	commit, err := repo.CommitObject(h)
	require.NoError(t, err)
	f, err := commit.File("go.mod")
	require.NoError(t, err)
	got, err := f.Contents()
	require.NoError(t, err)
	require.Equal(t, "module a v2\n", got)
	require.NoError(t, c.Close())
}
