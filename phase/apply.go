package phase

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/confidential-containers/release-tools/gomod"
	"github.com/confidential-containers/release-tools/internal/gitrepo"
	"github.com/confidential-containers/release-tools/internal/snapshot"
)

// applier carries out a planned phase, one step after the other, and
// keeps what the steps share: the files' bytes before the phase, the
// commits not landed yet, and what the summary counts.
type applier struct {
	name, root string
	o          Options
	out        io.Writer
	goRunner   GoRunner
	snap       *snapshot.Snapshot
	pend       *gitrepo.Commits  // takes the commits; nil when the phase commits nothing
	sig        *object.Signature // the commits' author
	current    string            // the step being carried out, for the error
	goSkipped  []Go              // the go commands skipped since the last commit
	landed     bool              // the branch moved: a failure moves it back
	written    map[string]bool
	commits    int
	skipped    int
}

// apply carries out the planned steps; pend takes their commits (nil
// when the phase commits nothing) and sig is their author. A failure or a
// panic puts every file back, and the branch if it moved.
func (p *Phase) apply(ctx context.Context, pend *gitrepo.Commits, steps []plannedStep, o Options, sig *object.Signature, out io.Writer) (err error) {
	a := &applier{name: p.Name, root: p.Root, o: o, out: out, goRunner: o.Go, pend: pend, sig: sig,
		snap: snapshot.New(p.Root), written: map[string]bool{}}
	if a.goRunner == nil {
		a.goRunner = &gomod.Runner{}
	}
	for _, k := range writes(steps, o) {
		if err := a.snap.Keep(k); err != nil {
			return fmt.Errorf("%s: %w", p.Name, err)
		}
	}
	defer func() {
		// A panic is a failure like any other: every file is put back and
		// the branch moved back before it is reported.
		if v := recover(); v != nil {
			err = &PanicError{Value: v, Stack: debug.Stack()}
		}
		if err != nil {
			err = a.fail(err)
		}
	}()
	fmt.Fprintf(out, "%s: apply\n", p.Name)
	began := time.Now()
	for _, s := range steps {
		if err := a.step(ctx, s); err != nil {
			return err
		}
	}
	if err := a.land(ctx); err != nil {
		return err
	}
	fmt.Fprintf(out, "%s: done in %s: %d files written, %d commits, %d steps skipped\n",
		p.Name, time.Since(began).Round(time.Millisecond), len(a.written), a.commits, a.skipped)
	return nil
}

// step carries out one planned step and prints its line.
func (a *applier) step(ctx context.Context, s plannedStep) error {
	a.current = s.String()
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("cancelled: %w", err)
	}
	if l, skipped := s.outcome(a.o); l != "" {
		fmt.Fprintln(a.out, l)
		if skipped {
			a.skipped++
		}
		if g, ok := s.Step.(Go); ok { // a go command has a line only when skipped
			a.goSkipped = append(a.goSkipped, g)
		}
		return nil
	}
	start := time.Now()
	var did string
	var err error
	switch st := s.Step.(type) {
	case Edit:
		did, err = a.edit(st, s.changes)
	case Go:
		did, err = a.goCommand(ctx, st)
	case Commit:
		did, err = a.commit(st)
	case Run:
		fmt.Fprintf(a.o.progress(a.out), "  ... %s (waits on the command)\n", st)
		if err = st.run(ctx, a.root); err == nil {
			did = st.String()
		}
	}
	if err != nil {
		return err
	}
	if did != "" {
		fmt.Fprintf(a.out, "  ok  %s (%s)\n", did, elapsed(start))
	}
	return nil
}

// edit writes an edit's changes.
func (a *applier) edit(e Edit, changes []Change) (did string, err error) {
	var wrote []string
	for _, c := range changes {
		if err := c.Apply(a.root); err != nil {
			return "", err
		}
		a.written[c.Path] = true
		wrote = append(wrote, c.Path)
	}
	return fmt.Sprintf("%s: wrote %s", e.Name, firstTen(wrote)), nil
}

// goCommand runs a go command and checks what it did to the requires.
func (a *applier) goCommand(ctx context.Context, g Go) (did string, err error) {
	fmt.Fprintf(a.o.progress(a.out), "  ... %s (waits on the go command and the network)\n", g)
	before, err := gomod.ReadRequires(a.root, g.Dir)
	if err != nil {
		return "", err
	}
	dir := filepath.Join(a.root, filepath.FromSlash(g.Dir))
	if g.Module != "" {
		err = a.goRunner.Get(ctx, dir, g.Module, g.Query)
	} else {
		err = a.goRunner.Tidy(ctx, dir)
	}
	if err != nil {
		return "", err
	}
	after, err := gomod.ReadRequires(a.root, g.Dir)
	if err != nil {
		return "", err
	}
	return g.String(), gomod.CheckDrops(g.String(), g.Dir, g.Keep, before, after, a.o.AllowDrops)
}

// commit makes the commit of every file changed since the last one, or
// says there is nothing to commit ("" for did, then).
func (a *applier) commit(c Commit) (did string, err error) {
	a.current = "commit"
	msg := c.message(a.goSkipped)
	a.goSkipped = nil
	changed, err := a.snap.Changed()
	if err != nil {
		return "", err
	}
	if len(changed) == 0 {
		fmt.Fprintf(a.out, "  -   commit: skipped (nothing changed)\n")
		return "", nil
	}
	who := a.now()
	h, err := a.pend.Commit(changed, gitrepo.SignOff(msg, who), who)
	if err != nil {
		return "", err
	}
	a.commits++
	for _, c := range changed {
		a.written[c] = true
	}
	if err := a.snap.Committed(changed); err != nil {
		return "", err
	}
	return fmt.Sprintf("commit %s %q", h.String()[:12], firstLine(msg)), nil
}

// land moves the branch to the phase's commits, if it made any.
func (a *applier) land(ctx context.Context) error {
	if a.pend == nil || !a.pend.Pending() {
		return nil
	}
	a.current = "land the commits"
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("cancelled: %w", err)
	}
	start := time.Now()
	moved, err := a.pend.Land()
	a.landed = moved
	if err != nil {
		return err
	}
	n := "the commit"
	if a.commits > 1 {
		n = fmt.Sprintf("the %d commits", a.commits)
	}
	fmt.Fprintf(a.out, "  ok  wrote %s; %s is at %s (%s)\n", n, a.pend.Branch().Short(), a.pend.Head().String()[:12], elapsed(start))
	return nil
}

// RestoreError is a rollback that could not put every file back. Each
// file's bytes from before the phase are saved below Saved.
type RestoreError = snapshot.RestoreError

// fail puts every file back, and the branch once it moved, and returns
// err as a [*StepError] naming the step that failed.
// Files a failing [Run] changed are left as it wrote them, never put back.
func (a *applier) fail(err error) error {
	var kept []string
	if re := (*RunError)(nil); errors.As(err, &re) {
		kept = re.Changed
		a.snap.Leave(kept...)
	}
	restored, rerr := a.snap.Restore()
	if a.landed {
		if berr := a.pend.Undo(a.now()); berr != nil {
			rerr = errors.Join(rerr, fmt.Errorf("move the branch back: %w", berr))
		}
	}
	err = &StepError{Phase: a.name, Step: a.current, Restored: len(restored), RestoredFiles: restored, Kept: kept, Err: err}
	if rerr != nil {
		err = errors.Join(err, rerr)
	}
	return err
}

// now is the commits' author, now.
func (a *applier) now() *object.Signature {
	who := *a.sig
	who.When = time.Now()
	return &who
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

// firstTen lists the first ten names and a count of the rest.
func firstTen(names []string) string {
	if len(names) > 10 {
		names = append(names[:10:10], fmt.Sprintf("and %d more", len(names)-10))
	}
	return strings.Join(names, ", ")
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}
