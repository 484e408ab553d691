package status

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/mod/semver"

	"github.com/confidential-containers/release-tools/charts"
	"github.com/confidential-containers/release-tools/release"
)

// charts adds the charts' versions and locks, and a problem when the
// charts disagree on their version or appVersion, when an appVersion is
// behind the latest version, and when a Chart.lock is missing, left over or
// out of date: the kata-deploy chart has one exactly while its dependency
// is pinned.
func (r *Report) charts(root string, cfg release.Config, latest string) error {
	cs, err := release.Repo{Root: root, Config: cfg}.Charts()
	if err != nil {
		return err
	}
	versions, appVersions := map[string][]string{}, map[string][]string{}
	for _, c := range cs {
		file := path.Join(c.Dir, charts.ChartFile)
		r.row("chart "+c.Name, fmt.Sprintf("%s, appVersion %s (%s)", c.Version, c.AppVersion, c.Dir))
		versions[c.Version] = append(versions[c.Version], file)
		if c.AppVersion != "" {
			appVersions[c.AppVersion] = append(appVersions[c.AppVersion], file)
			if latest != "" && semver.IsValid(c.AppVersion) && semver.Compare(c.AppVersion, latest) < 0 {
				r.problem(fmt.Sprintf("%s: appVersion %s is behind the latest version %s", file, c.AppVersion, latest),
					release.Fix{Command: "set appVersion to \"" + latest + "\" in " + file + " (the release phase does it)"})
			}
		}
		if err := r.lock(root, cfg, c); err != nil {
			return err
		}
	}
	if len(versions) > 1 {
		high := ""
		for v := range versions {
			if high == "" || semver.Compare("v"+v, "v"+high) > 0 {
				high = v
			}
		}
		r.problem("the charts have different versions: "+groups(versions), release.Fix{Action: release.ActionBumpCharts, Args: []string{high}})
	}
	if len(appVersions) > 1 {
		r.problem("the charts have different appVersions: "+groups(appVersions), release.Fix{Command: "set every appVersion to the released version (the release phase does it)"})
	}
	return nil
}

// lock checks the Chart.lock of chart c.
func (r *Report) lock(root string, cfg release.Config, c charts.Chart) error {
	file := path.Join(c.Dir, charts.LockFile)
	lock, err := charts.ReadLock(filepath.Join(root, filepath.FromSlash(file)))
	exists := !errors.Is(err, os.ErrNotExist)
	if exists && err != nil {
		r.row("lock "+file, "unreadable")
		r.problem(fmt.Sprintf("%s: %v", file, err), release.Fix{Action: release.ActionBumpCharts, Args: []string{c.Version}})
		return nil
	}
	pinned, kataDeploy := "", c.Dir == cfg.KataDeployChart
	if kataDeploy {
		for _, d := range c.Dependencies {
			if d.Name == cfg.KataDeployDependency || d.Alias == cfg.KataDeployDependency {
				if d.Version != cfg.KataDeployDevVersion {
					pinned = d.Version
				}
				r.row("chart "+c.Name+" "+d.Name, d.Version)
			}
		}
	}
	switch {
	case !exists && pinned != "":
		r.row("lock "+file, "none")
		r.problem(fmt.Sprintf("%s is missing while %s is pinned to %s", file, cfg.KataDeployDependency, pinned), release.Fix{Action: release.ActionDepsSync, Args: []string{pinned}})
	case !exists:
	case kataDeploy && pinned == "":
		r.row("lock "+file, "present")
		r.problem(fmt.Sprintf("%s is left over: %s is back at %s", file, cfg.KataDeployDependency, cfg.KataDeployDevVersion), release.Fix{Command: "git rm " + file})
	default:
		src, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(path.Join(c.Dir, charts.ChartFile))))
		if err != nil {
			return err
		}
		ok, err := lock.Matches(src)
		if err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
		if !ok {
			r.row("lock "+file, "out of date")
			r.problem(fmt.Sprintf("%s: its digest does not match %s", file, path.Join(c.Dir, charts.ChartFile)), release.Fix{Action: release.ActionBumpCharts, Args: []string{c.Version}})
			return nil
		}
		r.row("lock "+file, "generated "+lock.Generated.Format("2006-01-02 15:04")+", matches "+charts.ChartFile)
	}
	return nil
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
