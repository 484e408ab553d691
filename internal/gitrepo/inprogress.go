package gitrepo

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ErrInProgress is returned, wrapped in an [*InProgressError], when a
// merge, cherry-pick, revert, rebase or am is in progress in the work tree:
// a commit made now would become part of it (the user's next git commit a
// merge commit with the phase's commit as a parent).
var ErrInProgress = errors.New("a git operation is in progress")

// InProgressError names the operation in progress and how to end it.
type InProgressError struct {
	Operation string // "merge", "cherry-pick", "revert", "rebase", "am"
	File      string // the file in the git directory that says so
}

func (e *InProgressError) Error() string {
	return fmt.Sprintf("%s: a %s is in progress (%s): finish it (git %s --continue) or abort it (git %s --abort) first",
		ErrInProgress, e.Operation, e.File, e.Operation, e.Operation)
}

func (e *InProgressError) Unwrap() error { return ErrInProgress }

// CheckInProgress returns an [*InProgressError] when git is in the middle
// of a merge, cherry-pick, revert, rebase or am in the work tree at root,
// as git status reports it.
func CheckInProgress(root string) error {
	d, err := gitDirs(root)
	if err != nil {
		return err
	}
	for _, s := range []struct{ file, op string }{
		{"MERGE_HEAD", "merge"},
		{"CHERRY_PICK_HEAD", "cherry-pick"},
		{"REVERT_HEAD", "revert"},
		{"rebase-merge", "rebase"},
		{"rebase-apply/applying", "am"},
		{"rebase-apply", "rebase"},
		{"sequencer/todo", "cherry-pick"},
	} {
		name := filepath.Join(d.git, filepath.FromSlash(s.file))
		if _, err := os.Lstat(name); err == nil {
			return &InProgressError{Operation: s.op, File: name}
		} else if !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return nil
}
