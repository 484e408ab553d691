package tags

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
	"github.com/go-git/go-git/v5/plumbing/protocol/packp"
	"github.com/go-git/go-git/v5/plumbing/protocol/packp/capability"
	"github.com/go-git/go-git/v5/plumbing/transport"
	"github.com/go-git/go-git/v5/plumbing/transport/client"
)

// receivePack opens a push session with the plan's remote.
func receivePack(remote *git.Remote, auth transport.AuthMethod) (transport.ReceivePackSession, error) {
	ep, err := transport.NewEndpoint(remote.Config().URLs[0])
	if err != nil {
		return nil, err
	}
	cl, err := client.NewClient(ep)
	if err != nil {
		return nil, err
	}
	return cl.NewReceivePackSession(ep, auth)
}

// pushesAtomically asks the remote's receive-pack whether it advertises
// the atomic capability (go-git silently pushes non-atomically otherwise).
func pushesAtomically(ctx context.Context, remote *git.Remote, auth transport.AuthMethod) (bool, error) {
	sess, err := receivePack(remote, auth)
	if err != nil {
		return false, err
	}
	defer sess.Close()
	ar, err := sess.AdvertisedReferencesContext(ctx)
	if err != nil {
		return false, err
	}
	return ar.Capabilities.Supports(capability.Atomic), nil
}

// push creates the tag refs on the remote in one request, atomic where the
// remote can. When the commit is the head of a remote ref (the fetched
// branch head), the remote has its whole history, so the pack holds only
// annotated tag objects and is built directly: go-git's own push walks the
// whole history to learn that (0.6 s on 10,000 commits). Otherwise it
// falls back to go-git's push.
func (p *Plan) push(ctx context.Context, names []string) error {
	remote, err := p.repo.Remote(p.Remote)
	if err != nil {
		return err
	}
	sess, err := receivePack(remote, p.opts.Auth)
	if err != nil {
		return err
	}
	defer sess.Close()
	ar, err := sess.AdvertisedReferencesContext(ctx)
	if err != nil {
		return err
	}
	refs, err := ar.AllReferences()
	if err != nil {
		return err
	}
	atomic := ar.Capabilities.Supports(capability.Atomic)
	if !atomic && len(names) > 1 && !p.opts.AllowNonAtomic {
		return fmt.Errorf("%w: %s", ErrNoAtomicPush, p.Remote)
	}
	commit := plumbing.NewHash(p.Commit)
	advertised := false
	for _, ref := range refs {
		advertised = advertised || ref.Hash() == commit
	}
	if !advertised {
		return p.goGitPush(ctx, names)
	}
	req := packp.NewReferenceUpdateRequestFromCapabilities(ar.Capabilities)
	if atomic {
		if err := req.Capabilities.Set(capability.Atomic); err != nil {
			return err
		}
	}
	var objects []plumbing.Hash
	for _, name := range names {
		refName := plumbing.NewTagReferenceName(name)
		if r, ok := refs[refName]; ok {
			return fmt.Errorf("%w: %s appeared on %s at %s while tagging", ErrTagConflict, name, p.Remote, short(r.Hash().String()))
		}
		ref, err := p.repo.Tag(name)
		if err != nil {
			return err
		}
		if ref.Hash() != commit {
			objects = append(objects, ref.Hash()) // an annotated tag object
		}
		req.Commands = append(req.Commands, &packp.Command{Name: refName, Old: plumbing.ZeroHash, New: ref.Hash()})
	}
	var pack bytes.Buffer
	enc := packfile.NewEncoder(&pack, p.repo.Storer, !ar.Capabilities.Supports(capability.OFSDelta))
	if _, err := enc.Encode(objects, 10); err != nil {
		return err
	}
	req.Packfile = io.NopCloser(&pack)
	status, err := sess.ReceivePack(ctx, req)
	if err != nil {
		return err
	}
	if status != nil {
		return status.Error()
	}
	return nil
}

// goGitPush pushes the tag refspecs with go-git.
func (p *Plan) goGitPush(ctx context.Context, names []string) error {
	specs := make([]config.RefSpec, len(names))
	for i, name := range names {
		ref := plumbing.NewTagReferenceName(name).String()
		specs[i] = config.RefSpec(ref + ":" + ref)
	}
	err := p.repo.PushContext(ctx, &git.PushOptions{RemoteName: p.Remote, RefSpecs: specs, Atomic: true, Auth: p.opts.Auth})
	if errors.Is(err, git.NoErrAlreadyUpToDate) {
		return nil
	}
	return err
}
