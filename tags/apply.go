package tags

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/confidential-containers/release-tools/internal/gitrepo"
	"github.com/confidential-containers/release-tools/internal/redact"
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
		if t.State == New || t.State == LocalOnly {
			push = append(push, t)
		}
	}
	if len(push) == 0 {
		return nil
	}
	if !p.AtomicPush && len(push) > 1 && !p.opts.AllowNonAtomic {
		return fmt.Errorf("tags: %w: %s would take some tags and maybe refuse others; allow a non-atomic push explicitly, or push by hand", ErrNoAtomicPush, p.Remote)
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
	if p.fetch {
		if err := p.fetchCommit(ctx); err != nil {
			return err
		}
	}
	if p.opts.Sign {
		if err := p.checkSigned(push); err != nil {
			return err
		}
	}
	var tagOpts *git.CreateTagOptions
	if p.opts.Annotated && !p.opts.Sign {
		tagger, err := p.tagger()
		if err != nil {
			return err
		}
		tagOpts = &git.CreateTagOptions{Tagger: tagger, Message: p.message()}
	}
	var created []string
	names := make([]string, 0, len(push))
	for _, t := range push {
		names = append(names, t.Name)
		if t.LocalCommit != "" {
			continue
		}
		if err := p.create(ctx, t.Name, tagOpts); err != nil {
			left, undoErr := "nothing was created or pushed", error(nil)
			if len(created) > 0 {
				left, undoErr = p.undo(created, "made before it")
				left = "nothing was pushed, and " + left
			}
			return fmt.Errorf("tags: create %s (%s): %w", t.Name, left, errors.Join(err, undoErr))
		}
		created = append(created, t.Name)
	}
	if err := p.push(ctx, names); err != nil {
		left, undoErr := p.undo(created, "made now")
		return fmt.Errorf("tags: push %d tags to %s (%s; locally, %s): %w", len(names), p.Remote, p.onRemote(names), left, errors.Join(err, undoErr))
	}
	return nil
}

// onRemote says which of names the remote has now, asked afresh (with a
// context of its own: the push's may be the one that was cancelled).
func (p *Plan) onRemote(names []string) string {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	remote, err := p.repo.Remote(p.Remote)
	if err != nil {
		return "what " + p.Remote + " has now is unknown: " + err.Error()
	}
	have, err := Remote(ctx, remote, p.opts.Auth)
	if err != nil {
		return "what " + p.Remote + " has now is unknown (" + err.Error() + "): run git ls-remote --tags " + p.Remote
	}
	var there []string
	for _, n := range names {
		if have[n] == p.Commit {
			there = append(there, n)
		}
	}
	switch len(there) {
	case 0:
		return "none of them is on " + p.Remote
	case len(names):
		return "all of them are on " + p.Remote + " all the same"
	}
	return fmt.Sprintf("%d of them are on %s: %s", len(there), p.Remote, strings.Join(there, ", "))
}

// undo deletes the local tags Apply created, and says what it did: that
// they were deleted, or exactly which could not be (with the errors, each
// naming its tag).
func (p *Plan) undo(created []string, when string) (string, error) {
	var failed []string
	var errs []error
	for _, name := range created {
		if err := p.delete(name); err != nil {
			failed = append(failed, name)
			errs = append(errs, fmt.Errorf("delete local tag %s: %w", name, err))
		}
	}
	if len(failed) == 0 {
		return fmt.Sprintf("the %d tags %s were deleted", len(created), when), nil
	}
	return fmt.Sprintf("%d of the %d tags %s could not be deleted: %s remain locally (git tag -d %s)",
		len(failed), len(created), when, strings.Join(failed, ", "), strings.Join(failed, " ")), errors.Join(errs...)
}

// delete deletes the local tag name.
func (p *Plan) delete(name string) error {
	if p.deleteTag != nil {
		return p.deleteTag(name)
	}
	return p.repo.DeleteTag(name)
}

// create makes the tag name on the plan's commit: signed through git with
// Options.Sign, with go-git otherwise.
func (p *Plan) create(ctx context.Context, name string, opts *git.CreateTagOptions) error {
	if p.opts.Sign {
		return p.signTag(ctx, name)
	}
	_, err := p.repo.CreateTag(name, plumbing.NewHash(p.Commit), opts)
	return err
}

// message is the message of annotated and signed tags: Options.Message, or
// the version.
func (p *Plan) message() string {
	if p.opts.Message != "" {
		return p.opts.Message
	}
	return p.Version.String()
}

// tagger is the repository's configured user, for annotated tags.
func (p *Plan) tagger() (*object.Signature, error) {
	cfg, err := p.repo.ConfigScoped(config.SystemScope)
	if err != nil {
		return nil, fmt.Errorf("tags: read git config: %w", err)
	}
	if cfg.User.Name == "" || cfg.User.Email == "" {
		return nil, errors.New("tags: annotated tags need a tagger: set git config user.name and user.email")
	}
	return &object.Signature{Name: cfg.User.Name, Email: cfg.User.Email, When: time.Now()}, nil
}
