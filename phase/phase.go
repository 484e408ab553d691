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
	"strings"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/confidential-containers/release-tools/internal/gitrepo"
	"github.com/confidential-containers/release-tools/internal/repolock"
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
	ErrBusy     = repolock.ErrBusy
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
	// ErrHook: a commit hook (pre-commit, commit-msg) refused a commit.
	ErrHook = gitrepo.ErrHook
)

// Phase is a named, ordered list of steps on a repository.
type Phase struct {
	Name  string
	Root  string
	Steps []Step
	// Git is the repository at Root, opened once by whoever built the
	// phase (release.New); required: Run refuses a phase without it
	// ([ErrNoRepository]).
	Git *git.Repository
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
	// Author, when set, is the author and committer of the commits (and
	// of their Signed-off-by trailer) instead of the repository's
	// configured user; its When is ignored.
	Author *object.Signature
}

// StepError is a step that failed while the phase was applied.
type StepError struct {
	Phase, Step   string
	Restored      int      // files put back to their bytes before the phase
	RestoredFiles []string // their names, sorted
	// Kept are the files a failing [Run] changed, left as it wrote them
	// (those the phase had written too).
	Kept []string
	Err  error
}

func (e *StepError) Error() string {
	if len(e.Kept) == 0 {
		return fmt.Sprintf("%s: step %q failed: %v (restored %d files and the branch to where they were before the phase)", e.Phase, e.Step, e.Err, e.Restored)
	}
	restored := "no other file"
	if len(e.RestoredFiles) > 0 {
		restored = strings.Join(e.RestoredFiles, ", ")
	}
	return fmt.Sprintf("%s: step %q failed: %v\nkept as the check wrote them: %s\nrestored to their bytes before the phase: %s; the branch did not move",
		e.Phase, e.Step, e.Err, strings.Join(e.Kept, ", "), restored)
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
// (.git/release-tools.lock, see [repolock.LockRepo]) from before it plans
// until it is done; while another run holds it, Run (dry or not) is
// refused with an error wrapping [ErrBusy] that names the holder. A lock
// whose run is gone from this host is taken over, with a notice.
// Planning reads and checks everything first: HEAD must name a commit
// ([gitrepo.ErrBadHead], [gitrepo.ErrNoCommits]), the tree must be clean
// as git status says (nothing staged either: [ErrDirty]), HEAD on a
// branch, no git lock file present (index.lock, the branch's:
// [ErrLocked]), no file the phase writes marked skip-worktree or
// assume-unchanged ([ErrFlagged]), and every edit must succeed before
// anything is written. Commit steps make their commits with git, staging
// the phase's files as git add does, running the pre-commit,
// prepare-commit-msg and commit-msg hooks as git commit does (a hook that
// fails stops the phase: [ErrHook]) and signing them when
// commit.gpgsign is set, but reference none until every step has passed; then they land
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
	repo := p.Git
	if repo == nil {
		return fmt.Errorf("%s: %w", p.Name, ErrNoRepository)
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
		notice, err := repolock.CheckRepoLock(p.Root)
		if err != nil {
			return fmt.Errorf("%s: %w", p.Name, err)
		}
		if notice != "" {
			fmt.Fprintf(o.progress(out), "%s: %s\n", p.Name, notice)
		}
	} else {
		l, err := repolock.LockRepo(p.Root, p.Name)
		if err != nil {
			return fmt.Errorf("%s: nothing written: %w", p.Name, err)
		}
		if n := l.Notice(); n != "" {
			fmt.Fprintf(o.progress(out), "%s: %s\n", p.Name, n)
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
		pend.Out = out
		defer func() {
			if cerr := pend.Close(); cerr != nil {
				err = errors.Join(err, fmt.Errorf("%s: remove the phase's index: %w", p.Name, cerr))
			}
		}()
	}
	clean := func() error { return gitrepo.CheckClean(repo, p.Root) }
	if pend != nil {
		clean = pend.CheckClean // notes the index it found clean
	}
	if err := clean(); err != nil {
		return fmt.Errorf("%s: %w", p.Name, p.interrupted(ctx, err))
	}
	tree := NewTree(p.Root)
	tree.Git = repo
	planned, err := p.plan(ctx, tree, o.progress(out))
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
	if !o.NoCommit && p.commits() && o.Author != nil {
		sig = &object.Signature{Name: o.Author.Name, Email: o.Author.Email, When: time.Now()}
	} else if !o.NoCommit && p.commits() {
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
	// empty: a commit after steps that change nothing (no edit with a
	// change, no go command since the last commit): it will do nothing.
	empty bool
}

// outcome is the one-line outcome of a step that is not carried out, and
// whether it is skipped: "ok" for a check that passed, "-" for anything
// skipped (an edit with nothing to change, a check that could not be
// made, a go command or a commit switched off). It is "" for a step to
// carry out.
func (s plannedStep) outcome(o Options) (line string, skipped bool) {
	switch s.Step.(type) {
	case Check:
		if !s.skip {
			return fmt.Sprintf("  ok  %s: %s", s, s.note), false
		}
	case Go:
		if o.SkipGo {
			return fmt.Sprintf("  -   %s: skipped (go commands off)", s), true
		}
	case Commit:
		if o.NoCommit {
			return "  -   commit: skipped (commits off)", true
		}
		if s.empty {
			return fmt.Sprintf("  -   %s: nothing to commit (the steps before it change nothing)", s), true
		}
	}
	switch {
	case s.skip && s.note == "":
		return fmt.Sprintf("  -   %s: nothing to change", s), true
	case s.skip:
		return fmt.Sprintf("  -   %s: %s", s, s.note), true
	}
	return "", false
}

// print writes the step's part of the plan: its outcome, or what it will
// do (with an edit's note and diffs).
func (s plannedStep) print(w io.Writer, o Options) {
	if l, _ := s.outcome(o); l != "" {
		fmt.Fprintln(w, l)
		return
	}
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
	changes := false // since the last commit: an edit's change, or a go command
	for _, s := range p.Steps {
		ps := plannedStep{Step: s}
		var err error
		switch s := s.(type) {
		case Commit:
			ps.empty, changes = !changes, false
		case Edit:
			before, left := len(t.log), len(t.left)
			ps.note, err = s.Plan(ctx, t)
			ps.changes = t.log[before:]
			ps.skip = len(ps.changes) == 0
			changes = changes || !ps.skip
			if untracked := t.left[left:]; len(untracked) > 0 {
				ps.note = strings.TrimPrefix(ps.note+"; left alone, not tracked by git: "+strings.Join(unique(untracked), ", "), "; ")
			}
		case Go:
			changes = true // what it changes is known only once it runs
			// The go command writes go.mod and go.sum in place: through a
			// symbolic link it would write outside the repository.
			for _, f := range []string{"go.mod", "go.sum"} {
				if err = t.check(path.Join(s.Dir, f)); err != nil {
					break
				}
			}
		case Run:
			err = s.plan()
			if s.Skip != "" {
				ps.note, ps.skip = "skipped: "+s.Skip, true
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
