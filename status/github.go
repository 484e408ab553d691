package status

import (
	"context"
	"errors"
	"fmt"

	"github.com/confidential-containers/release-tools/github"
	"github.com/confidential-containers/release-tools/release"
)

// GitHub adds to the report the GitHub release of the report's version and
// the lock of the release branch. A version whose tags agree but that has
// no release is a problem; a question GitHub did not answer is a check
// not made ([ErrUnchecked]), never a pass.
func (r *Report) GitHub(ctx context.Context, cfg release.Config, gh *github.Client) {
	if r.Version != "" {
		rel, err := gh.FindRelease(ctx, r.Version)
		switch {
		case err != nil:
			r.row("github release", "unknown")
			r.Unchecked = append(r.Unchecked, "the GitHub release of "+r.Version+": "+err.Error())
		case rel == nil:
			r.row("github release", "none for "+r.Version)
			if r.Tagged != "" {
				r.problem("no GitHub release for "+r.Version, release.Fix{Action: release.ActionGitHubRelease, Args: []string{r.Version}, Push: true})
			}
		default:
			kind := "release"
			switch {
			case rel.Draft:
				kind = "draft (not published)"
			case rel.Prerelease:
				kind = "pre-release"
			}
			r.row("github release", fmt.Sprintf("%s %s on %s %s", kind, rel.Tag, rel.Commitish, rel.URL))
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
