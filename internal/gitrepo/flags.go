package gitrepo

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// ErrFlagged is returned, wrapped in a [*FlaggedError], when a file a
// phase writes is marked skip-worktree or assume-unchanged in git's index.
var ErrFlagged = errors.New("marked in git's index to hide its changes")

// Flagged is a file marked in the index so that git status does not show
// its local changes.
type Flagged struct {
	Path string
	Flag string // "skip-worktree" or "assume-unchanged"
}

// FlaggedError lists files, marked skip-worktree or assume-unchanged, that
// a phase would write: git shows none of their local changes, so a phase
// that committed them would commit those changes unseen. It wraps
// [ErrFlagged].
type FlaggedError struct {
	Files []Flagged
}

func (e *FlaggedError) Error() string {
	var list []string
	for _, f := range e.Files {
		list = append(list, fmt.Sprintf("%s is marked %s", f.Path, f.Flag))
	}
	return fmt.Sprintf("%s: git status shows none of their local changes, and a commit would take them along: clear the flags (%s), check git status, and run again",
		strings.Join(list, ", "), e.Command())
}

func (e *FlaggedError) Unwrap() error { return ErrFlagged }

// Command is the git command (one per flag, joined by "; ") that clears
// the flags.
func (e *FlaggedError) Command() string {
	var cmds []string
	for _, flag := range []string{"skip-worktree", "assume-unchanged"} {
		var paths []string
		for _, f := range e.Files {
			if f.Flag == flag {
				paths = append(paths, f.Path)
			}
		}
		if len(paths) > 0 {
			cmds = append(cmds, "git update-index --no-"+flag+" "+strings.Join(paths, " "))
		}
	}
	return strings.Join(cmds, "; ")
}

// CheckFlags refuses, with a [*FlaggedError], to write paths (slash
// separated, relative to root) that the index marks skip-worktree or
// assume-unchanged (`git ls-files -v` shows them as S or in lower case). It
// writes nothing.
func CheckFlags(root string, paths []string) error {
	e := &FlaggedError{}
	for _, b := range batches(paths) {
		out, err := gitIn(root, nil, append([]string{"--literal-pathspecs", "ls-files", "-v", "-z", "--"}, b...)...)
		if err != nil {
			return fmt.Errorf("git ls-files: %w", err)
		}
		for _, entry := range bytes.Split(out, []byte{0}) {
			if len(entry) < 3 {
				continue
			}
			tag, p := rune(entry[0]), string(entry[2:])
			if tag == 'S' || tag == 's' {
				e.Files = append(e.Files, Flagged{Path: p, Flag: "skip-worktree"})
			}
			if unicode.IsLower(tag) {
				e.Files = append(e.Files, Flagged{Path: p, Flag: "assume-unchanged"})
			}
		}
	}
	if len(e.Files) == 0 {
		return nil
	}
	return e
}
