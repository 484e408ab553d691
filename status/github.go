package status

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/confidential-containers/release-tools/github"
	"github.com/confidential-containers/release-tools/release"
	"github.com/confidential-containers/release-tools/release/config"
	"github.com/confidential-containers/release-tools/released"
)

// githubRelease adds the GitHub release of the latest release, from the
// ledger, when GitHub was asked (Options.GitHub): none for a version whose
// module tags agree is a problem, and so is a draft (not published); a
// question GitHub did not answer is a check not made ([ErrUnchecked]),
// never a pass.
func (r *Report) githubRelease(f *facts) {
	if !f.ghAsked {
		return
	}
	if f.ghErr != nil {
		r.row("github release", "unknown")
		r.Unchecked = append(r.Unchecked, "the GitHub releases: "+f.ghErr.Error())
		return
	}
	r.c.GHAsked = true
	rel := r.c.Release
	if rel == nil {
		return
	}
	publish := release.Fix{Action: release.ActionGitHubRelease, Args: []string{r.Version}, Push: true}
	g := rel.GitHub
	if g == nil {
		r.row("github release", "none for "+r.Version)
		if r.Tagged != "" {
			r.problem("no GitHub release for "+r.Version, publish)
		}
		return
	}
	kind := "release"
	switch {
	case g.Draft:
		kind = "draft (not published)"
	case g.Prerelease:
		kind = "pre-release"
	}
	r.row("github release", fmt.Sprintf("%s %s on %s %s", kind, g.Tag, g.Target, g.URL))
	if g.Draft {
		r.problem("the GitHub release "+g.Tag+" is a draft: it is not published", publish)
	}
}

// GitHub adds to the report the open pull requests from release/...
// branches into the release branch, and the lock of the release branch
// (the GitHub release itself is read with the ledger, Options.GitHub). A
// question GitHub did not answer is a check not made ([ErrUnchecked]),
// never a pass.
func (r *Report) GitHub(ctx context.Context, cfg config.Config, gh *github.Client) {
	pulls, err := gh.OpenPulls(ctx, cfg.Branch)
	if err != nil {
		r.row("pull requests", "unknown")
		r.Unchecked = append(r.Unchecked, "the open pull requests into "+cfg.Branch+": "+err.Error())
	} else {
		n := 0
		for _, p := range pulls {
			if _, b, _ := strings.Cut(p.Head, ":"); strings.HasPrefix(b, "release/") {
				r.c.Pulls = append(r.c.Pulls, p)
				r.row(fmt.Sprintf("pull request #%d", p.Number), fmt.Sprintf("%s from %s: %s", p.Title, b, p.URL))
				n++
			}
		}
		if n == 0 {
			r.row("pull requests", "none open from release/... branches")
		}
	}
	locked, err := gh.LockState(ctx, cfg.Branch)
	switch {
	case errors.Is(err, github.ErrNeedsAdmin):
		r.row("branch lock", "unknown: reading it needs a token with admin rights")
	case err != nil:
		r.row("branch lock", "unknown")
		r.Unchecked = append(r.Unchecked, "the lock of branch "+cfg.Branch+": "+err.Error())
	default:
		r.row("branch lock", cfg.Branch+" "+github.LockWord(locked))
	}
}

// GitHubNotAsked records that GitHub was not asked (why: no token, no
// repository to name): the GitHub release and the pull requests are
// checks not made.
func (r *Report) GitHubNotAsked(why string) {
	r.row("github", "not asked: "+why)
	r.Unchecked = append(r.Unchecked, "the GitHub release and the open pull requests: "+why)
}

// Published adds where the chart the latest version publishes stands in
// its registry, or, with err, that it could not be asked (a check not
// made). A chart not published while the GitHub release of the version
// exists is a problem: the release's workflow publishes it.
func (r *Report) Published(p released.Published, err error) {
	if err != nil {
		r.row("published chart", "unknown")
		r.Unchecked = append(r.Unchecked, "the published chart of "+r.Version+": "+err.Error())
		return
	}
	r.row("published chart", p.String())
	r.c.Published = &p
	if rel := r.c.Release; !p.Found && r.c.GHAsked && rel != nil && rel.GitHub != nil && !rel.GitHub.Draft {
		r.problem(fmt.Sprintf("the GitHub release %s exists, but %s %s is not published at %s", r.Version, p.Chart, p.Version, p.Ref),
			release.Fix{Command: "check the release workflow's run for " + r.Version + " (it publishes the chart), then run status again"})
	}
}
