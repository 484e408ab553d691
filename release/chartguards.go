package release

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/confidential-containers/release-tools/charts"
	"github.com/confidential-containers/release-tools/phase"
)

// ErrKataDeployDev is returned, wrapped, by a release whose kata-deploy
// dependency is still at its dev version: no deps sync since the last
// post-release, and the published chart would depend on the dev version.
var ErrKataDeployDev = errors.New("kata-deploy at its dev version")

// ErrChartVersion is returned, wrapped, for a chart version a release may
// not give its charts: not above every chart version of the repository.
var ErrChartVersion = errors.New("chart version not above the charts'")

// ErrChartPublished is returned, wrapped, for a chart version the chart
// registry has already: chart versions are never published twice.
var ErrChartPublished = errors.New("chart version published already")

// kataDeployCheck is a release's check that cfg.KataDeployChart's
// dependency cfg.KataDeployDependency is pinned: at its dev version, the
// fix is a deps sync (to the Kata version versions.yaml holds, when it
// can be read).
func kataDeployCheck(cfg Config) phase.Check {
	dir, dep := cfg.KataDeployChart, cfg.KataDeployDependency
	return phase.Check{Name: "check that the " + dep + " chart is pinned", Run: func(_ context.Context, t *phase.Tree) (string, error) {
		file := path.Join(dir, charts.ChartFile)
		data, err := t.Read(file)
		if err != nil {
			return "", err
		}
		c, err := charts.Parse(dir, data)
		if err != nil {
			return "", err
		}
		d, pinned := cfg.kataDeploy(c)
		switch {
		case d == nil:
			return "", fmt.Errorf("%s: no dependency %q", file, dep)
		case pinned != "":
			return dep + " " + pinned, nil
		}
		kata := "<kataVersion>"
		if src, err := t.Read(cfg.VersionsFile); err == nil {
			if v, _, err := currentKata(cfg, src); err == nil {
				kata = v.String()
			}
		}
		return "", Fixable(fmt.Errorf("%w: %s: %s is %s, which the published chart would depend on: sync the dependencies with Kata Containers first",
			ErrKataDeployDev, file, dep, d.Version), Fix{Action: ActionDepsSync, Args: []string{kata}})
	}}
}

// checkChartVersion returns an error wrapping [ErrChartVersion] unless cv
// is above the version of every chart of cs; with rerun, charts all at cv
// already (a phase run again) are allowed too.
func checkChartVersion(cs []charts.Chart, cv string, rerun bool) error {
	if err := charts.CheckVersion(cv); err != nil {
		return err
	}
	var notBelow []string
	same := 0
	for _, c := range cs {
		n, err := charts.CompareVersions(c.Version, cv)
		if err != nil {
			return fmt.Errorf("%s: %w", path.Join(c.Dir, charts.ChartFile), err)
		}
		if n == 0 {
			same++
		}
		if n >= 0 {
			notBelow = append(notBelow, path.Join(c.Dir, charts.ChartFile)+" "+c.Version)
		}
	}
	if len(notBelow) == 0 || rerun && same == len(cs) {
		return nil
	}
	return fmt.Errorf("%w: chart version %s is not above %s: give a higher one", ErrChartVersion, cv, strings.Join(notBelow, ", "))
}

// unpublishedCheck is the check that the chart registry has no chart
// version cv of the chart a release publishes (cfg.PublishedChart) yet.
// With no registry to ask (reg nil) or none configured, the plan says it
// was not asked; an error asking it fails the check.
func unpublishedCheck(cfg Config, cv string, reg *charts.Registry) phase.Check {
	return phase.Check{Name: "check that chart version " + cv + " is not published yet", Run: func(ctx context.Context, t *phase.Tree) (string, error) {
		if cfg.ChartRegistry == "" || cfg.PublishedChart == "" {
			return "", phase.Skip("no chart registry configured: not asked")
		}
		data, err := t.Read(path.Join(cfg.PublishedChart, charts.ChartFile))
		if err != nil {
			return "", err
		}
		c, err := charts.Parse(cfg.PublishedChart, data)
		if err != nil {
			return "", err
		}
		ref := strings.TrimSuffix(cfg.ChartRegistry, "/") + "/" + c.Name
		if reg == nil {
			return "", phase.Skip("registry check off: " + ref + " not asked whether it has " + c.Name + " " + cv)
		}
		t.Waiting("asking " + ref + " for " + c.Name + " " + cv)
		digest, found, err := reg.Published(ctx, ref, cv)
		if err != nil {
			return "", fmt.Errorf("asking %s whether %s %s is published: %w", ref, c.Name, cv, err)
		}
		if found {
			return "", fmt.Errorf("%w: %s %s is published at %s (%s): chart versions are never reused, give a higher one", ErrChartPublished, c.Name, cv, ref, digest)
		}
		return ref + " has no " + c.Name + " " + cv + " yet", nil
	}}
}
