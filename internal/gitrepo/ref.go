package gitrepo

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// ErrMoved is returned, wrapped, when a branch is no longer at the commit
// it was expected at: something else moved it.
var ErrMoved = errors.New("branch moved")

// moveBranch moves branch from old to new with `git update-ref`, which
// takes the branch's lock file, checks under it that the branch is still
// at old, and appends a reflog entry by who to the branch's log and, when
// HEAD names the branch, to HEAD's. A failure is a [*LockedError] when the
// branch's lock (or packed-refs.lock) is held by another git command, and
// wraps [ErrMoved] when the branch is elsewhere.
func moveBranch(repo *git.Repository, root string, d dirs, branch plumbing.ReferenceName, old, new plumbing.Hash, who *object.Signature, msg string) error {
	_, err := gitIn(root, identity(who), "update-ref", "-m", msg, branch.String(), new.String(), old.String())
	if err == nil {
		return nil
	}
	for _, n := range []string{filepath.Join(d.common, filepath.FromSlash(branch.String())), filepath.Join(d.common, "packed-refs")} {
		if _, serr := os.Lstat(n + ".lock"); serr == nil {
			return &LockedError{File: n + ".lock"}
		}
	}
	if cur, rerr := repo.Storer.Reference(branch); rerr == nil && cur.Hash() != old {
		return fmt.Errorf("%w: %s is at %s, not %s", ErrMoved, branch.Short(), cur.Hash(), old)
	}
	return err
}

// lockIndex takes index.lock, as git does while it writes the index.
func lockIndex(d dirs) (*lockFile, error) {
	return lock(filepath.Join(d.git, "index"))
}

// resetIndex points the entries of paths at their state in commit, as
// `git reset <commit> -- <paths>` does, in the copy of the index held in
// the taken index.lock (git writes index.lock.lock and renames it over),
// and refreshes the entries' file times and sizes, so that git status
// need not hash the files again.
func resetIndex(root string, l *lockFile, commit plumbing.Hash, paths []string) error {
	index, err := filepath.Abs(l.f.Name()) // git runs in root
	if err != nil {
		return err
	}
	env := []string{"GIT_INDEX_FILE=" + index}
	for _, b := range batches(paths) {
		if _, err := gitIn(root, env, append([]string{"--literal-pathspecs", "reset", "-q", commit.String(), "--"}, b...)...); err != nil {
			return err
		}
	}
	return nil
}
