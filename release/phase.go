package release

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/confidential-containers/release-tools/gomod"
)

// Step is one step of a phase: a file edit planned on the [Tree], a go
// command, a commit, or an action (Run) that happens after every check.
type Step struct {
	Name string
	// Edit plans the step's file edits on the tree, and may check what
	// must hold before anything is written. Its note is shown with the step
	// (why it does nothing, what it left alone). ctx bounds any network
	// lookup; say so first with [Tree.Waiting].
	Edit func(ctx context.Context, t *Tree) (note string, err error)
	// Check marks an Edit that only checks: it changes no file, and its
	// note says what it found ("skipped: ..." when it could not check).
	Check bool
	// Go runs the go command in a module (go get, go mod tidy).
	Go *GoCmd
	// Commit commits every file the phase changed since its last commit,
	// with this message.
	Commit string
	// Run is an action that is not a file edit (pushing tags); Describe
	// says what it will do, for the plan.
	Run      func(ctx context.Context, w io.Writer) error
	Describe string
}

// GoCmd is `go get Module@Query` (when Module is set) or `go mod tidy`,
// in the module directory Dir (relative to the root).
type GoCmd struct {
	Dir, Module, Query string
}

func (g GoCmd) String() string {
	if g.Module != "" {
		return fmt.Sprintf("go get %s@%s (in %s)", g.Module, g.Query, g.Dir)
	}
	return "go mod tidy (in " + g.Dir + ")"
}

// Phase is a named, ordered list of steps on a repository.
type Phase struct {
	Name  string
	Root  string
	Steps []Step
}

// Options are how a phase runs.
type Options struct {
	DryRun   bool // plan and print, write nothing
	NoCommit bool // edit, do not commit
	SkipGo   bool // skip go get and go mod tidy
	// Out receives the plan and progress; nil discards them.
	Out io.Writer
	// Go runs the go command; nil means the caller's environment.
	Go *gomod.Runner
}

// StepError is a step that failed while the phase was applied.
type StepError struct {
	Phase, Step string
	Restored    int // files put back to their bytes before the phase
	Err         error
}

func (e *StepError) Error() string {
	return fmt.Sprintf("%s: step %q failed: %v (restored %d files and the branch to where they were before the phase)", e.Phase, e.Step, e.Err, e.Restored)
}

func (e *StepError) Unwrap() error { return e.Err }

// Run plans every step, prints the plan, and (unless DryRun) applies the
// steps in order. Planning reads and checks everything first: the tree
// must be clean and every edit must succeed before anything is written.
// Commit steps build their commits in memory; they land together when
// every step has passed (or before a Run step), and the branch moves once.
// If a step fails while applying, every file the phase touched (and every
// go.mod and go.sum a go command may have changed) is restored to its
// bytes before the phase and the branch stays or is moved back where it
// was; the error is a [*StepError] naming the step.
//
// The commits' objects are written as one packfile. go-git reads a
// repository's list of packfiles once, so a *git.Repository opened before
// Run cannot see the new commits: open it again.
func (p *Phase) Run(ctx context.Context, o Options) error {
	out := o.Out
	if out == nil {
		out = io.Discard
	}
	repo, err := git.PlainOpen(p.Root)
	if err != nil {
		return fmt.Errorf("%s: open the repository at %s: %w", p.Name, p.Root, err)
	}
	if err := checkClean(repo, p.Root); err != nil {
		return fmt.Errorf("%s: %w", p.Name, err)
	}
	planned, err := p.plan(ctx, out)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s: plan\n", p.Name)
	for _, s := range planned {
		s.print(out, o)
	}
	if o.DryRun {
		fmt.Fprintf(out, "%s: dry run, nothing written\n", p.Name)
		return nil
	}
	var sig *object.Signature
	if !o.NoCommit && p.commits() {
		if sig, err = signature(repo, time.Now()); err != nil {
			return fmt.Errorf("%s: %w", p.Name, err)
		}
	}
	return p.apply(ctx, repo, planned, o, sig, out)
}

type plannedStep struct {
	Step
	changes []Change
	note    string
	skip    bool // an edit step with nothing to change
}

// line is the one-line outcome of a check or of an edit with nothing to
// change ("" for other steps): "ok" for a check that passed, "-" for
// anything skipped.
func (s plannedStep) line() string {
	switch {
	case s.Check && !strings.HasPrefix(s.note, "skipped"):
		return fmt.Sprintf("  ok  %s: %s", s.Name, s.note)
	case s.skip:
		note := s.note
		if note == "" {
			note = "nothing to change"
		}
		return fmt.Sprintf("  -   %s: %s", s.Name, note)
	}
	return ""
}

func (s plannedStep) print(w io.Writer, o Options) {
	switch {
	case s.skip:
		fmt.Fprintln(w, s.line())
	case s.Edit != nil:
		fmt.Fprintf(w, "  * %s\n", s.Name)
		if s.note != "" {
			fmt.Fprintf(w, "    (%s)\n", s.note)
		}
		for _, c := range s.changes {
			for _, l := range strings.SplitAfter(strings.TrimRight(c.Diff(), "\n"), "\n") {
				fmt.Fprintf(w, "    %s", l)
			}
			fmt.Fprintln(w)
		}
	case s.Go != nil && o.SkipGo:
		fmt.Fprintf(w, "  -   %s: skipped (SKIP_GO=1)\n", s.Go)
	case s.Go != nil:
		fmt.Fprintf(w, "  * %s\n", s.Go)
	case s.Commit != "" && o.NoCommit:
		fmt.Fprintf(w, "  -   commit: skipped (NO_COMMIT=1)\n")
	case s.Commit != "":
		fmt.Fprintf(w, "  * commit %q\n", firstLine(s.Commit))
	case s.Run != nil:
		fmt.Fprintf(w, "  * %s\n", s.Describe)
	}
}

func (p *Phase) commits() bool {
	for _, s := range p.Steps {
		if s.Commit != "" {
			return true
		}
	}
	return false
}

// plan runs every step's Edit on one tree, so later steps see earlier edits.
func (p *Phase) plan(ctx context.Context, progress io.Writer) ([]plannedStep, error) {
	t := NewTree(p.Root)
	t.progress = progress
	var out []plannedStep
	for _, s := range p.Steps {
		ps := plannedStep{Step: s}
		if s.Edit != nil {
			before := len(t.log)
			note, err := s.Edit(ctx, t)
			if err != nil {
				return nil, fmt.Errorf("%s: %s: %w", p.Name, s.Name, err)
			}
			ps.note, ps.changes = note, t.log[before:]
			ps.skip = len(ps.changes) == 0
		}
		out = append(out, ps)
	}
	return out, nil
}

// apply carries out the planned steps; sig is the author of its commits.
func (p *Phase) apply(ctx context.Context, repo *git.Repository, steps []plannedStep, o Options, sig *object.Signature, out io.Writer) (err error) {
	head, err := repo.Head()
	if err != nil {
		return fmt.Errorf("%s: %w", p.Name, err)
	}
	snap := snapshot{root: p.Root, old: map[string][]byte{}}
	for _, s := range steps {
		for _, c := range s.changes {
			snap.keep(c.Path)
		}
		if s.Go != nil && !o.SkipGo {
			snap.keep(filepath.ToSlash(filepath.Join(s.Go.Dir, "go.mod")))
			snap.keep(filepath.ToSlash(filepath.Join(s.Go.Dir, "go.sum")))
		}
	}
	// The phase's commits are built in memory and land together at the
	// end (or before a Run step): one pack, and the branch moves once.
	var pend *commits
	committed := false
	land := func() error {
		if pend == nil || !pend.pending() {
			return nil
		}
		moved, err := pend.land()
		committed = committed || moved // from here on, a failure moves the branch back
		return err
	}
	current := ""
	defer func() {
		if err == nil {
			return
		}
		n := snap.restore()
		if committed {
			if rerr := resetTo(repo, head.Hash()); rerr != nil {
				err = errors.Join(err, fmt.Errorf("move the branch back to %s: %w", head.Hash(), rerr))
			}
		}
		err = &StepError{Phase: p.Name, Step: current, Restored: n, Err: err}
	}()
	fmt.Fprintf(out, "%s: apply\n", p.Name)
	began := time.Now()
	var nCommits, nSkipped int
	written := map[string]bool{}
	defer func() {
		if err == nil {
			fmt.Fprintf(out, "%s: done in %s: %d files written, %d commits, %d steps skipped\n",
				p.Name, time.Since(began).Round(time.Millisecond), len(written), nCommits, nSkipped)
		}
	}()
	goRunner := o.Go
	if goRunner == nil {
		goRunner = &gomod.Runner{}
	}
	for _, s := range steps {
		current = s.Name
		start := time.Now()
		var did string
		switch {
		case s.Check && !strings.HasPrefix(s.note, "skipped"):
			fmt.Fprintln(out, s.line())
			continue
		case s.skip:
			fmt.Fprintln(out, s.line())
			nSkipped++
			continue
		case s.Edit != nil:
			for _, c := range s.changes {
				if err := c.Apply(p.Root); err != nil {
					return err
				}
				written[c.Path] = true
			}
			did = fmt.Sprintf("%s: wrote %s", s.Name, paths(s.changes))
		case s.Go != nil && o.SkipGo:
			fmt.Fprintf(out, "  -   %s: skipped (SKIP_GO=1)\n", s.Go)
			nSkipped++
			continue
		case s.Go != nil:
			current = s.Go.String()
			fmt.Fprintf(out, "  ... %s (waits on the go command and the network)\n", s.Go)
			dir := filepath.Join(p.Root, filepath.FromSlash(s.Go.Dir))
			if s.Go.Module != "" {
				err = goRunner.Get(ctx, dir, s.Go.Module, s.Go.Query)
			} else {
				err = goRunner.Tidy(ctx, dir)
			}
			if err != nil {
				return err
			}
			did = s.Go.String()
		case s.Commit != "" && o.NoCommit:
			fmt.Fprintf(out, "  -   commit: skipped (NO_COMMIT=1)\n")
			nSkipped++
			continue
		case s.Commit != "":
			current = "commit"
			changed := snap.changed()
			if len(changed) == 0 {
				fmt.Fprintf(out, "  -   commit: skipped (nothing changed)\n")
				continue
			}
			now := *sig
			now.When = time.Now()
			if pend == nil {
				if pend, err = newCommits(repo, p.Root); err != nil {
					return err
				}
			}
			h, err := pend.commit(changed, signOff(s.Commit, &now), &now)
			if err != nil {
				return err
			}
			nCommits++
			for _, c := range changed {
				written[c] = true
			}
			snap.committed(changed)
			did = fmt.Sprintf("commit %s %q", h.String()[:12], firstLine(s.Commit))
		case s.Run != nil:
			if err := land(); err != nil { // what Run does may need the commits
				return err
			}
			if err := s.Run(ctx, out); err != nil {
				return err
			}
			did = s.Describe
		}
		fmt.Fprintf(out, "  ok  %s (%s)\n", did, elapsed(start))
	}
	if pend != nil && pend.pending() {
		current = "land the commits"
		start := time.Now()
		if err := land(); err != nil {
			return err
		}
		n := "the commit"
		if nCommits > 1 {
			n = fmt.Sprintf("the %d commits", nCommits)
		}
		fmt.Fprintf(out, "  ok  wrote %s; %s is at %s (%s)\n", n, pend.branch.Short(), pend.head.String()[:12], elapsed(start))
	}
	return nil
}

// elapsed is the time since start, rounded for a person: 0.4ms, 12ms, 1.2s.
func elapsed(start time.Time) time.Duration {
	d := time.Since(start)
	switch {
	case d < time.Millisecond:
		return d.Round(10 * time.Microsecond)
	case d < time.Second:
		return d.Round(100 * time.Microsecond)
	}
	return d.Round(10 * time.Millisecond)
}

// paths lists the changes' files, the first ten and a count of the rest.
func paths(cs []Change) string {
	var ps []string
	for i, c := range cs {
		if i == 10 {
			ps = append(ps, fmt.Sprintf("and %d more", len(cs)-10))
			break
		}
		ps = append(ps, c.Path)
	}
	return strings.Join(ps, ", ")
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}
