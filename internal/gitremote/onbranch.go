package gitremote

import (
	"context"
	"errors"
	"fmt"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
)

// ErrNotOnBranch is returned, wrapped, for a commit that is neither the
// head of a remote's branch nor an ancestor of it.
var ErrNotOnBranch = errors.New("commit is not on the remote's release branch")

// ErrHeadNotFetched is returned, wrapped, when the head of a remote's
// branch is a commit the local repository does not have: fetching it
// puts that right.
var ErrHeadNotFetched = errors.New("the remote's branch is not fetched")

// OnRemoteBranch returns nil, and the head, if the commit sha is the head
// of branch on the remote called name in repo, as the remote has it now,
// or an ancestor of that head. A commit that does not exist is an error
// wrapping [ErrNoCommit]; one off the branch, [ErrNotOnBranch]. The
// history is read from the remote in place when it is local, else from
// repo ([ErrHeadNotFetched] when repo lacks the head).
func OnRemoteBranch(ctx context.Context, repo *git.Repository, name, branch, sha string) (head string, err error) {
	remote, err := repo.Remote(name)
	if err != nil {
		return "", fmt.Errorf("remote %q: %w", name, err)
	}
	if len(remote.Config().URLs) == 0 {
		return "", fmt.Errorf("remote %q has no URL", name)
	}
	url := remote.Config().URLs[0]
	head, err = RemoteHead(ctx, url, branch)
	if err != nil {
		return "", err
	}
	store := repo
	if local := OpenLocal(url); local != nil {
		store = local
	}
	return head, OnBranch(store, name+"/"+branch, plumbing.NewHash(head), sha)
}

// OnBranch returns nil if the commit sha is head, the head of the branch
// called where, or an ancestor of it, both read from store: an error
// wrapping [ErrHeadNotFetched] when store lacks head (whether sha is on
// the branch cannot be told), [ErrNoCommit] when it lacks sha,
// [ErrNotOnBranch] for a commit off the branch. The one ancestry rule of
// tags (TAG_COMMIT) and the citation (RELEASE_COMMIT).
func OnBranch(store *git.Repository, where string, head plumbing.Hash, sha string) error {
	hc, err := store.CommitObject(head)
	if errors.Is(err, plumbing.ErrObjectNotFound) {
		return fmt.Errorf("%w: %s is at %s, which this repository does not have", ErrHeadNotFetched, where, head)
	}
	if err != nil {
		return fmt.Errorf("%s (%s): %w", where, head, err)
	}
	if sha == head.String() {
		return nil
	}
	h := plumbing.NewHash(sha)
	c, err := store.CommitObject(h)
	if errors.Is(err, plumbing.ErrObjectNotFound) || h.String() != sha {
		return fmt.Errorf("%w: %s has no commit %s", ErrNoCommit, where, sha)
	}
	if err != nil {
		return fmt.Errorf("commit %s: %w", sha, err)
	}
	ok, err := c.IsAncestor(hc)
	if err != nil {
		return fmt.Errorf("is %s on %s: %w", sha, where, err)
	}
	if !ok {
		return fmt.Errorf("%w: %s is not on %s (at %s)", ErrNotOnBranch, sha, where, head)
	}
	return nil
}
