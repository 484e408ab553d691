package gitrepo

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/gitfixture"
	"github.com/confidential-containers/release-tools/internal/run"
	"github.com/confidential-containers/release-tools/internal/slow"
)

// TestGitLocks: with one of git's lock files present (another git command
// running), CheckLocks refuses naming the file and what to do, and Land
// writes nothing: the branch, the index and the lock stay as they were.
func TestGitLocks(t *testing.T) {
	for _, lock := range []string{"index.lock", "refs/heads/main.lock", "HEAD.lock"} {
		t.Run(lock, func(t *testing.T) {
			t.Parallel()
			root := t.TempDir()
			repo, err := gitfixture.Init(root, map[string][]byte{"a.txt": []byte("a\n")}, "init")
			require.NoError(t, err)
			require.NoError(t, CheckLocks(root))
			before, err := repo.Head()
			require.NoError(t, err)
			indexBefore, err := os.ReadFile(filepath.Join(root, ".git", "index"))
			require.NoError(t, err)
			name := filepath.Join(root, ".git", filepath.FromSlash(lock))
			require.NoError(t, os.WriteFile(name, []byte("held\n"), 0o644))

			err = CheckLocks(root)
			require.ErrorIs(t, err, ErrLocked)
			require.ErrorContains(t, err, name+" exists: another git command is running")
			require.ErrorContains(t, err, "wait for it to finish, or, if no git command is running, remove the stale lock (rm "+name+")")

			if lock == "HEAD.lock" {
				return // git commit takes it; Land moves the branch, not HEAD
			}
			c, err := NewCommits(repo, root)
			require.NoError(t, err)
			defer c.Close()
			require.NoError(t, os.WriteFile(filepath.Join(root, "a.txt"), []byte("b\n"), 0o644))
			_, err = c.Commit([]string{"a.txt"}, "m\n", &object.Signature{Name: "n", Email: "e@x", When: time.Now()})
			require.NoError(t, err)
			moved, err := c.Land()
			require.False(t, moved)
			require.ErrorIs(t, err, ErrLocked)
			require.ErrorContains(t, err, name)
			after, err := repo.Head()
			require.NoError(t, err)
			require.Equal(t, before.Hash(), after.Hash())
			indexAfter, err := os.ReadFile(filepath.Join(root, ".git", "index"))
			require.NoError(t, err)
			require.Equal(t, indexBefore, indexAfter)
			held, err := os.ReadFile(name)
			require.NoError(t, err)
			require.Equal(t, "held\n", string(held), "another's lock is never removed")
			require.NoFileExists(t, filepath.Join(root, ".git", "index.lock.lock"))
			if lock != "index.lock" {
				require.NoFileExists(t, filepath.Join(root, ".git", "index.lock"), "our index.lock is given back")
			}
		})
	}
}

// TestReflog: landing commits and undoing them each leave a reflog entry
// for the branch and HEAD, in git's format, so `git reflog` lists them and
// main@{1} names where the branch was.
func TestReflog(t *testing.T) {
	slow.Git(t)
	t.Parallel()
	root := t.TempDir()
	repo, err := gitfixture.Init(root, map[string][]byte{"a.txt": []byte("a\n")}, "init")
	require.NoError(t, err)
	start, err := repo.Head()
	require.NoError(t, err)
	c, err := NewCommits(repo, root)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	sig := &object.Signature{Name: "Rel Eng", Email: "rel@example.com", When: time.Unix(1700000000, 0).In(time.FixedZone("", 3600))}
	require.NoError(t, os.WriteFile(filepath.Join(root, "a.txt"), []byte("b\n"), 0o644))
	_, err = c.Commit([]string{"a.txt"}, "first\n\nbody\n", sig)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(root, "a.txt"), []byte("c\n"), 0o644))
	h, err := c.Commit([]string{"a.txt"}, "second\n", sig)
	require.NoError(t, err)
	_, err = c.Land()
	require.NoError(t, err)

	ctx := context.Background()
	out, err := run.Cmd(ctx, root, nil, "git", "reflog", "--format=%H %gs", "main")
	require.NoError(t, err)
	require.Equal(t, []string{h.String() + " commit (2 commits): first; second"}, strings.Split(strings.TrimSpace(string(out)), "\n"))
	out, err = run.Cmd(ctx, root, nil, "git", "rev-parse", "main@{1}", "HEAD@{1}")
	require.NoError(t, err)
	require.Equal(t, start.Hash().String()+"\n"+start.Hash().String()+"\n", string(out))
	log, err := os.ReadFile(filepath.Join(root, ".git", "logs", "refs", "heads", "main"))
	require.NoError(t, err)
	require.Equal(t, start.Hash().String()+" "+h.String()+" Rel Eng <rel@example.com> 1700000000 +0100\tcommit (2 commits): first; second\n", string(log))

	require.NoError(t, c.Undo(sig))
	out, err = run.Cmd(ctx, root, nil, "git", "reflog", "--format=%H %gs", "HEAD")
	require.NoError(t, err)
	require.Equal(t, start.Hash().String()+" reset: moving to "+start.Hash().String()+"\n"+h.String()+" commit (2 commits): first; second\n", string(out))
	repo, err = git.PlainOpen(root)
	require.NoError(t, err)
	head, err := repo.Head()
	require.NoError(t, err)
	require.Equal(t, start.Hash(), head.Hash())
	_, err = run.Cmd(ctx, root, nil, "git", "fsck", "--strict")
	require.NoError(t, err)
}
