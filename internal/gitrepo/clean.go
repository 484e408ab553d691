package gitrepo

import (
	"bytes"
	"fmt"
	"sort"

	git "github.com/go-git/go-git/v5"
)

// CheckClean refuses a work tree with changes to tracked files, staged or
// not, with a [*DirtyError]: exactly what `git status` reports, so line
// endings, clean filters (git-lfs) and the user's configuration count as
// they do for git. Untracked files are fine: a phase never commits them.
// A file marked skip-worktree or assume-unchanged is one git status does
// not look at: see [CheckFlags]. It writes nothing (not even the stat
// refresh git status would).
func CheckClean(repo *git.Repository, root string) error {
	out, err := gitIn(root, nil, "--no-optional-locks", "status", "--porcelain=v1", "-z", "--untracked-files=no", "--no-renames")
	if err != nil {
		return fmt.Errorf("git status: %w", err)
	}
	e := &DirtyError{}
	for _, entry := range bytes.Split(out, []byte{0}) {
		if len(entry) < 4 {
			continue
		}
		// "XY path": X is the index against HEAD, Y the work tree
		// against the index.
		e.Files = append(e.Files, string(entry[3:]))
		e.Staged = e.Staged || entry[0] != ' '
	}
	if len(e.Files) == 0 {
		return nil
	}
	sort.Strings(e.Files)
	return e
}

// Clean reports whether the work tree has no change to a tracked file:
// whether [CheckClean] passes.
func Clean(repo *git.Repository, root string) bool {
	return CheckClean(repo, root) == nil
}
