package release_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/charts"
	"github.com/confidential-containers/release-tools/release"
)

// TestNextChartVersion: every chart of the set gets the highest current
// chart version bumped at the level the release moved: minor for vX.Y.0,
// patch for vX.Y.Z with Z > 0 (v0.20.0 took 0.1.4 and 0.1.0 to 0.2.0).
func TestNextChartVersion(t *testing.T) {
	t.Parallel()
	set := func(vs ...string) []charts.Chart {
		var cs []charts.Chart
		for _, v := range vs {
			cs = append(cs, charts.Chart{Dir: "c" + v, Version: v})
		}
		return cs
	}
	for _, tc := range []struct {
		charts  []charts.Chart
		version string
		want    string
	}{
		{set("0.1.4", "0.1.0", "0.1.0"), "v0.20.0", "0.2.0"},
		{set("0.2.0", "0.2.0", "0.2.0"), "v0.21.0", "0.3.0"},
		{set("0.3.0", "0.3.0", "0.3.0"), "v0.21.1", "0.3.1"},
		{set("0.3.1", "0.3.0"), "v0.21.2", "0.3.2"},
	} {
		got, err := release.NextChartVersion(tc.charts, tc.version)
		require.NoError(t, err)
		require.Equal(t, tc.want, got, "%v %s", tc.charts, tc.version)
	}
	_, err := release.NextChartVersion(nil, "v0.21.0")
	require.ErrorContains(t, err, "no chart")
	_, err = release.NextChartVersion(set("x.y"), "v0.21.0")
	require.ErrorContains(t, err, `"x.y" is not SemVer 2`)
}
