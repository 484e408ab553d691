package phase

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/confidential-containers/release-tools/internal/gitrepo"
)

// InterruptedError is a work tree whose only uncommitted changes are to
// files the phase itself writes: most likely a run of it that was killed
// while it applied (it had no chance to put them back). It wraps
// [ErrDirty].
type InterruptedError struct {
	*gitrepo.DirtyError
}

func (e *InterruptedError) Error() string {
	return fmt.Sprintf("%v in %s, files this phase writes: a previous run may have been interrupted; if so, put them back with %s (or git stash), then run again",
		ErrDirty, e.List(), e.Command())
}

func (e *InterruptedError) Unwrap() error { return e.DirtyError }

// Command is the git command that puts the files back as HEAD has them.
func (e *InterruptedError) Command() string {
	checkout := "git checkout -- "
	if e.Staged {
		checkout = "git checkout HEAD -- "
	}
	return checkout + strings.Join(e.Files, " ")
}

// interrupted turns a [*gitrepo.DirtyError] whose files are all files the
// phase writes into an [*InterruptedError]; it returns any other error as
// it is. It plans the phase on the dirty tree, printing nothing, to learn
// which files its edits and go commands write.
func (p *Phase) interrupted(ctx context.Context, err error) error {
	var dirty *gitrepo.DirtyError
	if !errors.As(err, &dirty) {
		return err
	}
	t := NewTree(p.Root)
	t.Git = p.Git
	// A failed plan still says what it touched so far; the go commands
	// write their go.mod and go.sum.
	_, _ = p.plan(ctx, t, io.Discard)
	writes := t.touched
	for _, s := range p.Steps {
		if g, ok := s.(Go); ok {
			writes[path.Join(g.Dir, "go.mod")], writes[path.Join(g.Dir, "go.sum")] = true, true
		}
	}
	for _, f := range dirty.Files {
		if !writes[f] {
			return err
		}
	}
	return &InterruptedError{DirtyError: dirty}
}
