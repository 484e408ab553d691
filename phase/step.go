package phase

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/confidential-containers/release-tools/gomod"
)

// A Step is one step of a phase: an [Edit], a [Check], a [Go] command, a
// [Run] command or a [Commit].
type Step interface {
	// String is the step's line in the plan.
	String() string
	step()
}

// Edit plans file edits on the [Tree]; later steps see them. Its note is
// shown with the step (why it changes nothing, what it left alone). ctx
// bounds any network lookup; say so first with [Tree.Waiting].
type Edit struct {
	Name string
	Plan func(ctx context.Context, t *Tree) (note string, err error)
}

// Check checks, while the phase is planned, what must hold before
// anything is written; it changes no file. It returns what it found, or an
// error wrapping a [*Skipped] when it could not check (the phase goes on
// and says why).
type Check struct {
	Name string
	Run  func(ctx context.Context, t *Tree) (found string, err error)
}

// Go is `go get Module@Query` (when Module is set) or `go mod tidy`, in
// the module directory Dir (relative to the root). The go command is not
// trusted blindly: after it, every require of Keep (module path to
// version, "" for any) must be in the go.mod at that version, and no more than
// [MaxDrops] requires may be gone (see [Options.AllowDrops]).
type Go struct {
	Dir, Module, Query string
	Keep               map[string]string
}

// MaxDrops is how many requires a go command may remove from a go.mod
// before the phase stops, unless [Options.AllowDrops] (the check is
// [gomod.CheckDrops]).
const MaxDrops = gomod.MaxDrops

// ErrDrops is returned, wrapped, when a go command removed more than
// [MaxDrops] requires from a go.mod, or one the step must keep.
var ErrDrops = gomod.ErrDrops

// Commit commits every file the phase changed since its last commit, with
// this message (a Signed-off-by trailer for the author is added).
//
// When the go commands of the steps since the last commit were skipped
// ([Options.SkipGo]), the commit says so: its message is GoSkipped (Message
// when empty), which must not claim what those commands would have done,
// followed by a paragraph that lists the commands to run and how to finish
// the commit.
//
// Trailers ("Key: value" lines) end the message, in the paragraph of the
// Signed-off-by trailer, where git interpret-trailers finds them.
type Commit struct {
	Message   string
	GoSkipped string
	Trailers  []string
}

// message is the commit's message when the go commands skipped were
// skipped (none: Message).
func (c Commit) message(skipped []Go) string {
	msg := c.body(skipped)
	if len(c.Trailers) > 0 {
		msg = strings.TrimRight(msg, "\n") + "\n\n" + strings.Join(c.Trailers, "\n") + "\n"
	}
	return msg
}

// body is the commit's message before its trailers.
func (c Commit) body(skipped []Go) string {
	if len(skipped) == 0 {
		return c.Message
	}
	msg := c.Message
	if c.GoSkipped != "" {
		msg = c.GoSkipped
	}
	var b strings.Builder
	b.WriteString(strings.TrimRight(msg, "\n"))
	b.WriteString("\n\nThe go commands were skipped: this commit lacks what they change. Run them,\nthen amend this commit with the go.mod and go.sum files they change:\n\n")
	for _, g := range skipped {
		b.WriteString("\t" + g.Command() + "\n")
	}
	return b.String()
}

func (e Edit) String() string  { return e.Name }
func (c Check) String() string { return c.Name }
func (c Commit) String() string {
	return fmt.Sprintf("commit %q", firstLine(c.Message))
}
func (g Go) String() string {
	if g.Module != "" {
		return fmt.Sprintf("go get %s@%s (in %s)", g.Module, g.Query, g.Dir)
	}
	return "go mod tidy (in " + g.Dir + ")"
}

// Command is the go command line g runs, from the repository's root:
// "go -C src/x get example.com/m@v1.2.3" or "go -C src/x mod tidy".
func (g Go) Command() string {
	if g.Module != "" {
		return "go -C " + g.Dir + " get " + g.Module + "@" + g.Query
	}
	return "go -C " + g.Dir + " mod tidy"
}

func (Edit) step()   {}
func (Check) step()  {}
func (Go) step()     {}
func (Commit) step() {}

// Skipped is a check that could not be made, and why: an unreachable
// repository. The phase reports it and goes on.
type Skipped struct{ Reason string }

func (s *Skipped) Error() string { return "skipped: " + s.Reason }

// Skip returns a [*Skipped] error with the reason.
func Skip(reason string) error { return &Skipped{Reason: reason} }

func skipped(err error) (string, bool) {
	var s *Skipped
	if errors.As(err, &s) {
		return s.Reason, true
	}
	return "", false
}
