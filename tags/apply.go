package tags

import (
	"context"
	"errors"
	"fmt"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// Apply creates the plan's new tags in the local repository and pushes
// them, and only them, in one atomic push: every tag lands on the remote
// or none does. It refuses a plan with conflicts (see [Plan.Err]) and,
// unless the plan's options allow it, a remote that cannot push
// atomically. If the push fails, the local tags Apply created are deleted
// again, so that a re-run starts from the same place; nothing that was
// pushed is ever deleted or forced.
func (p *Plan) Apply(ctx context.Context) error {
	if err := p.Err(); err != nil {
		return err
	}
	var push []PlannedTag
	for _, t := range p.Tags {
		if t.State == New {
			push = append(push, t)
		}
	}
	if len(push) == 0 {
		return nil
	}
	if !p.AtomicPush && len(push) > 1 && !p.opts.AllowNonAtomic {
		return fmt.Errorf("tags: %w: %s would take some tags and maybe refuse others; allow a non-atomic push explicitly, or push by hand", ErrNoAtomicPush, p.Remote)
	}
	var tagOpts *git.CreateTagOptions
	if p.opts.Annotated {
		tagger, err := p.tagger()
		if err != nil {
			return err
		}
		msg := p.opts.Message
		if msg == "" {
			msg = p.Version
		}
		tagOpts = &git.CreateTagOptions{Tagger: tagger, Message: msg}
	}
	commit := plumbing.NewHash(p.Commit)
	var created []string
	undo := func() {
		for _, name := range created {
			_ = p.repo.DeleteTag(name)
		}
	}
	names := make([]string, 0, len(push))
	for _, t := range push {
		names = append(names, t.Name)
		if t.LocalCommit != "" {
			continue
		}
		if _, err := p.repo.CreateTag(t.Name, commit, tagOpts); err != nil {
			undo()
			return fmt.Errorf("tags: create %s: %w", t.Name, err)
		}
		created = append(created, t.Name)
	}
	if err := p.push(ctx, names); err != nil {
		undo()
		return fmt.Errorf("tags: push %d tags to %s (nothing was pushed if the remote is atomic; the local tags made now were removed): %w", len(names), p.Remote, err)
	}
	return nil
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
