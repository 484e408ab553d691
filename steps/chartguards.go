package steps

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/confidential-containers/release-tools/charts"
	"github.com/confidential-containers/release-tools/charts/registry"
	"github.com/confidential-containers/release-tools/kata"
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

// KataDeploy is chart c's dependency dep (nil when it has none) and its
// version, "" while it is at devVersion: the one rule of what "pinned"
// means, for the release's check, tags and status.
func KataDeploy(c charts.Chart, dep, devVersion string) (d *charts.Dependency, pinned string) {
	d = dependency(c, dep)
	if d != nil && d.Version != devVersion {
		pinned = d.Version
	}
	return d, pinned
}

// dependency is chart c's dependency named or aliased dep; nil when it has
// none.
func dependency(c charts.Chart, dep string) *charts.Dependency {
	for i, d := range c.Dependencies {
		if d.Name == dep || d.Alias == dep {
			return &c.Dependencies[i]
		}
	}
	return nil
}

// treeChart is the chart in dir as the tree holds it.
func treeChart(t *phase.Tree, dir string) (charts.Chart, error) {
	data, err := t.Read(path.Join(dir, charts.ChartFile))
	if err != nil {
		return charts.Chart{}, err
	}
	return charts.Parse(dir, data)
}

// KataDeployPinned is a release's check that the chart in dir has its
// dependency dep pinned ([KataDeploy]): at devVersion it is a
// [*kata.SyncError] wrapping [ErrKataDeployDev], whose Kata is the version
// the Kata references of refs hold, when they can be read, and whose
// choices are those recorded in the history ([kata.Choices]) for it (a
// history that cannot be read is said in the error).
func KataDeployPinned(dir, dep, devVersion string, refs kata.Refs) phase.Check {
	return phase.Check{Name: "check that the " + dep + " chart is pinned", Run: func(ctx context.Context, t *phase.Tree) (string, error) {
		file := path.Join(dir, charts.ChartFile)
		c, err := treeChart(t, dir)
		if err != nil {
			return "", err
		}
		d, pinned := KataDeploy(c, dep, devVersion)
		switch {
		case d == nil:
			return "", fmt.Errorf("%s: no dependency %q", file, dep)
		case pinned != "":
			return dep + " " + pinned, nil
		}
		kv, unread := "", ""
		var choices []kata.Choice
		if src, err := t.Read(refs.File); err == nil {
			if v, _, err := kata.Current(src, refs.Kata); err == nil {
				kv = v.String()
			}
			if choices, err = kata.Choices(ctx, t.Root, refs, src); err != nil {
				unread = " (" + err.Error() + ": give the references chosen by hand again)"
			}
		}
		return "", &kata.SyncError{Kata: kv, Choices: choices, Err: fmt.Errorf("%w: %s: %s is %s, which the published chart would depend on: sync the dependencies with Kata Containers first%s",
			ErrKataDeployDev, file, dep, d.Version, unread)}
	}}
}

// CheckChartVersion returns an error wrapping [ErrChartVersion] unless cv
// is above the version of every chart of cs; with rerun, charts all at cv
// already (a phase run again) are allowed too.
func CheckChartVersion(cs []charts.Chart, cv string, rerun bool) error {
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

// Unpublished is the check that the chart registry registry
// (oci://host/path) has no chart version cv of the chart in dir, the chart
// a release publishes, yet: one it has is an error wrapping
// [ErrChartPublished]. With no registry to ask (reg nil) or none given
// (registry or dir ""), the plan says it was not asked; an error asking it
// fails the check.
func Unpublished(dir, registry, cv string, reg *registry.Client) phase.Check {
	return phase.Check{Name: "check that chart version " + cv + " is not published yet", Run: func(ctx context.Context, t *phase.Tree) (string, error) {
		if registry == "" || dir == "" {
			return "", phase.Skip("no chart registry configured: not asked")
		}
		c, err := treeChart(t, dir)
		if err != nil {
			return "", err
		}
		ref := strings.TrimSuffix(registry, "/") + "/" + c.Name
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
