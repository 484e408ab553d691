package release

import (
	"errors"
	"fmt"
	"path"

	"golang.org/x/mod/semver"

	"github.com/confidential-containers/release-tools/charts"
	"github.com/confidential-containers/release-tools/steps"
)

// Charts are the charts a release versions: every chart below the root
// but those of Config.ExcludeCharts.
func (rel Repo) Charts() ([]charts.Chart, error) {
	return steps.Charts(rel.Root, rel.Config.ExcludeCharts)
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
