package verify

import (
	"context"
	"errors"
	"fmt"

	"github.com/confidential-containers/release-tools/github"
	"github.com/confidential-containers/release-tools/release"
	"github.com/confidential-containers/release-tools/released"
	"github.com/confidential-containers/release-tools/tags"
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

// ReadFacts reads the facts of the release of v: the GitHub release (from
// gh), the commits its module tags and its own tag point at on the
// remote, and the tree at that commit. It is the one place verify learns
// what was released: when the ledger of releases is there, it is asked
// here instead.
func ReadFacts(ctx context.Context, rel release.Repo, v version.Version, gh *github.Client) (Facts, error) {
	f := Facts{Version: v, Repo: gh.Repo()}
	cfg := rel.Config
	remote, note := tags.RemoteNamed(ctx, rel.Root, cfg.Remote)
	if remote == nil {
		return f, fmt.Errorf("verify: the tags of %s on %s: %s: %w", v, cfg.Remote, note, ErrNotKnown)
	}
	commit, err := tags.VersionCommit(rel.Root, v, cfg.ExcludeModules, func(name string) (string, error) { return remote[name], nil })
	if err != nil {
		return f, fmt.Errorf("verify: the module tags of %s on %s: %w", v, cfg.Remote, err)
	}
	f.Commit, f.TagCommit = commit, remote[v.String()]
	if f.Release, err = gh.FindRelease(ctx, v.String()); err != nil {
		return f, fmt.Errorf("verify: %w: %w", err, ErrNotKnown)
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
