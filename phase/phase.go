// Package phase runs a phase of a release: an ordered list of steps (file
// edits, checks, go commands, commits) on a git repository, planned in full
// on an in-memory [Tree] (every edit shown as a unified diff) and checked
// before anything is written, then applied. The phase's commits are made by
// git (so filters, line endings and signing are as the user configured
// them), each the previous tree plus exactly the phase's files, and land
// together, the branch moving once; if a step fails, every file the phase
// touched is put back and the branch stays where it was. One run at a time
// writes a repository (.git/release-tools.lock), git's own lock files are
// honoured, branch moves leave reflog entries, and files git does not
// track are never edited or committed.
//
// It knows nothing of what a release changes: the release package builds
// the steps. It prints only to the writer it is given.
package phase

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/confidential-containers/release-tools/gomod"
	"github.com/confidential-containers/release-tools/internal/gitrepo"
)

// ErrDirty is returned, wrapped, when the work tree has uncommitted
// changes to tracked files; ErrDetached when HEAD names no branch;
// ErrLocked when one of git's lock files says another git command is
// writing the repository; ErrMoved when the branch moved while the phase
// ran.
var (
	ErrDirty    = gitrepo.ErrDirty
	ErrDetached = gitrepo.ErrDetached
	ErrLocked   = gitrepo.ErrLocked
	ErrMoved    = gitrepo.ErrMoved
	ErrBusy     = gitrepo.ErrBusy
	// ErrNoCommits: HEAD's branch has no commit yet; ErrBadHead: HEAD
	// cannot be read.
	ErrNoCommits = gitrepo.ErrNoCommits
	ErrBadHead   = gitrepo.ErrBadHead
	// ErrInProgress: a merge, cherry-pick, revert, rebase or am is in
	// progress; a commit now would become part of it.
	ErrInProgress = gitrepo.ErrInProgress
	// ErrFlagged: a file the phase writes is marked skip-worktree or
	// assume-unchanged, so git shows none of its local changes.
	ErrFlagged = gitrepo.ErrFlagged
)

// Phase is a named, ordered list of steps on a repository.
type Phase struct {
	Name  string
	Root  string
	Steps []Step
}

// GoRunner runs the go command in a module directory.
type GoRunner interface {
	Get(ctx context.Context, dir, module, query string) error
	Tidy(ctx context.Context, dir string) error
}

// Options are how a phase runs.
type Options struct {
	DryRun   bool // plan and print, write nothing
	NoCommit bool // edit, do not commit
	SkipGo   bool // skip the go commands
	// AllowDrops lets a go command remove more than [MaxDrops] requires
	// from a go.mod.
	AllowDrops bool
	// Out receives the plan and the outcome of each step; nil discards
	// them.
	Out io.Writer
	// Progress is told when a step starts to wait on the network or the
	// go command ("  ... <step> (waits on the network)"); nil tells Out.
	Progress io.Writer
	// Go runs the go command; nil means a [gomod.Runner] in the caller's
	// environment.
	Go GoRunner
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

// PanicError is a panic in a step while the phase was applied, recovered
// after every file was put back: a bug to report, with its stack.
type PanicError struct {
	Value any
	Stack []byte
}

func (e *PanicError) Error() string {
	return fmt.Sprintf("panic: %v (a bug: please report it with this stack)\n%s", e.Value, e.Stack)
}

// Run plans every step, prints the plan, and (unless DryRun) applies the
// steps in order. A run that writes holds the repository's lock
// (.git/release-tools.lock, see [gitrepo.LockRepo]) from before it plans
// until it is done; while another run holds it, Run (dry or not) is
// refused with an error wrapping [ErrBusy] that names the holder.
// Planning reads and checks everything first: HEAD must name a commit
// ([gitrepo.ErrBadHead], [gitrepo.ErrNoCommits]), the tree must be clean
// as git status says (nothing staged either: [ErrDirty]), HEAD on a
// branch, no git lock file present (index.lock, the branch's:
// [ErrLocked]), no file the phase writes marked skip-worktree or
// assume-unchanged ([ErrFlagged]), and every edit must succeed before
// anything is written. Commit steps make their commits with git, staging
// the phase's files as git add does and signing them when commit.gpgsign
// is set, but reference none until every step has passed; then they land
// together, and the branch moves once, only if it is still where the
// phase found it ([ErrMoved] otherwise), leaving a reflog entry as git
// commit does. If a step fails while applying,
// every file the phase touched (and every go.mod and go.sum a go command
// may have changed) is restored to its bytes before the phase and the
// branch stays or is moved back where it was; the error is a [*StepError]
// naming the step, joined with a [*RestoreError] if a file could not be
// put back.
func (p *Phase) Run(ctx context.Context, o Options) (err error) {
	out := o.Out
	if out == nil {
		out = io.Discard
	}
	repo, err := gitrepo.Open(p.Root)
	if err != nil {
		return fmt.Errorf("%s: open the repository at %s: %w", p.Name, p.Root, err)
	}
	if err := gitrepo.CheckHead(repo, p.Root); err != nil {
		return fmt.Errorf("%s: %w", p.Name, err)
	}
	if err := gitrepo.CheckInProgress(p.Root); err != nil {
		return fmt.Errorf("%s: nothing written: %w", p.Name, err)
	}
	// One run at a time: another's files are not clean, and its restore
	// would overwrite this run's. A dry run takes no lock but says so.
	if o.DryRun {
		if err := gitrepo.CheckRepoLock(p.Root); err != nil {
			return fmt.Errorf("%s: %w", p.Name, err)
		}
	} else {
		l, err := gitrepo.LockRepo(p.Root, p.Name)
		if err != nil {
			return fmt.Errorf("%s: nothing written: %w", p.Name, err)
		}
		defer func() {
			if uerr := l.Unlock(); uerr != nil {
				err = errors.Join(err, fmt.Errorf("%s: give back the repository lock: %w", p.Name, uerr))
			}
		}()
	}
	// The phase's commits land together at the end: the branch moves
	// once, from the commit it was at when the phase checked the tree,
	// never from one something else moved it to meanwhile.
	var pend *gitrepo.Commits
	if !o.DryRun && !o.NoCommit && p.commits() {
		if pend, err = gitrepo.NewCommits(repo, p.Root); err != nil {
			return fmt.Errorf("%s: %w", p.Name, err)
		}
	}
	if err := gitrepo.CheckClean(repo, p.Root); err != nil {
		return fmt.Errorf("%s: %w", p.Name, p.interrupted(ctx, err))
	}
	planned, err := p.plan(ctx, NewTree(p.Root), o.progress(out))
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s: plan\n", p.Name)
	for _, s := range planned {
		s.print(out, o)
	}
	// git status does not look at a file marked skip-worktree or
	// assume-unchanged: its local changes would go into the commit unseen.
	if err := gitrepo.CheckFlags(p.Root, writes(planned, o)); err != nil {
		return fmt.Errorf("%s: nothing written: %w", p.Name, err)
	}
	if o.DryRun {
		fmt.Fprintf(out, "%s: dry run, nothing written\n", p.Name)
		return nil
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%s: cancelled before anything was written: %w", p.Name, err)
	}
	if err := gitrepo.CheckLocks(p.Root); err != nil {
		return fmt.Errorf("%s: nothing written: %w", p.Name, err)
	}
	var sig *object.Signature
	if !o.NoCommit && p.commits() {
		if sig, err = gitrepo.Signature(repo, time.Now()); err != nil {
			return fmt.Errorf("%s: %w", p.Name, err)
		}
	}
	return p.apply(ctx, pend, planned, o, sig, out)
}

// progress is where progress lines go: Progress, or out.
func (o Options) progress(out io.Writer) io.Writer {
	if o.Progress != nil {
		return o.Progress
	}
	return out
}

type plannedStep struct {
	Step
	changes []Change
	note    string
	skip    bool // an edit with nothing to change, or a check that could not be made
}

// line is the one-line outcome of a check or of an edit with nothing to
// change ("" for other steps): "ok" for a check that passed, "-" for
// anything skipped.
func (s plannedStep) line() string {
	switch {
	case s.skip && s.note == "":
		return fmt.Sprintf("  -   %s: nothing to change", s)
	case s.skip:
		return fmt.Sprintf("  -   %s: %s", s, s.note)
	}
	if _, ok := s.Step.(Check); ok {
		return fmt.Sprintf("  ok  %s: %s", s, s.note)
	}
	return ""
}

func (s plannedStep) print(w io.Writer, o Options) {
	if l := s.line(); l != "" {
		fmt.Fprintln(w, l)
		return
	}
	switch s.Step.(type) {
	case Edit:
		fmt.Fprintf(w, "  * %s\n", s)
		if s.note != "" {
			fmt.Fprintf(w, "    (%s)\n", s.note)
		}
		for _, c := range s.changes {
			for _, l := range strings.SplitAfter(strings.TrimRight(c.Diff(), "\n"), "\n") {
				fmt.Fprintf(w, "    %s", l)
			}
			fmt.Fprintln(w)
		}
	case Go:
		if o.SkipGo {
			fmt.Fprintf(w, "  -   %s: skipped (go commands off)\n", s)
		} else {
			fmt.Fprintf(w, "  * %s\n", s)
		}
	case Commit:
		if o.NoCommit {
			fmt.Fprintf(w, "  -   commit: skipped (commits off)\n")
		} else {
			fmt.Fprintf(w, "  * %s\n", s)
		}
	}
}

func (p *Phase) commits() bool {
	for _, s := range p.Steps {
		if _, ok := s.(Commit); ok {
			return true
		}
	}
	return false
}

// plan runs every step's Edit and Check on t, so later steps see
// earlier edits.
func (p *Phase) plan(ctx context.Context, t *Tree, progress io.Writer) ([]plannedStep, error) {
	t.progress = progress
	var out []plannedStep
	for _, s := range p.Steps {
		ps := plannedStep{Step: s}
		var err error
		switch s := s.(type) {
		case Edit:
			before, left := len(t.log), len(t.left)
			ps.note, err = s.Plan(ctx, t)
			ps.changes = t.log[before:]
			ps.skip = len(ps.changes) == 0
			if untracked := leftAlone(t, left); untracked != "" {
				ps.note = strings.TrimPrefix(ps.note+"; "+untracked, "; ")
			}
		case Go:
			// The go command writes go.mod and go.sum in place: through a
			// symbolic link it would write outside the repository.
			for _, f := range []string{"go.mod", "go.sum"} {
				if err = t.check(path.Join(s.Dir, f)); err != nil {
					break
				}
			}
		case Check:
			ps.note, err = s.Run(ctx, t)
			if reason, ok := skipped(err); ok {
				ps.note, ps.skip, err = "skipped: "+reason, true, nil
			}
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %w", p.Name, s, err)
		}
		out = append(out, ps)
	}
	return out, nil
}

// leftAlone says which untracked files the tree's edits left alone since
// it had left the first n ("" for none).
func leftAlone(t *Tree, n int) string {
	if len(t.left) == n {
		return ""
	}
	return "left alone, not tracked by git: " + strings.Join(unique(t.left[n:]), ", ")
}

// writes lists the files the planned steps write: their edits', and the
// go.mod and go.sum of each go command that runs.
func writes(steps []plannedStep, o Options) []string {
	var out []string
	for _, s := range steps {
		for _, c := range s.changes {
			out = append(out, c.Path)
		}
		if g, ok := s.Step.(Go); ok && !o.SkipGo {
			out = append(out, path.Join(g.Dir, "go.mod"), path.Join(g.Dir, "go.sum"))
		}
	}
	return out
}

// apply carries out the planned steps; pend takes their commits (nil
// when the phase commits nothing) and sig is their author.
func (p *Phase) apply(ctx context.Context, pend *gitrepo.Commits, steps []plannedStep, o Options, sig *object.Signature, out io.Writer) (err error) {
	snap := snapshot{root: p.Root, old: map[string][]byte{}}
	for _, k := range writes(steps, o) {
		if err := snap.keep(k); err != nil {
			return fmt.Errorf("%s: %w", p.Name, err)
		}
	}
	committed := false
	current := ""
	defer func() {
		// A panic is a failure like any other: every file is put back and
		// the branch moved back before it is reported.
		if v := recover(); v != nil {
			err = &PanicError{Value: v, Stack: debug.Stack()}
		}
		if err == nil {
			return
		}
		n, rerr := snap.restore()
		if committed {
			who := *sig
			who.When = time.Now()
			if berr := pend.Undo(&who); berr != nil {
				rerr = errors.Join(rerr, fmt.Errorf("move the branch back: %w", berr))
			}
		}
		err = &StepError{Phase: p.Name, Step: current, Restored: n, Err: err}
		if rerr != nil {
			err = errors.Join(err, rerr)
		}
	}()
	fmt.Fprintf(out, "%s: apply\n", p.Name)
	began := time.Now()
	var nCommits, nSkipped int
	var goSkipped []Go // the go commands skipped since the last commit
	written := map[string]bool{}
	goRunner := o.Go
	if goRunner == nil {
		goRunner = &gomod.Runner{}
	}
	for _, s := range steps {
		current = s.String()
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("cancelled: %w", err)
		}
		if l := s.line(); l != "" {
			fmt.Fprintln(out, l)
			if s.skip {
				nSkipped++
			}
			continue
		}
		start := time.Now()
		var did string
		switch st := s.Step.(type) {
		case Edit:
			for _, c := range s.changes {
				if err := c.Apply(p.Root); err != nil {
					return err
				}
				written[c.Path] = true
			}
			did = fmt.Sprintf("%s: wrote %s", st.Name, paths(s.changes))
		case Go:
			if o.SkipGo {
				fmt.Fprintf(out, "  -   %s: skipped (go commands off)\n", st)
				nSkipped++
				goSkipped = append(goSkipped, st)
				continue
			}
			fmt.Fprintf(o.progress(out), "  ... %s (waits on the go command and the network)\n", st)
			dir := filepath.Join(p.Root, filepath.FromSlash(st.Dir))
			before, err := requires(dir)
			if err != nil {
				return err
			}
			if st.Module != "" {
				err = goRunner.Get(ctx, dir, st.Module, st.Query)
			} else {
				err = goRunner.Tidy(ctx, dir)
			}
			if err != nil {
				return err
			}
			after, err := requires(dir)
			if err != nil {
				return err
			}
			err = checkGo(st, before, after, o.AllowDrops)
			if err != nil {
				return err
			}
			did = st.String()
		case Commit:
			if o.NoCommit {
				fmt.Fprintf(out, "  -   commit: skipped (commits off)\n")
				nSkipped++
				continue
			}
			current = "commit"
			msg := st.message(goSkipped)
			goSkipped = nil
			changed, err := snap.changed()
			if err != nil {
				return err
			}
			if len(changed) == 0 {
				fmt.Fprintf(out, "  -   commit: skipped (nothing changed)\n")
				continue
			}
			now := *sig
			now.When = time.Now()
			h, err := pend.Commit(changed, gitrepo.SignOff(msg, &now), &now)
			if err != nil {
				return err
			}
			nCommits++
			for _, c := range changed {
				written[c] = true
			}
			if err := snap.committed(changed); err != nil {
				return err
			}
			did = fmt.Sprintf("commit %s %q", h.String()[:12], firstLine(msg))
		}
		fmt.Fprintf(out, "  ok  %s (%s)\n", did, elapsed(start))
	}
	if pend != nil && pend.Pending() {
		current = "land the commits"
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("cancelled: %w", err)
		}
		start := time.Now()
		moved, err := pend.Land()
		committed = moved // from here on, a failure moves the branch back
		if err != nil {
			return err
		}
		n := "the commit"
		if nCommits > 1 {
			n = fmt.Sprintf("the %d commits", nCommits)
		}
		fmt.Fprintf(out, "  ok  wrote %s; %s is at %s (%s)\n", n, pend.Branch().Short(), pend.Head().String()[:12], elapsed(start))
	}
	fmt.Fprintf(out, "%s: done in %s: %d files written, %d commits, %d steps skipped\n",
		p.Name, time.Since(began).Round(time.Millisecond), len(written), nCommits, nSkipped)
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
