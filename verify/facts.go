package verify

import (
	"context"
	"errors"
	"fmt"

	"github.com/confidential-containers/release-tools/github"
	"github.com/confidential-containers/release-tools/ledger"
	"github.com/confidential-containers/release-tools/release"
	"github.com/confidential-containers/release-tools/released"
	"github.com/confidential-containers/release-tools/version"
)

// Facts are what verify needs of a release as it happened.
type Facts struct {
	Version version.Version
	Repo    string // owner/repo on GitHub
	// Release is the GitHub release of Version, nil when there is none.
	Release *github.Release
	// Commit is the commit the module tags of Version point at on the
	// remote; TagCommit the one the release's own tag (Version, which
	// GitHub makes for the release) points at there, "" when absent.
	Commit, TagCommit string
	// ChartVersion is the version of the published chart at Commit, ""
	// when the configuration names none.
	ChartVersion string
	// Components is the components table of the release notes, read from
	// the tree at Commit ([released.Components.Markdown]).
	Components string
}

// ErrNotKnown is wrapped by an error of [ReadFacts] when a fact could not
// be read (the remote or GitHub not reached): the release is not known
// to be wrong.
var ErrNotKnown = errors.New("could not be known")

// ReadFacts reads the facts of the release of v from the ledger of
// releases ([release.Repo.LedgerFacts], with gh's releases): the GitHub
// release, the commit of the release (its module tags', or a chart-only
// release's tag's) and the one its own tag points at on the remote, and the
// tree at that commit.
func ReadFacts(ctx context.Context, rel release.Repo, v version.Version, gh *github.Client) (Facts, error) {
	f := Facts{Version: v, Repo: gh.Repo()}
	cfg := rel.Config
	lf, note, err := rel.LedgerFacts(ctx)
	if err != nil {
		return f, fmt.Errorf("verify: %w", err)
	}
	if lf.Remote == nil {
		return f, fmt.Errorf("verify: the tags of %s on %s: %s: %w", v, cfg.Remote, note, ErrNotKnown)
	}
	releases, err := gh.Releases(ctx)
	if err != nil {
		return f, fmt.Errorf("verify: %w: %w", err, ErrNotKnown)
	}
	lf.GitHub, lf.GitHubRead = github.LedgerReleases(releases), true
	r := ledger.Read(lf).Find(v)
	switch {
	case r == nil:
		return f, fmt.Errorf("verify: %s was not released on %s: no module tag, tag or GitHub release of it", v, cfg.Remote)
	case r.Commit() == "":
		return f, fmt.Errorf("verify: %s has no one commit on %s: %s", v, cfg.Remote, r.Describe())
	}
	commit := r.Commit()
	f.Commit, f.TagCommit = commit, r.Plain.Remote
	for i := range releases {
		if releases[i].Tag == v.String() {
			f.Release = &releases[i]
		}
	}
	if cfg.PublishedChart != "" {
		chart, err := released.ChartAt(rel, commit)
		if err != nil {
			return f, fmt.Errorf("verify: %w", err)
		}
		f.ChartVersion = chart.Version
	}
	comps, err := released.ComponentsAt(rel, commit)
	if err != nil {
		return f, fmt.Errorf("verify: the components of %s: %w", v, err)
	}
	f.Components = comps.Markdown()
	return f, nil
}
