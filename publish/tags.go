package publish

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/confidential-containers/release-tools/goproxy"
	"github.com/confidential-containers/release-tools/ledger"
	"github.com/confidential-containers/release-tools/release"
	"github.com/confidential-containers/release-tools/released"
	"github.com/confidential-containers/release-tools/tags"
)

// TagOptions are how [Tags] runs.
type TagOptions struct {
	// Commit is tagged instead of the remote branch head.
	Commit string
	// Push creates and pushes the tags; otherwise Tags only plans.
	Push bool
	// TopLevel also tags vX.Y.Z on the same commit.
	TopLevel bool
	// Sign makes signed annotated tags with the git command and the
	// user's signing setup.
	Sign bool
	// Proxy, when set, is asked about every module version before anything
	// is created: a version it already knows at another commit is refused
	// like a conflicting tag. An unreachable proxy is reported and skipped.
	Proxy *goproxy.Client
	// Ledger is the ledger of releases ([release.Repo.Ledger]); nil reads
	// it.
	Ledger *ledger.Ledger
}

// Tagged says, from the ledger l, whether version needs no tags: a
// chart-only patch release (it has none, and tags never move), or a
// version whose module tags are all on the remote, on one commit. It
// returns what to say then ("" when tags are to be made), and an error
// for a commit asked (TAG_COMMIT) other than the one the tags are on, for
// a version below the latest release ([ledger.ErrBackwards]) and for a
// maintenance release from the main branch
// ([release.ErrMaintenanceBranch]). It never suggests making a release
// again.
func Tagged(l *ledger.Ledger, rel release.Repo, version, commit string) (string, error) {
	cfg := rel.Config
	v, err := cfg.ParseVersion(version)
	if err != nil {
		return "", fmt.Errorf("tags: %w", err)
	}
	line, err := rel.CheckVersion(l, v)
	if err != nil {
		return "", fmt.Errorf("tags: %w", err)
	}
	r := line.Existing
	switch {
	case r == nil:
		return "", nil
	case r.Kind == ledger.ChartOnly:
		return fmt.Sprintf("tags: %s is a %s: it has no module tags, and tags never move: nothing to do", version, r.Describe()), nil
	}
	on := r.ModuleCommit()
	if !l.RemoteRead || on == "" {
		return "", nil
	}
	for _, t := range r.Modules {
		if t.Remote == "" {
			return "", nil
		}
	}
	if commit != "" && commit != on {
		return "", fmt.Errorf("tags: every module tag of %s is on %s, on commit %s, not on %s: tags never move", version, cfg.Remote, on, commit)
	}
	msg := fmt.Sprintf("tags: every module tag of %s is on %s, on commit %s: nothing to do", version, cfg.Remote, on)
	for _, d := range r.Disagreements() {
		msg += "\n  (" + d.String() + ": a fact of the past, tags never move)"
	}
	return msg, nil
}

// Tags plans the module tags of version on the remote branch head (or
// o.Commit, which must be on that branch), writes the plan to w and, with
// o.Push, creates and pushes them in one atomic push. A version the
// ledger of releases says needs no tags ([Tagged]: every tag on the
// remote, or a chart-only release) is said to need nothing, and Tags
// returns nil. The commit must be the release of version, read from its own tree ([released.Check]):
// a commit that is not, a commit the remote's branch lacks, and a conflict
// stop it before anything is created, with the fixes.
func Tags(ctx context.Context, rel release.Repo, version string, o TagOptions, w io.Writer) error {
	root, cfg := rel.Root, rel.Config
	v, err := cfg.ParseVersion(version)
	if err != nil {
		return fmt.Errorf("tags: %w", err)
	}
	l := o.Ledger
	if l == nil {
		if l, _, err = rel.Ledger(ctx, nil); err != nil {
			return fmt.Errorf("tags: %w", err)
		}
	}
	if msg, err := Tagged(l, rel, version, o.Commit); err != nil {
		return err
	} else if msg != "" {
		// Asking the proxy alone (no push): plan on the commit the tags
		// are on, so that the proxy is asked about each.
		r := l.Find(v)
		if o.Push || o.Proxy == nil || r.ModuleCommit() == "" {
			fmt.Fprintln(w, msg)
			return nil
		}
		o.Commit = r.ModuleCommit()
	}
	repo, err := rel.Repository()
	if err != nil {
		return fmt.Errorf("tags: %w", err)
	}
	plan, err := tags.NewPlan(ctx, repo, root, v, tags.Options{
		Remote: cfg.Remote, Branch: cfg.Branch, Commit: o.Commit,
		Exclude: cfg.ExcludeModules, TopLevel: o.TopLevel, Sign: o.Sign, Notices: w,
		Check: func(commit, dir string) error {
			tree, err := release.New(dir, cfg)
			if err == nil {
				err = released.Check(tree, v, commit)
			}
			if err != nil && o.Commit == "" {
				return fmt.Errorf("the head of %s/%s now: %w", cfg.Remote, cfg.Branch, err)
			}
			return err
		},
	})
	if re := (*tags.RequiresError)(nil); errors.As(err, &re) {
		return release.Fixable(err, release.Fix{Action: release.ActionBumpRequires, Args: []string{re.Version.String()}})
	}
	if nb := (*tags.NotOnBranchError)(nil); errors.As(err, &nb) {
		return release.Fixable(err,
			release.Fix{Command: "merge " + nb.Commit + " into " + nb.Branch + " through a pull request, then run tags again"},
			release.Fix{Action: release.ActionTags, Args: []string{version}})
	}
	if errors.Is(err, tags.ErrHeadNotFetched) {
		return release.Fixable(err, release.Fix{Command: "git fetch " + cfg.Remote})
	}
	if err != nil {
		return err
	}
	write := plan.WriteTo
	if o.Push {
		write = plan.WriteForApply // pushed below: no commands by hand
	}
	if _, err := write(w); err != nil {
		return err
	}
	if err := plan.Err(); err != nil {
		return conflictFix(err, version)
	}
	if err := checkProxy(ctx, o.Proxy, plan, w); err != nil {
		return err
	}
	if !o.Push {
		fmt.Fprintln(w, "tags: planned only; nothing created or pushed (tags can never move: check the plan)")
		return nil
	}
	var todo []string
	for _, t := range plan.Tags {
		if t.State == tags.Absent || t.State == tags.LocalOnly {
			todo = append(todo, t.Name)
		}
	}
	if len(todo) == 0 {
		fmt.Fprintf(w, "tags: nothing to push: every tag is on %s already\n", cfg.Remote)
		return nil
	}
	if err := plan.Apply(ctx); err != nil {
		return err
	}
	fmt.Fprintf(w, "tags: pushed %d tags to %s\n", len(todo), cfg.Remote)
	return nil
}

// conflictFix gives a plan's conflict its fix: for a version whose tags
// are complete on the remote, the tags step on the commit they are on;
// for tags that were never pushed, deleting them; else the next version.
func conflictFix(err error, version string) error {
	var ce *tags.ConflictError
	if !errors.As(err, &ce) {
		return err
	}
	switch {
	case ce.Complete != "":
		return release.Fixable(err, release.Fix{Action: release.ActionTags, Args: []string{version}, Commit: ce.Complete})
	case len(ce.Stray) == len(ce.Tags):
		return release.Fixable(err, release.Fix{Command: ce.DeleteCommand()})
	}
	return release.Fixable(err, release.Fix{Action: release.ActionTags, Args: []string{ce.Version.Next().String()}})
}
