package released

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"

	"github.com/confidential-containers/release-tools/charts"
	"github.com/confidential-containers/release-tools/pins"
	"github.com/confidential-containers/release-tools/release"
	"github.com/confidential-containers/release-tools/steps"
)

// The facts of the chart layout that both status and the check of a
// release commit ([Check]) read: one reading, one rule.

// ImageTag is the image tag in one file of a place of config.Config.Pins,
// classified by the place's template ([pins.Classify]).
type ImageTag struct {
	File     string // slash path relative to the root
	Tag      string
	Template string // the place's template
	State    pins.State
	Commit   string // the commit of a [pins.Pinned] or [pins.OtherTemplate] tag
}

// Want is the tag the place's template gives for the tag's commit.
func (t ImageTag) Want() string { return pins.Tag(t.Template, t.Commit) }

// ImageTags reads the image tag in every file of place p below root
// ([pins.Read]).
func ImageTags(root string, p pins.Place) ([]ImageTag, error) {
	found, err := pins.Read(root, p)
	if err != nil {
		return nil, err
	}
	out := make([]ImageTag, len(found))
	for i, f := range found {
		state, sha := pins.ClassifyTag(p.Template, f.Tag)
		out[i] = ImageTag{File: f.File, Tag: f.Tag, Template: p.Template, State: state, Commit: sha}
	}
	return out, nil
}

// PinnedTo groups image tags by what they pin, the files of each in
// order: their commit (in the place's template or another one), or
// [pins.LatestTag] where unpinned. A tag of its own ([pins.Other]) is
// left out: releases leave it alone. A consistent tree has one group.
func PinnedTo(tags []ImageTag) map[string][]string {
	by := map[string][]string{}
	for _, t := range tags {
		switch t.State {
		case pins.Other:
		case pins.Latest:
			by[pins.LatestTag] = append(by[pins.LatestTag], t.File)
		default:
			by[t.Commit] = append(by[t.Commit], t.File)
		}
	}
	return by
}

// ChartVersions groups the charts by version and, those that have one,
// by appVersion: each value with the Chart.yaml files holding it. Every
// chart of a release is at one version, and every appVersion is the
// release's.
func ChartVersions(cs []charts.Chart) (versions, appVersions map[string][]string) {
	versions, appVersions = map[string][]string{}, map[string][]string{}
	for _, c := range cs {
		file := path.Join(c.Dir, charts.ChartFile)
		versions[c.Version] = append(versions[c.Version], file)
		if c.AppVersion != "" {
			appVersions[c.AppVersion] = append(appVersions[c.AppVersion], file)
		}
	}
	return versions, appVersions
}

// LockState is what a chart's Chart.lock says; see [Lock].
type LockState int

const (
	// LockNone: no Chart.lock, and none is needed.
	LockNone LockState = iota
	// LockCurrent: its digest matches the chart's Chart.yaml.
	LockCurrent
	// LockStale: its digest does not match the chart's Chart.yaml.
	LockStale
	// LockMissing: none, while the kata-deploy dependency is pinned.
	LockMissing
	// LockLeftOver: the kata-deploy chart has one while its dependency is
	// back at its dev version.
	LockLeftOver
	// LockUnreadable: it cannot be parsed.
	LockUnreadable
)

// ChartLock is the Chart.lock of a chart and, for the kata-deploy chart
// (config.Config.KataDeployChart), its kata-deploy dependency: the lock exists
// exactly while that dependency is pinned, and matches Chart.yaml.
type ChartLock struct {
	File  string // the Chart.lock, a slash path relative to the root
	State LockState
	Lock  charts.Lock // as read, but for LockNone, LockMissing and LockUnreadable
	Err   error       // why it is LockUnreadable
	// KataDeploy is the kata-deploy dependency of the kata-deploy chart,
	// nil for another chart or one without it; Pinned is its version,
	// "" while it is at config.Config.KataDeployDevVersion.
	KataDeploy *charts.Dependency
	Pinned     string
}

// Lock reads the Chart.lock of chart c, a chart of [release.Repo.Charts].
// An error is what stopped it from reading; what is wrong is the state.
func Lock(rel release.Repo, c charts.Chart) (ChartLock, error) {
	root, cfg := rel.Root, rel.Config
	l := ChartLock{File: path.Join(c.Dir, charts.LockFile)}
	if c.Dir == cfg.KataDeployChart {
		l.KataDeploy, l.Pinned = steps.KataDeploy(c, cfg.KataDeployDependency, cfg.KataDeployDevVersion)
	}
	lock, err := charts.ReadLock(filepath.Join(root, filepath.FromSlash(l.File)))
	exists := !errors.Is(err, os.ErrNotExist)
	switch {
	case exists && err != nil:
		l.State, l.Err = LockUnreadable, err
		return l, nil
	case !exists && l.Pinned != "":
		l.State = LockMissing
		return l, nil
	case !exists:
		return l, nil
	}
	l.Lock = lock
	if c.Dir == cfg.KataDeployChart && l.Pinned == "" {
		l.State = LockLeftOver
		return l, nil
	}
	src, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(path.Join(c.Dir, charts.ChartFile))))
	if err != nil {
		return l, err
	}
	ok, err := lock.Matches(src)
	if err != nil {
		return l, fmt.Errorf("%s: %w", l.File, err)
	}
	l.State = LockStale
	if ok {
		l.State = LockCurrent
	}
	return l, nil
}
