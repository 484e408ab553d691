package release

import (
	"context"
	"errors"
	"fmt"

	"github.com/confidential-containers/release-tools/internal/gitrepo"
	"github.com/confidential-containers/release-tools/phase"
)

// ErrNoCommit is returned, wrapped, for a commit given as input that does
// not exist where it is used: the Kata commit (Inputs.KataRef) in the Kata
// repository, the release commit (Inputs.ReleaseCommit) on the remote's
// release branch.
var ErrNoCommit = gitrepo.ErrNoCommit

// ErrNotOnBranch is returned, wrapped, for a release commit that exists
// but is neither the head of the remote's release branch nor an ancestor
// of it.
var ErrNotOnBranch = gitrepo.ErrNotOnBranch

// releaseCommitCheck checks that commit, the release commit a citation is
// given, is on the remote's release branch as the remote has it now: its
// head or an ancestor. A commit that does not exist, or is off the branch,
// stops the phase; so does a remote that cannot be read (the commit is
// written into the citation). A head the repository has not fetched is
// fixed by a fetch.
func releaseCommitCheck(cfg Config, commit string) phase.Check {
	where := cfg.Remote + "/" + cfg.Branch
	return phase.Check{Name: "check that the release commit " + commit[:12] + " is on " + where, Run: func(ctx context.Context, t *phase.Tree) (string, error) {
		repo, err := gitrepo.Open(t.Root)
		if err != nil {
			return "", err
		}
		t.Waiting("reading the head of " + where)
		gctx, cancel := context.WithTimeout(ctx, DefaultGitTimeout)
		defer cancel()
		head, err := gitrepo.OnRemoteBranch(gctx, repo, cfg.Remote, cfg.Branch, commit)
		if errors.Is(err, gitrepo.ErrHeadNotFetched) {
			return "", Fixable(fmt.Errorf("release commit %s: %w: fetch it to check", commit, err), Fix{Command: "git fetch " + cfg.Remote})
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
