package targets

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/magefile/mage/mg"

	"github.com/confidential-containers/release-tools/github"
	"github.com/confidential-containers/release-tools/oci"
	"github.com/confidential-containers/release-tools/release"
	"github.com/confidential-containers/release-tools/status"
	"github.com/confidential-containers/release-tools/verify"
)

// Verify checks what the release of version started and published.
//
// Verify checks that the GitHub release of version is published on the
// commit of its module tags (on RELEASE_REMOTE), that every job of the
// workflow runs its release event started on that commit finished green
// (each named with its page), and that every artifact release.yaml's
// published: lists (CAA's preset: what CAA's release workflow publishes)
// is in its registry, a multi-arch image with every platform. When all
// passed it prints the announcement for the CoCo release team (Markdown:
// the version, the links, the components table). Read-only, but for
// PUSH=1 ANNOUNCE.
//
// Exit status:
//   - 0: every run finished green and every artifact is there
//   - 1: a job failed or an artifact is missing (or verify could not run)
//   - 3: nothing failed, but something could not be known: a run still
//     in progress, a registry not asked (SKIP_REGISTRY=1)
//
// Variables:
//   - WAIT=1 waits for the runs to finish (progress on standard error;
//     Ctrl-C stops waiting), at most WAIT_TIMEOUT (default 2h), waiting
//     out GitHub's rate limit when it says so
//   - PUSH=1 ANNOUNCE=<owner>/<repo>#<number> posts the announcement as a
//     comment on that issue, once (a re-run finds it and posts nothing)
//   - GITHUB_TOKEN, GITHUB_API_URL, GITHUB_REPOSITORY
//   - SKIP_REGISTRY=1: the registries are not asked (exit 3)
//   - RELEASE_REMOTE
func Verify(ctx context.Context, version string) error {
	err := with(ctx, func(ctx context.Context, r *runner) error { return r.Verify(ctx, version) })
	if errors.Is(err, verify.ErrUnknown) || errors.Is(err, verify.ErrNotKnown) {
		return mg.Fatal(exitUnchecked, err)
	}
	return err
}

// Verify is verify: the facts of the release, the runs and the
// artifacts, then the announcement.
func (r *runner) Verify(ctx context.Context, version string) error {
	if r.Vars.Announce != "" && !r.Vars.Push {
		fmt.Fprintf(r.Out, "verify: ANNOUNCE=%s without PUSH=1: the announcement is printed, not posted\n", r.Vars.Announce)
	}
	var issue verify.Issue
	if r.Vars.Announce != "" {
		var err error
		if issue, err = verify.ParseIssue(r.Vars.Announce); err != nil {
			return err
		}
	}
	repo, err := r.repo()
	if err != nil {
		return err
	}
	v, err := repo.Config.ParseVersion(version)
	if err != nil {
		return err
	}
	gh, err := r.github(ctx, repo)
	if err != nil {
		return err
	}
	fmt.Fprintf(r.progress(), "verify: asking %s and the remote %s about %s (waits on the network)\n", gh.Repo(), repo.Config.Remote, v)
	facts, err := verify.ReadFacts(ctx, repo, v, gh)
	if err != nil {
		return err
	}
	c := verify.Checker{GitHub: gh, Published: repo.Config.Published, Progress: r.progress()}
	if reg := r.registry(); reg != nil {
		o := oci.Client(*reg)
		c.Registry = &o
	}
	var rep *verify.Report
	if r.Vars.Wait {
		timeout := r.Vars.WaitTimeout
		if timeout == 0 {
			timeout = defaultWaitTimeout
		}
		rep = c.Wait(ctx, facts, timeout, waitPoll)
	} else {
		rep = c.Check(ctx, facts)
	}
	if _, err := rep.WriteTo(r.Out); err != nil {
		return err
	}
	if err := rep.Err(); err != nil {
		if rep.InProgress() && !r.Vars.Wait {
			again := release.Fix{Action: release.ActionVerify, Args: []string{v.String()}}
			fmt.Fprintf(r.Out, "\nnext: %s once the runs finish (WAIT=1 waits for them)\n", command(again))
		}
		return err
	}
	body := rep.Announcement()
	fmt.Fprintf(r.Out, "\nannouncement for the CoCo release team:\n\n%s", body)
	if r.Vars.Announce == "" || !r.Vars.Push {
		return nil
	}
	comment, posted, err := verify.Announce(ctx, gh, issue, body, verify.Marker(facts.Repo, v.String()))
	if err != nil {
		return err
	}
	if posted {
		fmt.Fprintf(r.Out, "\nverify: announcement posted on %s: %s\n", issue, comment.URL)
	} else {
		fmt.Fprintf(r.Out, "\nverify: the announcement is on %s already, nothing posted: %s\n", issue, comment.URL)
	}
	return nil
}

// waitPoll is how often WAIT=1 looks at the runs again: a release's
// jobs take tens of minutes, and each look costs a few requests of
// GitHub's 5,000 an hour.
const waitPoll = 30 * time.Second

// defaultWaitTimeout is how long WAIT=1 waits without WAIT_TIMEOUT: CAA's
// release workflow builds pod VM images for three architectures.
const defaultWaitTimeout = 2 * time.Hour

// statusVerify adds to status's report what the published release of its
// version started and published (status.Report.Verified): the runs of its
// release event and, once they finished, the artifacts. A version with
// no published release, or facts that could not be read (status reports
// those itself), adds nothing.
func (r *runner) statusVerify(ctx context.Context, repo release.Repo, rep *status.Report, gh *github.Client) {
	if rep.Version == "" {
		return
	}
	v, err := repo.Config.ParseVersion(rep.Version)
	if err != nil {
		return
	}
	facts, err := verify.ReadFacts(ctx, repo, v, gh)
	if err != nil || facts.Release == nil || facts.Release.Draft {
		return
	}
	c := verify.Checker{GitHub: gh, Published: repo.Config.Published}
	if reg := r.registry(); reg != nil {
		o := oci.Client(*reg)
		c.Registry = &o
	}
	vr := c.CheckRuns(ctx, facts)
	if len(vr.Runs) > 0 && !vr.InProgress() {
		c.CheckArtifacts(ctx, vr)
	}
	rep.Verified(vr)
}
