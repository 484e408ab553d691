package released

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/confidential-containers/release-tools/charts"
	"github.com/confidential-containers/release-tools/charts/registry"
	"github.com/confidential-containers/release-tools/release"
	"github.com/confidential-containers/release-tools/release/config"
)

// Published is where the chart a release publishes stands in its
// registry.
type Published struct {
	Chart, Version string // the chart's name and version at the tagged commit
	Commit         string // the release's commit (its module tags', or a chart-only release's tag's)
	Ref            string // oci://host/path/<chart>
	Found          bool   // the registry has Version
	Digest         string // its manifest's digest, when found
}

func (p Published) String() string {
	if p.Found {
		return fmt.Sprintf("%s %s is published at %s (%s)", p.Chart, p.Version, p.Ref, p.Digest)
	}
	return fmt.Sprintf("%s %s is not published at %s yet: the GitHub release publishes it", p.Chart, p.Version, p.Ref)
}

// ErrNoPublishedChart is returned, wrapped, for a repository whose
// configuration names no chart registry or published chart.
var ErrNoPublishedChart = errors.New("no published chart configured")

// Chart reads the version of the chart rel publishes
// (Config.PublishedChart) at the commit the module tags of version point at
// ([release.Repo.TaggedCommit]), and asks cfg.ChartRegistry whether it
// has that chart version, and its digest. A registry that cannot be asked
// is an error wrapping registry.ErrUnreachable.
func Chart(ctx context.Context, rel release.Repo, version string, reg registry.Client) (Published, error) {
	cfg := rel.Config
	if cfg.ChartRegistry == "" || cfg.PublishedChart == "" {
		return Published{}, fmt.Errorf("%w: set chartRegistry and publishedChart in %s", ErrNoPublishedChart, config.ConfigFile)
	}
	commit, err := rel.TaggedCommit(version)
	if err != nil {
		return Published{}, err
	}
	return PublishedAt(ctx, rel, commit, reg)
}

// PublishedAt is [Chart] for the release on commit: the version of the
// chart rel publishes at commit, and whether cfg.ChartRegistry has it.
func PublishedAt(ctx context.Context, rel release.Repo, commit string, reg registry.Client) (Published, error) {
	if rel.Config.ChartRegistry == "" {
		return Published{}, fmt.Errorf("%w: set chartRegistry and publishedChart in %s", ErrNoPublishedChart, config.ConfigFile)
	}
	chart, err := ChartAt(rel, commit)
	if err != nil {
		return Published{}, err
	}
	p := Published{Chart: chart.Name, Version: chart.Version, Commit: commit, Ref: strings.TrimSuffix(rel.Config.ChartRegistry, "/") + "/" + chart.Name}
	p.Digest, p.Found, err = reg.Published(ctx, p.Ref, p.Version)
	return p, err
}

// ChartAt reads the chart the release publishes (Config.PublishedChart)
// at commit.
func ChartAt(rel release.Repo, commit string) (charts.Chart, error) {
	cfg := rel.Config
	if cfg.PublishedChart == "" {
		return charts.Chart{}, fmt.Errorf("%w: set publishedChart in %s", ErrNoPublishedChart, config.ConfigFile)
	}
	repo, err := rel.Repository()
	if err != nil {
		return charts.Chart{}, err
	}
	c, err := repo.CommitObject(plumbing.NewHash(commit))
	if err != nil {
		return charts.Chart{}, fmt.Errorf("the tagged commit %s: %w", commit, err)
	}
	file := path.Join(cfg.PublishedChart, charts.ChartFile)
	f, err := c.File(file)
	if err != nil {
		return charts.Chart{}, fmt.Errorf("%s at the tagged commit %s: %w", file, commit[:12], err)
	}
	data, err := f.Contents()
	if err != nil {
		return charts.Chart{}, err
	}
	chart, err := charts.Parse(cfg.PublishedChart, []byte(data))
	if err != nil {
		return charts.Chart{}, fmt.Errorf("%s at %s: %w", file, commit[:12], err)
	}
	return chart, nil
}
