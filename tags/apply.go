package tags

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/confidential-containers/release-tools/internal/gitremote"
	"github.com/confidential-containers/release-tools/internal/gitrepo"
	"github.com/confidential-containers/release-tools/internal/redact"
	"github.com/confidential-containers/release-tools/internal/repolock"
)

// Apply creates the plan's new tags in the local repository and pushes
// them, and only them, in one atomic push: every tag lands on the remote
// or none does. It refuses a plan with conflicts (see [Plan.Err]) and,
// unless the plan's options allow it, a remote that cannot push
// atomically. If the push fails, the local tags Apply created are deleted
// again, so that a re-run starts from the same place; nothing that was
// pushed is ever deleted or forced.
//
// A plan made on a commit the local repository lacks (the remote was
// ahead) is fetched first, into the remote-tracking ref; if the remote's
// branch moved since the plan, nothing is tagged. A git lock file on a tag
// to create, the remote-tracking ref or packed-refs (another git command
// writing them) is refused before anything is written.
//
// With [Options.Sign] it creates the tags with `git tag -s` and checks that
// each carries a signature; before creating any, it refuses (with
// [ErrUnsignedTag]) a tag to push that exists locally unsigned. If one
// cannot be signed, the tags made before it are deleted and nothing is
// pushed. No error carries the credentials of the remote's URL.
func (p *Plan) Apply(ctx context.Context) (err error) {
	defer func() { err = redact.Error(err) }()
	if err := p.Err(); err != nil {
		return err
	}
	var push []PlannedTag
	for _, t := range p.Tags {
		if t.State == Absent || t.State == LocalOnly {
			push = append(push, t)
		}
	}
	if len(push) == 0 {
		return nil
	}
	if !p.AtomicPush && len(push) > 1 && !p.opts.AllowNonAtomic {
		return fmt.Errorf("tags: %w: %s would take some tags and maybe refuse others; allow a non-atomic push explicitly, or push by hand", ErrNoAtomicPush, p.Remote)
	}
	// One run at a time: another's undo could delete the tags this one
	// made, and this one's the other's.
	lock, err := repolock.LockRepo(p.dir, "tags "+p.Version.String())
	if err != nil {
		return fmt.Errorf("tags: nothing was created or pushed: %w", err)
	}
	defer lock.Unlock()
	if n := lock.Notice(); n != "" && p.opts.Notices != nil {
		fmt.Fprintf(p.opts.Notices, "tags: %s\n", n)
	}
	// Like git tag and git fetch, keep off references another git
	// command is writing.
	refs := []string{plumbing.NewRemoteReferenceName(p.opts.Remote, p.opts.Branch).String()}
	for _, t := range push {
		refs = append(refs, plumbing.NewTagReferenceName(t.Name).String())
	}
	if err := gitrepo.CheckRefLocks(p.dir, refs...); err != nil {
		return fmt.Errorf("tags: nothing was created or pushed: %w", err)
	}
	if err := p.unchanged(push); err != nil {
		return err
	}
	if p.fetch {
		if err := p.fetchCommit(ctx); err != nil {
			return err
		}
	}
	if p.opts.Sign {
		var local []string // made before: pushed as they are
		for _, t := range push {
			if t.LocalCommit != "" {
				local = append(local, t.Name)
			}
		}
		if err := gitrepo.CheckSigned(p.repo, local); err != nil {
			return fmt.Errorf("tags: %w", err)
		}
	}
	var created []made
	names := make([]string, 0, len(push))
	var todo []string // the tags to create, in order
	for _, t := range push {
		names = append(names, t.Name)
		if t.LocalCommit == "" {
			todo = append(todo, t.Name)
		}
	}
	// Lightweight tags are made in one git process, all or none; if that
	// fails, nothing was made, and making them one at a time says which
	// tag could not be made, and why.
	if !p.opts.Sign && !p.opts.Annotated && len(todo) > 1 && gitrepo.CreateTags(p.dir, todo, p.Commit) == nil {
		for _, name := range todo {
			created = append(created, made{name, p.Commit})
		}
		todo = nil
	}
	for _, name := range todo {
		was, err := p.create(ctx, name)
		if err != nil {
			left, undoErr := "nothing was created or pushed", error(nil)
			if len(created) > 0 {
				left, undoErr = p.undo(created, "made before it")
				left = "nothing was pushed, and " + left
			}
			return fmt.Errorf("tags: create %s (%s): %w", name, left, errors.Join(err, undoErr))
		}
		created = append(created, made{name, was})
	}
	if err := gitremote.PushTags(ctx, p.dir, p.Remote, names, p.AtomicPush); err != nil {
		there := p.onRemote(names)
		left, undoErr := p.undo(created, "made now")
		return fmt.Errorf("tags: push %d tags to %s (%s; locally, %s): %w", len(names), p.Remote, there.report, left, errors.Join(p.pushError(err, there.tags), undoErr))
	}
	return nil
}

// ErrPlanStale is returned, wrapped, by [Plan.Apply] when a tag to push
// was made, moved or deleted locally since the plan (by another run, or
// by hand).
var ErrPlanStale = errors.New("local tags changed since the plan")

// unchanged checks that the tags to push are locally as the plan found
// them: the New ones absent, the LocalOnly ones where they were.
func (p *Plan) unchanged(push []PlannedTag) error {
	var changed []string
	for _, t := range push {
		now, err := gitrepo.LocalTag(p.repo, t.Name)
		if err != nil {
			return fmt.Errorf("tags: %w", err)
		}
		if now != t.LocalCommit {
			changed = append(changed, fmt.Sprintf("%s (%s at the plan, %s now)", t.Name, orNone(t.LocalCommit), orNone(now)))
		}
	}
	if len(changed) == 0 {
		return nil
	}
	return fmt.Errorf("tags: nothing was created or pushed: %w: %s: plan again", ErrPlanStale, strings.Join(changed, ", "))
}

// made is a local tag Apply created, and what its ref held then.
type made struct{ name, was string }

// pushError is err, the failed push, said in the plan's words: a tag the
// remote had already is an [ErrTagConflict] naming where it is there.
func (p *Plan) pushError(err error, remote map[string]string) error {
	var pe *gitremote.PushError
	if !errors.As(err, &pe) || !errors.Is(err, gitremote.ErrTagExists) {
		return err
	}
	var there []string
	for name, why := range pe.Rejected {
		if strings.Contains(why, "already exists") {
			at := "a commit not known (it could not be listed)"
			if c := remote[name]; c != "" {
				at = short(c)
			}
			there = append(there, fmt.Sprintf("%s appeared on %s at %s while tagging", name, p.Remote, at))
		}
	}
	sort.Strings(there)
	return fmt.Errorf("%w: %s: %w", ErrTagConflict, strings.Join(there, ", "), err)
}

// remoteState is what the remote has of the tags pushed, asked after a
// failed push: the tags it has (nil if it could not be asked) and a
// report of them.
type remoteState struct {
	tags   map[string]string
	report string
}

// onRemote says which of names the remote has now, asked afresh with a
// context of its own (the push's may be the one that was cancelled),
// within a few seconds: mage gives a cancelled target 5 s to return.
func (p *Plan) onRemote(names []string) remoteState {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	have, err := remoteTags(ctx, p.repo, p.Remote)
	if err != nil {
		return remoteState{report: "what " + p.Remote + " has now is unknown (" + err.Error() + "): run git ls-remote --tags " + p.Remote}
	}
	var there []string
	for _, n := range names {
		if have[n] == p.Commit {
			there = append(there, n)
		}
	}
	switch len(there) {
	case 0:
		return remoteState{have, "none of them is on " + p.Remote}
	case len(names):
		return remoteState{have, "all of them are on " + p.Remote + " all the same"}
	}
	return remoteState{have, fmt.Sprintf("%d of them are on %s: %s", len(there), p.Remote, strings.Join(there, ", "))}
}

// undo deletes the local tags Apply created, each only if it still holds
// what Apply made (one another run or a person remade is left as it is),
// and says what it did: that they were deleted, or exactly which could
// not be (with the errors, each naming its tag).
func (p *Plan) undo(created []made, when string) (string, error) {
	// All in one git process; if one cannot be deleted, none was, and
	// deleting them one at a time says exactly which remain.
	if p.deleteTag == nil && len(created) > 1 {
		was := map[string]string{}
		for _, t := range created {
			was[t.name] = t.was
		}
		if gitrepo.DeleteTags(p.dir, was) == nil {
			return fmt.Sprintf("the %d tags %s were deleted", len(created), when), nil
		}
	}
	var failed []string
	var errs []error
	for _, t := range created {
		if err := p.delete(t.name, t.was); err != nil {
			failed = append(failed, t.name)
			errs = append(errs, fmt.Errorf("delete local tag %s: %w", t.name, err))
		}
	}
	if len(failed) == 0 {
		return fmt.Sprintf("the %d tags %s were deleted", len(created), when), nil
	}
	return fmt.Sprintf("%d of the %d tags %s could not be deleted: %s remain locally (git tag -d %s)",
		len(failed), len(created), when, strings.Join(failed, ", "), strings.Join(failed, " ")), errors.Join(errs...)
}

// delete deletes the local tag name if it still holds was.
func (p *Plan) delete(name, was string) error {
	if p.deleteTag != nil {
		return p.deleteTag(name, was)
	}
	return gitrepo.DeleteTag(p.dir, name, was)
}

// create makes the tag name on the plan's commit through git, and returns
// what its ref holds: signed with Options.Sign, annotated with
// Options.Annotated (by the user git names), else lightweight.
func (p *Plan) create(ctx context.Context, name string) (string, error) {
	switch {
	case p.opts.Sign:
		return gitrepo.SignTag(ctx, p.dir, p.repo, name, p.Commit, p.message(), p.delete)
	case p.opts.Annotated:
		return gitrepo.CreateTag(ctx, p.dir, name, p.Commit, p.message(), "-a", "--no-sign")
	}
	return gitrepo.CreateTag(ctx, p.dir, name, p.Commit, "")
}

// message is the message of annotated and signed tags: Options.Message, or
// the version.
func (p *Plan) message() string {
	if p.opts.Message != "" {
		return p.opts.Message
	}
	return p.Version.String()
}
