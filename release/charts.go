package release

import (
	"fmt"

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
	high, err := charts.HighestVersion(cs)
	if err != nil {
		return "", err
	}
	var major, minor, patch int
	if _, err := fmt.Sscanf(semver.Canonical("v"+high), "v%d.%d.%d", &major, &minor, &patch); err != nil {
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
