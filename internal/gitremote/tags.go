package gitremote

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/protocol/packp/capability"
	"github.com/go-git/go-git/v5/plumbing/transport"
	"github.com/go-git/go-git/v5/plumbing/transport/client"
	"github.com/go-git/go-git/v5/storage/memory"

	"github.com/confidential-containers/release-tools/internal/gitrepo"
	"github.com/confidential-containers/release-tools/internal/redact"
	"github.com/confidential-containers/release-tools/internal/run"
)

// RemoteTags maps each tag of the repository at url to the commit it
// points at, peeling annotated tags as git does (the "<tag>^{}" entries).
// A repository at a local path or file:// URL is read in place: go-git's
// file transport would run git-upload-pack. An empty repository has no
// tags; one that cannot be reached is an error, which carries no
// credentials of url.
func RemoteTags(ctx context.Context, url string) (_ map[string]string, err error) {
	defer func() { err = redact.Error(err) }()
	if repo := OpenLocal(url); repo != nil {
		return gitrepo.LocalTags(repo)
	}
	remote := git.NewRemote(memory.NewStorage(), &config.RemoteConfig{Name: "origin", URLs: []string{url}})
	refs, err := remote.ListContext(ctx, &git.ListOptions{PeelingOption: git.AppendPeeled})
	if errors.Is(err, transport.ErrEmptyRemoteRepository) {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, ref := range refs {
		if !ref.Name().IsTag() {
			continue
		}
		name := ref.Name().Short()
		if base, peeled := strings.CutSuffix(name, "^{}"); peeled {
			out[base] = ref.Hash().String() // the commit under an annotated tag
		} else if _, seen := out[name]; !seen {
			out[name] = ref.Hash().String()
		}
	}
	return out, nil
}

// PushesAtomically asks the git-receive-pack of the repository at url
// whether it advertises atomic pushes.
func PushesAtomically(ctx context.Context, url string) (bool, error) {
	ep, err := transport.NewEndpoint(url)
	if err != nil {
		return false, err
	}
	cl, err := client.NewClient(ep)
	if err != nil {
		return false, err
	}
	sess, err := cl.NewReceivePackSession(ep, nil)
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

// ErrTagExists is returned, wrapped in a [*PushError], for a tag the
// remote has already.
var ErrTagExists = errors.New("tag exists on the remote")

// PushError is a push of tags that failed: the refs git reports as
// rejected, with its reasons ("already exists", "pre-receive hook
// declined", "atomic push failed"), and why git failed. It wraps
// [ErrTagExists] when the remote had one of the tags already.
type PushError struct {
	Rejected map[string]string // tag -> reason
	Err      error
}

func (e *PushError) Error() string {
	var lines []string
	for _, name := range slices.Sorted(maps.Keys(e.Rejected)) {
		lines = append(lines, name+": "+e.Rejected[name])
	}
	if len(lines) == 0 {
		return e.Err.Error()
	}
	return fmt.Sprintf("rejected: %s: %v", strings.Join(lines, "; "), e.Err)
}

func (e *PushError) Unwrap() []error {
	for _, why := range e.Rejected {
		if strings.Contains(why, "already exists") {
			return []error{e.Err, ErrTagExists}
		}
	}
	return []error{e.Err}
}

// PushTags pushes the local tags names of the repository at root to
// remote in one git push, each as a create (git refuses a tag the remote
// has, without --force), all or none with atomic (git push --atomic,
// which fails if the remote cannot). The push is git's own: the remote's
// pushurl, credential helpers and ssh configuration apply. When ctx is
// done git is stopped ([run.Stoppable]) and the error wraps ctx.Err().
func PushTags(ctx context.Context, root, remote string, names []string, atomic bool) error {
	args := []string{"push", "--porcelain"}
	if atomic {
		args = append(args, "--atomic")
	}
	args = append(args, "--", remote)
	for _, n := range names {
		ref := plumbing.NewTagReferenceName(n).String()
		args = append(args, ref+":"+ref)
	}
	url, err := run.Cmd(context.Background(), root, run.OwnRepo(os.Environ()), "git", "remote", "get-url", "--push", remote)
	if err != nil {
		return err
	}
	// A local remote's git-receive-pack (and its hooks) is stopped with
	// git push; it asks no password, so it can run in its own group.
	local := localURL(strings.TrimSpace(string(url)))
	out, _, err := run.Stoppable(ctx, root, run.OwnRepo(os.Environ()), local, "git", args...)
	if err == nil {
		return nil
	}
	if ctx.Err() != nil {
		err = fmt.Errorf("%w: %w", ctx.Err(), err)
	}
	pe := &PushError{Rejected: map[string]string{}, Err: err}
	for _, line := range strings.Split(string(out), "\n") {
		// "!\trefs/tags/a:refs/tags/a\t[rejected] (already exists)"
		f := strings.Split(line, "\t")
		if len(f) != 3 || f[0] != "!" {
			continue
		}
		src, _, _ := strings.Cut(f[1], ":")
		pe.Rejected[strings.TrimPrefix(src, "refs/tags/")] = f[2]
	}
	return pe
}

// localURL reports whether git reaches the repository at url on this
// machine: a file:// URL or a path, not a URL with another scheme nor
// ssh's host:path.
func localURL(url string) bool {
	if strings.HasPrefix(url, "file://") {
		return true
	}
	if strings.Contains(url, "://") {
		return false
	}
	colon, slash := strings.Index(url, ":"), strings.Index(url, "/")
	return colon < 0 || slash >= 0 && slash < colon
}

// FetchBranch fetches branch from the remote called remote into its
// remote-tracking ref (refs/remotes/<remote>/<branch>), with no tags, and
// returns the commit it holds then.
func FetchBranch(ctx context.Context, repo *git.Repository, remote, branch string) (string, error) {
	r, err := repo.Remote(remote)
	if err != nil {
		return "", err
	}
	track := plumbing.NewRemoteReferenceName(remote, branch)
	spec := config.RefSpec("+" + plumbing.NewBranchReferenceName(branch).String() + ":" + track.String())
	err = r.FetchContext(ctx, &git.FetchOptions{RemoteName: remote, RefSpecs: []config.RefSpec{spec}, Tags: git.NoTags})
	if err != nil && !errors.Is(err, git.NoErrAlreadyUpToDate) {
		return "", fmt.Errorf("fetch %s from %s: %w", branch, remote, err)
	}
	ref, err := repo.Reference(track, true)
	if err != nil {
		return "", fmt.Errorf("%s has no branch %q: %w", remote, branch, err)
	}
	return ref.Hash().String(), nil
}
