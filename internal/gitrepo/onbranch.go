package gitrepo

import (
	"context"
	"errors"
	"fmt"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
)

// ErrNotOnBranch is returned, wrapped, for a commit that is neither the
// head of a remote's branch nor an ancestor of it.
var ErrNotOnBranch = errors.New("commit not on the branch")

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
	where := name + "/" + branch
	store := repo
	if local := OpenLocal(url); local != nil {
		store = local
	}
	hc, err := store.CommitObject(plumbing.NewHash(head))
	if errors.Is(err, plumbing.ErrObjectNotFound) {
		return "", fmt.Errorf("%w: %s is at %s, which this repository does not have", ErrHeadNotFetched, where, head)
	}
	if err != nil {
		return "", fmt.Errorf("%s (%s): %w", where, head, err)
	}
	if sha == head {
		return head, nil
	}
	h := plumbing.NewHash(sha)
	c, err := store.CommitObject(h)
	if errors.Is(err, plumbing.ErrObjectNotFound) || h.String() != sha {
		return "", fmt.Errorf("%w: %s has no commit %s", ErrNoCommit, where, sha)
	}
	if err != nil {
		return "", fmt.Errorf("commit %s: %w", sha, err)
	}
	ok, err := c.IsAncestor(hc)
	if err != nil {
		return "", fmt.Errorf("is %s on %s: %w", sha, where, err)
	}
	if !ok {
		return "", fmt.Errorf("%w: %s is not on %s (at %s)", ErrNotOnBranch, sha, where, head)
	}
	return head, nil
}
