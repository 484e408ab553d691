package status

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"golang.org/x/mod/semver"

	"github.com/confidential-containers/release-tools/charts"
	"github.com/confidential-containers/release-tools/release"
	"github.com/confidential-containers/release-tools/release/config"
	"github.com/confidential-containers/release-tools/released"
)

// chartFacts is a chart and its Chart.lock.
type chartFacts struct {
	chart charts.Chart
	lock  released.ChartLock
}

// readCharts reads the charts of rel and their locks.
func readCharts(rel release.Repo) ([]chartFacts, error) {
	cs, err := rel.Charts()
	if err != nil {
		return nil, err
	}
	out := make([]chartFacts, 0, len(cs))
	for _, c := range cs {
		l, err := released.Lock(rel, c)
		if err != nil {
			return nil, err
		}
		out = append(out, chartFacts{c, l})
	}
	return out, nil
}

// charts adds the charts' versions and locks, and a problem when the
// charts disagree on their version or appVersion, when an appVersion is
// behind the latest version, and when a Chart.lock is missing, left over or
// out of date: the kata-deploy chart has one exactly while its dependency
// is pinned ([released.Lock]).
func (r *Report) charts(cfg config.Config, found []chartFacts, latest string) {
	cs := make([]charts.Chart, 0, len(found))
	for _, cf := range found {
		c := cf.chart
		cs = append(cs, c)
		file := path.Join(c.Dir, charts.ChartFile)
		r.row("chart "+c.Name, fmt.Sprintf("%s, appVersion %s (%s)", c.Version, c.AppVersion, c.Dir))
		if c.AppVersion != "" && latest != "" && semver.IsValid(c.AppVersion) && semver.Compare(c.AppVersion, latest) < 0 {
			r.problem(fmt.Sprintf("%s: appVersion %s is behind the latest version %s", file, c.AppVersion, latest),
				release.Fix{Command: "set appVersion to \"" + latest + "\" in " + file + " (the release phase does it)"})
		}
		r.lock(cfg, c, cf.lock)
	}
	versions, appVersions := released.ChartVersions(cs)
	if len(versions) > 1 {
		high, _ := charts.HighestVersion(cs) // every chart read has a valid version (charts.Parse)
		r.problem("the charts have different versions: "+groups(versions), release.Fix{Action: release.ActionBumpCharts, Args: []string{high}})
	}
	if len(appVersions) > 1 {
		r.problem("the charts have different appVersions: "+groups(appVersions), release.Fix{Command: "set every appVersion to the released version (the release phase does it)"})
	}
}

// lock checks l, the Chart.lock of chart c.
func (r *Report) lock(cfg config.Config, c charts.Chart, l released.ChartLock) {
	if d := l.KataDeploy; d != nil {
		r.row("chart "+c.Name+" "+d.Name, d.Version)
		r.c.KataDeploy = l.Pinned
	}
	switch l.State {
	case released.LockUnreadable:
		r.row("lock "+l.File, "unreadable")
		r.problem(fmt.Sprintf("%s: %v", l.File, l.Err), release.Fix{Action: release.ActionBumpCharts, Args: []string{c.Version}})
	case released.LockMissing:
		r.row("lock "+l.File, "none")
		r.problem(fmt.Sprintf("%s is missing while %s is pinned to %s", l.File, cfg.KataDeployDependency, l.Pinned), release.Fix{Action: release.ActionDepsSync, Args: []string{l.Pinned}})
	case released.LockLeftOver:
		r.row("lock "+l.File, "present")
		r.problem(fmt.Sprintf("%s is left over: %s is back at %s", l.File, cfg.KataDeployDependency, cfg.KataDeployDevVersion), release.Fix{Command: "git rm " + l.File})
	case released.LockStale:
		r.row("lock "+l.File, "out of date")
		r.problem(fmt.Sprintf("%s: its digest does not match %s", l.File, path.Join(c.Dir, charts.ChartFile)), release.Fix{Action: release.ActionBumpCharts, Args: []string{c.Version}})
	case released.LockCurrent:
		r.row("lock "+l.File, "generated "+l.Lock.Generated.Format("2006-01-02 15:04")+", matches "+charts.ChartFile)
	}
}

// groups lists values and the files holding each, sorted.
func groups(m map[string][]string) string {
	var parts []string
	for v, files := range m {
		parts = append(parts, v+": "+strings.Join(files, ", "))
	}
	sort.Strings(parts)
	return strings.Join(parts, "; ")
}
