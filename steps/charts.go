package steps

import (
	"context"
	"errors"
	"fmt"
	"path"
	"slices"
	"time"

	"github.com/confidential-containers/release-tools/charts"
	"github.com/confidential-containers/release-tools/charts/registry"
	"github.com/confidential-containers/release-tools/kata"
	"github.com/confidential-containers/release-tools/phase"
)

// Charts are the charts below root but those in the directories exclude:
// the charts a release versions.
func Charts(root string, exclude []string) ([]charts.Chart, error) {
	all, err := charts.Discover(root)
	if err != nil {
		return nil, err
	}
	var out []charts.Chart
	for _, c := range all {
		if !slices.Contains(exclude, c.Dir) {
			out = append(out, c)
		}
	}
	return out, nil
}

// MoveCharts moves every chart below root but those in the directories
// exclude ([Charts]) to chartVersion, its appVersion (where it has one) to
// appVersion (none when ""), and each file:// dependency on another chart
// of the set to chartVersion; then regenerates each Chart.lock that
// exists, generated at lockTime.
func MoveCharts(root string, exclude []string, chartVersion, appVersion string, lockTime time.Time) phase.Edit {
	name := "move the charts to " + chartVersion
	if appVersion != "" {
		name += ", appVersion " + appVersion
	}
	return phase.Edit{Name: name, Plan: func(_ context.Context, t *phase.Tree) (string, error) {
		if err := charts.CheckVersion(chartVersion); err != nil {
			return "", err
		}
		cs, err := Charts(root, exclude)
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

// PinKataDeploy sets the chart dependency dep of the chart in dir to
// version and writes the chart's Chart.lock, generated at lockTime.
func PinKataDeploy(dir, dep, version string, lockTime time.Time) phase.Edit {
	return kataDeployStep(dir, dep, version, "", lockTime)
}

// UnpinKataDeploy sets the chart dependency dep of the chart in dir back
// to devVersion and removes the chart's Chart.lock.
func UnpinKataDeploy(dir, dep, devVersion string) phase.Edit {
	return kataDeployStep(dir, dep, "", devVersion, time.Time{})
}

// kataDeployStep pins dep to version (unpin: version "", back to devVersion).
func kataDeployStep(dir, dep, version, devVersion string, lockTime time.Time) phase.Edit {
	name := "pin the " + dep + " chart to " + version + " and lock " + dir
	if version == "" {
		name = "unpin the " + dep + " chart (back to " + devVersion + ") and remove its lock"
	}
	return phase.Edit{Name: name, Plan: func(_ context.Context, t *phase.Tree) (string, error) {
		file := path.Join(dir, charts.ChartFile)
		want := version
		if want == "" {
			want = devVersion
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

// RegistryCheck checks that the registry reg has the chart dependency dep of
// the chart in dir at version: a version it lacks stops the phase and
// names the nearest it has; so does a registry that could not be reached
// ([ErrRegistryUnreachable]) or failed to answer. None given (nil) skips
// the check.
func RegistryCheck(dir, dep, version string, reg *registry.Client) phase.Check {
	return phase.Check{Name: "check that the registry has " + dep + " " + version, Run: func(ctx context.Context, t *phase.Tree) (string, error) {
		if reg == nil {
			return "", phase.Skip("registry check off")
		}
		c, err := treeChart(t, dir)
		if err != nil {
			return "", err
		}
		p := dependency(c, dep)
		if p == nil {
			return "", fmt.Errorf("%s: no dependency %q", path.Join(dir, charts.ChartFile), dep)
		}
		d := *p
		if !d.IsOCI() {
			return "", phase.Skip(d.Repository + " is not an oci:// registry")
		}
		d.Version = version
		t.Waiting("asking " + d.Repository + " for " + d.Name + " " + version)
		if err := reg.CheckVersion(ctx, d); err != nil {
			return "", registryError(err)
		}
		return d.Repository + " has " + d.Name + " " + version, nil
	}}
}

// KataDeployNoDowngrade is the downgrade rule of a deps sync for a
// repository whose Kata version is its kata-deploy dependency alone (no
// versions file): to must not be below the version the dependency dep of
// the chart in dir holds, unless allow. A downgrade, or a version that
// cannot be read as a Kata release, is a [*kata.DowngradeError].
func KataDeployNoDowngrade(dir, dep string, to kata.Version, allow bool) phase.Check {
	return phase.Check{Name: "check that " + dep + " " + to.String() + " is no downgrade", Run: func(_ context.Context, t *phase.Tree) (string, error) {
		file := path.Join(dir, charts.ChartFile)
		c, err := treeChart(t, dir)
		if err != nil {
			return "", err
		}
		d := dependency(c, dep)
		if d == nil {
			return "", fmt.Errorf("%s: no dependency %q", file, dep)
		}
		where := file + "'s " + dep + " dependency"
		cur, err := kata.ParseVersion(d.Version)
		switch {
		case err != nil && allow:
			return d.Version + " is no Kata release: downgrades allowed", nil
		case err != nil:
			return "", &kata.DowngradeError{File: file, To: to.String(), Why: where + " is " + d.Version}
		case to.Compare(cur) < 0 && allow:
			return dep + " " + cur.String() + " -> " + to.String() + ": a downgrade, allowed", nil
		case to.Compare(cur) < 0:
			return "", &kata.DowngradeError{File: file, From: cur.String(), To: to.String(), Why: where}
		}
		return dep + " " + cur.String() + " -> " + to.String(), nil
	}}
}
