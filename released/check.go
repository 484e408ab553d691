package released

import (
	"errors"
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/confidential-containers/release-tools/charts"
	"github.com/confidential-containers/release-tools/pins"
	"github.com/confidential-containers/release-tools/release"
	"github.com/confidential-containers/release-tools/release/config"
	"github.com/confidential-containers/release-tools/version"
)

// ErrNotRelease is wrapped by [*NotReleaseError].
var ErrNotRelease = errors.New("not the release")

// NotReleaseError is [Check]'s error: what the tree of Commit
// holds that the release of Version does not.
type NotReleaseError struct {
	Commit  string
	Version version.Version
	// Found is each thing found wrong, naming its file and value.
	Found []string
}

func (e *NotReleaseError) Error() string {
	return fmt.Sprintf("commit %s is %v of %s: %s", e.Commit, ErrNotRelease, e.Version, strings.Join(e.Found, "; "))
}

func (e *NotReleaseError) Unwrap() error { return ErrNotRelease }

// Check checks that the tree at rel.Root, the tree of commit, is the
// release of v, as tagging it needs. On the chart layout: every chart of
// the release ([release.Repo.Charts]) at one chart version and every
// appVersion v (so that version is the release's); every place of the
// image (Config.Pins) pinned to one commit in its template's form, a place
// with a tag of its own left alone; the kata-deploy dependency pinned, not
// at its dev version; every Chart.lock current ([Lock]). On the
// overlay layout, and for a candidate (whose phase versions no chart), it
// checks nothing: the requires between the modules are the tags' own
// check. What it finds is a [*NotReleaseError] with the fixes
// ([release.Fixable]): the release merged first when the release's edits are
// missing, else the step that puts each finding right. It reads the files
// and writes nothing.
func Check(rel release.Repo, v version.Version, commit string) error {
	layout, err := rel.Layout()
	if err != nil {
		return err
	}
	if layout != release.ChartLayout || v.IsPreRelease() {
		return nil
	}
	c := &releaseCheck{v: v}
	cs, err := rel.Charts()
	if err != nil {
		return err
	}
	c.charts(cs)
	if err := c.locks(rel, cs); err != nil {
		return err
	}
	c.image(rel)
	if len(c.found) == 0 {
		return nil
	}
	return release.Fixable(&NotReleaseError{Commit: commit, Version: v, Found: c.found}, c.fixes()...)
}

// releaseCheck gathers what [Check] finds and the fixes.
type releaseCheck struct {
	v          version.Version
	found      []string
	fix        []release.Fix
	unreleased bool // the release's own edits are missing: not merged, or not made
}

func (c *releaseCheck) add(found string, fixes ...release.Fix) {
	c.found = append(c.found, found)
	for _, f := range fixes {
		if !slices.ContainsFunc(c.fix, func(g release.Fix) bool { return g.String() == f.String() }) {
			c.fix = append(c.fix, f)
		}
	}
}

// fixes are the fixes, the release merged (or made) first when its edits
// are missing.
func (c *releaseCheck) fixes() []release.Fix {
	if !c.unreleased {
		return c.fix
	}
	return append([]release.Fix{
		{Command: "merge the pull request of the " + c.v.String() + " release, then run tags again"},
		{Action: release.ActionRelease, Args: []string{c.v.String(), "<imageSHA>"}},
	}, c.fix...)
}

// charts checks every chart at one version and every appVersion at v.
func (c *releaseCheck) charts(cs []charts.Chart) {
	for _, ch := range cs {
		if ch.AppVersion != "" && ch.AppVersion != c.v.String() {
			c.unreleased = true
			c.add(fmt.Sprintf("%s: version %s, appVersion %s, not %s", path.Join(ch.Dir, charts.ChartFile), ch.Version, ch.AppVersion, c.v))
		}
	}
	versions, _ := ChartVersions(cs)
	if len(versions) > 1 {
		var parts []string
		for v, files := range versions {
			parts = append(parts, v+": "+strings.Join(files, ", "))
		}
		high, _ := charts.HighestVersion(cs) // every chart read has a valid version (charts.Parse)
		sort.Strings(parts)
		c.add("the charts have different versions ("+strings.Join(parts, "; ")+")", release.Fix{Action: release.ActionBumpCharts, Args: []string{high}})
	}
}

// locks checks the kata-deploy dependency pinned and every lock current.
func (c *releaseCheck) locks(rel release.Repo, cs []charts.Chart) error {
	cfg := rel.Config
	for _, ch := range cs {
		l, err := Lock(rel, ch)
		if err != nil {
			return err
		}
		file := path.Join(ch.Dir, charts.ChartFile)
		if l.KataDeploy != nil && l.Pinned == "" {
			c.add(fmt.Sprintf("%s: %s %s, the dev version: the deps sync pins it", file, l.KataDeploy.Name, l.KataDeploy.Version),
				release.Fix{Action: release.ActionDepsSync, Args: []string{"<kataVersion>"}})
		}
		switch l.State {
		case LockUnreadable:
			c.add(fmt.Sprintf("%s: unreadable: %v", l.File, l.Err), release.Fix{Action: release.ActionBumpCharts, Args: []string{ch.Version}})
		case LockMissing:
			c.add(fmt.Sprintf("%s: none, while %s is pinned to %s", l.File, cfg.KataDeployDependency, l.Pinned), release.Fix{Action: release.ActionDepsSync, Args: []string{l.Pinned}})
		case LockLeftOver:
			if l.KataDeploy == nil { // else said above
				c.add(fmt.Sprintf("%s: left over, %s is not pinned", l.File, cfg.KataDeployDependency), release.Fix{Command: "git rm " + l.File})
			}
		case LockStale:
			c.add(fmt.Sprintf("%s: its digest does not match %s", l.File, file), release.Fix{Action: release.ActionBumpCharts, Args: []string{ch.Version}})
		}
	}
	return nil
}

// image checks every place of the image pinned to one commit, each in
// its template's form.
func (c *releaseCheck) image(rel release.Repo) {
	var all []ImageTag
	for _, p := range rel.Config.Pins {
		found, err := ImageTags(rel.Root, p)
		if err != nil {
			c.add(fmt.Sprintf("image place %s: %v", p.File, err), release.Fix{Command: "fix " + p.File + " by hand, or the pins of " + config.ConfigFile})
			continue
		}
		for _, t := range found {
			switch t.State {
			case pins.Latest:
				c.unreleased = true
				c.add(fmt.Sprintf("%s: image %s, not pinned", t.File, t.Tag))
			case pins.OtherTemplate:
				c.add(fmt.Sprintf("%s: image %s, but its template gives %s", t.File, t.Tag, t.Want()), release.Fix{Action: release.ActionPinImage, Args: []string{t.Commit}})
			}
		}
		all = append(all, found...)
	}
	by := PinnedTo(all)
	delete(by, pins.LatestTag) // said above
	if len(by) > 1 {
		var parts []string
		for sha, files := range by {
			parts = append(parts, sha+": "+strings.Join(files, ", "))
		}
		sort.Strings(parts)
		c.add("the image is pinned to different commits ("+strings.Join(parts, "; ")+")", release.Fix{Action: release.ActionPinImage, Args: []string{"<imageSHA>"}})
	}
}
