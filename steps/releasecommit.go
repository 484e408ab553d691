package steps

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/confidential-containers/release-tools/internal/gitremote"
	"github.com/confidential-containers/release-tools/phase"
)

// ErrNoCommit is returned, wrapped, by [ReleaseCommit] for a release
// commit the remote's release branch does not have.
var ErrNoCommit = gitremote.ErrNoCommit

// ErrNotOnBranch is returned, wrapped, for a release commit that exists
// but is neither the head of the remote's release branch nor an ancestor
// of it.
var ErrNotOnBranch = gitremote.ErrNotOnBranch

// ReleaseCommit checks that commit, the release commit a citation is
// given, is on branch of the remote named remote (the release branch) as
// the remote has it now, asked within timeout: its head or an ancestor. A commit that does not exist, or is off the branch,
// stops the phase; so does a remote that cannot be read (the commit is
// written into the citation). A head the repository has not fetched is a
// [*CommandsError]: a fetch puts it right.
func ReleaseCommit(remote, branch, commit string, timeout time.Duration) phase.Check {
	where := remote + "/" + branch
	return phase.Check{Name: "check that the release commit " + commit[:12] + " is on " + where, Run: func(ctx context.Context, t *phase.Tree) (string, error) {
		repo, err := t.Repository()
		if err != nil {
			return "", err
		}
		t.Waiting("reading the head of " + where)
		gctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		head, err := gitremote.OnRemoteBranch(gctx, repo, remote, branch, commit)
		if errors.Is(err, gitremote.ErrHeadNotFetched) {
			return "", fixedBy(fmt.Errorf("release commit %s: %w: fetch it to check", commit, err), "git fetch "+remote)
		}
		if err != nil {
			return "", fmt.Errorf("release commit: %w", err)
		}
		if head == commit {
			return "the head of " + where, nil
		}
		return "an ancestor of " + where + " (" + head[:12] + ")", nil
	}}
}
