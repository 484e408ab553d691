package release

import (
	"context"
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"
	"time"

	"golang.org/x/mod/semver"

	"github.com/confidential-containers/release-tools/charts"
	"github.com/confidential-containers/release-tools/phase"
	"github.com/confidential-containers/release-tools/pins"
)

// pinStep pins (sha != "") or unpins (sha == "") the image at every place
// of cfg.Pins: each place that holds latest or a commit takes the tag of its
// template. A place with any other tag (a release of its own) is left
// alone and named in the note; a file of an optional glob without the key
// is skipped.
func pinStep(cfg Config, root, sha string) phase.Edit {
	name := "pin the " + cfg.Image + " image to " + sha
	if sha == "" {
		name = "unpin the " + cfg.Image + " image (back to latest)"
	}
	return phase.Edit{Name: name, Plan: func(_ context.Context, t *phase.Tree) (string, error) {
		var left []string
		for _, p := range cfg.Pins {
			files, err := pins.Files(root, p)
			if err != nil {
				return "", err
			}
			for _, file := range files {
				src, err := t.Read(file)
				if err != nil {
					return "", err
				}
				cur, err := pins.ReadBytes(p, src)
				if errors.Is(err, pins.ErrNoKey) && p.Optional {
					continue
				}
				if err != nil {
					return "", fmt.Errorf("%s: %w", file, err)
				}
				if state, _ := pins.ClassifyTag(p.Template, cur); state == pins.Other {
					left = append(left, fmt.Sprintf("%s (%s)", file, cur))
					continue
				}
				if _, err := t.Edit(file, func(src []byte) ([]byte, error) {
					return pins.SetBytes(p, src, pins.Tag(p.Template, sha))
				}); err != nil {
					return "", fmt.Errorf("%s: %w", file, err)
				}
			}
		}
		if len(left) > 0 {
			return "left alone, not pinned by releases: " + strings.Join(left, ", "), nil
		}
		return "", nil
	}}
}

// Charts are the charts a release versions: every chart below the root
// but those of Config.ExcludeCharts.
func (rel Repo) Charts() ([]charts.Chart, error) {
	root, cfg := rel.Root, rel.Config
	all, err := charts.Discover(root)
	if err != nil {
		return nil, err
	}
	var out []charts.Chart
	for _, c := range all {
		if !slices.Contains(cfg.ExcludeCharts, c.Dir) {
			out = append(out, c)
		}
	}
	return out, nil
}

// NextChartVersion is the chart version of a release of version: the
// highest version of the charts, its minor number bumped for vX.Y.0 and its
// patch number for vX.Y.Z with Z > 0 (every chart of the set takes it).
func NextChartVersion(cs []charts.Chart, version string) (string, error) {
	if len(cs) == 0 {
		return "", errors.New("no chart to version")
	}
	high := ""
	for _, c := range cs {
		v := "v" + c.Version
		if !semver.IsValid(v) {
			return "", fmt.Errorf("%s: version %q is not SemVer", path.Join(c.Dir, charts.ChartFile), c.Version)
		}
		if high == "" || semver.Compare(v, high) > 0 {
			high = v
		}
	}
	var major, minor, patch int
	if _, err := fmt.Sscanf(semver.Canonical(high), "v%d.%d.%d", &major, &minor, &patch); err != nil {
		return "", err
	}
	var rmaj, rmin, rpatch int
	if _, err := fmt.Sscanf(semver.Canonical(version), "v%d.%d.%d", &rmaj, &rmin, &rpatch); err != nil {
		return "", fmt.Errorf("version %q: %w", version, err)
	}
	if rpatch == 0 {
		return fmt.Sprintf("%d.%d.0", major, minor+1), nil
	}
	return fmt.Sprintf("%d.%d.%d", major, minor, patch+1), nil
}

// chartsStep moves every chart of the release to chartVersion, its
// appVersion (where it has one) to appVersion (none when ""), and each
// file:// dependency on another chart of the set to chartVersion; then
// regenerates each Chart.lock that exists, generated at lockTime.
func chartsStep(root string, cfg Config, chartVersion, appVersion string, lockTime time.Time) phase.Edit {
	name := "move the charts to " + chartVersion
	if appVersion != "" {
		name += ", appVersion " + appVersion
	}
	return phase.Edit{Name: name, Plan: func(_ context.Context, t *phase.Tree) (string, error) {
		if err := charts.CheckVersion(chartVersion); err != nil {
			return "", err
		}
		cs, err := Repo{Root: root, Config: cfg}.Charts()
		if err != nil {
			return "", err
		}
		if len(cs) == 0 {
			return "", errors.New("no chart below the root (Chart.yaml)")
		}
		managed := map[string]bool{}
		for _, c := range cs {
			managed[c.Dir] = true
		}
		for _, c := range cs {
			file := path.Join(c.Dir, charts.ChartFile)
			if _, err := t.Edit(file, func(src []byte) ([]byte, error) {
				src, err := charts.SetVersionBytes(src, chartVersion)
				if err != nil {
					return nil, err
				}
				if appVersion != "" && c.AppVersion != "" {
					if src, err = charts.SetAppVersionBytes(src, appVersion); err != nil {
						return nil, err
					}
				}
				for _, d := range c.Dependencies {
					if d.IsLocal() && managed[d.Dir] {
						if src, err = charts.SetDependencyVersionBytes(src, depName(d), chartVersion); err != nil {
							return nil, err
						}
					}
				}
				return src, nil
			}); err != nil {
				return "", fmt.Errorf("%s: %w", file, err)
			}
		}
		for _, c := range cs {
			if err := relock(t, c.Dir, lockTime, false); err != nil {
				return "", err
			}
		}
		return "", nil
	}}
}

// depName is how a dependency is selected for an edit: its alias, else
// its name.
func depName(d charts.Dependency) string {
	if d.Alias != "" {
		return d.Alias
	}
	return d.Name
}

// relock regenerates the Chart.lock of the chart in dir from its Chart.yaml
// as the tree holds it, and the local charts' versions as the tree holds
// them; a chart without a lock gets none unless create.
func relock(t *phase.Tree, dir string, lockTime time.Time, create bool) error {
	lockFile := path.Join(dir, charts.LockFile)
	var old []byte
	exists, err := t.Exists(lockFile)
	if err != nil {
		return err
	}
	if exists {
		if old, err = t.Read(lockFile); err != nil {
			return err
		}
	} else if !create {
		return nil
	}
	src, err := t.Read(path.Join(dir, charts.ChartFile))
	if err != nil {
		return err
	}
	local := func(d charts.Dependency) (string, error) {
		data, err := t.Read(path.Join(d.Dir, charts.ChartFile))
		if err != nil {
			return "", err
		}
		c, err := charts.Parse(d.Dir, data)
		if err != nil {
			return "", err
		}
		return c.Version, nil
	}
	lock, err := charts.UpdateLockBytes(old, dir, src, local, lockTime)
	if err != nil {
		return fmt.Errorf("%s: %w", lockFile, err)
	}
	_, err = t.Write(lockFile, lock)
	return err
}

// kataDeployStep sets the kata-deploy dependency of cfg.KataDeployChart to
// version and writes its Chart.lock (pin), or sets it back to the dev
// version and removes the lock (unpin, version "").
func kataDeployStep(cfg Config, version string, lockTime time.Time) phase.Edit {
	dir, dep := cfg.KataDeployChart, cfg.KataDeployDependency
	name := "pin the " + dep + " chart to " + version + " and lock " + dir
	if version == "" {
		name = "unpin the " + dep + " chart (back to " + cfg.KataDeployDevVersion + ") and remove its lock"
	}
	return phase.Edit{Name: name, Plan: func(_ context.Context, t *phase.Tree) (string, error) {
		file := path.Join(dir, charts.ChartFile)
		want := version
		if want == "" {
			want = cfg.KataDeployDevVersion
		}
		if _, err := t.Edit(file, func(src []byte) ([]byte, error) {
			return charts.SetDependencyVersionBytes(src, dep, want)
		}); err != nil {
			return "", fmt.Errorf("%s: %w", file, err)
		}
		if version == "" {
			_, err := t.Remove(path.Join(dir, charts.LockFile))
			return "", err
		}
		return "", relock(t, dir, lockTime, true)
	}}
}

// registryCheck checks that the registry has the chart dependency dep of
// the chart in dir at version: a version it lacks stops the phase and
// names the nearest it has; so does a registry that could not be reached
// ([ErrRegistryUnreachable]) or failed to answer. None given (nil) skips
// the check.
func registryCheck(root, dir, dep, version string, reg *charts.Registry) phase.Check {
	return phase.Check{Name: "check that the registry has " + dep + " " + version, Run: func(ctx context.Context, t *phase.Tree) (string, error) {
		if reg == nil {
			return "", phase.Skip("registry check off")
		}
		c, err := charts.Read(root, dir)
		if err != nil {
			return "", err
		}
		for _, d := range c.Dependencies {
			if d.Name != dep && d.Alias != dep {
				continue
			}
			if !d.IsOCI() {
				return "", phase.Skip(d.Repository + " is not an oci:// registry")
			}
			d.Version = version
			t.Waiting("asking " + d.Repository + " for " + d.Name + " " + version)
			if err := reg.CheckVersion(ctx, d); err != nil {
				return "", registryError(err)
			}
			return d.Repository + " has " + d.Name + " " + version, nil
		}
		return "", fmt.Errorf("%s: no dependency %q", path.Join(dir, charts.ChartFile), dep)
	}}
}
