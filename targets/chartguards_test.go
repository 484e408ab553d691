package targets

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/charts"
	"github.com/confidential-containers/release-tools/internal/fixture"
	"github.com/confidential-containers/release-tools/internal/magevars"
	"github.com/confidential-containers/release-tools/internal/ocifake"
	"github.com/confidential-containers/release-tools/release"
	"github.com/confidential-containers/release-tools/steps"
)

const peerpodsDir = "src/cloud-api-adaptor/install/charts/peerpods/"

// devKataDeploy is the tree of a release made without a deps sync since
// the last post-release: kata-deploy back at 0.0.0-dev, no Chart.lock.
func devKataDeploy(files map[string][]byte) {
	commentFix(files)
	files[peerpodsDir+"Chart.yaml"] = bytes.Replace(files[peerpodsDir+"Chart.yaml"], []byte(`version: "3.31.0"`), []byte(`version: "0.0.0-dev"`), 1)
	delete(files, peerpodsDir+"Chart.lock")
}

// TestReleaseKataDeployDev: release refuses kata-deploy at 0.0.0-dev,
// saying so and that deps:sync fixes it, and changes nothing.
func TestReleaseKataDeployDev(t *testing.T) {
	w := helmWorld(t, fixture.HelmRelease, devKataDeploy)
	r, out := w.runner(magevars.Vars{SkipGo: true})
	err := r.Release(t.Context(), fixture.HelmVersion, fixture.HelmImageSHA)
	require.ErrorIs(t, err, steps.ErrKataDeployDev, out.String())
	require.ErrorContains(t, err, peerpodsDir+"Chart.yaml: kata-deploy is 0.0.0-dev, which the published chart would depend on")
	require.Equal(t, []release.Fix{{Action: release.ActionDepsSync, Args: []string{fixture.HelmKataVersion}}}, release.Fixes(err))
	requireUnchanged(t, w, fixture.HelmRelease)
}

// TestReleaseChartVersion: CHART_VERSION sets the charts' version
// instead of the rule's; a release run again before its PR is merged
// changes nothing; the chart version of a release (CHART_VERSION
// or the rule's) must be above every chart's, except on a re-run of the
// same release; the registry must not have it, and the plan says when it
// was not asked; an error asking it stops the release.
func TestReleaseChartVersion(t *testing.T) {
	ctx := t.Context()
	t.Run("CHART_VERSION not above the charts' 0.3.0, or published", func(t *testing.T) {
		t.Parallel()
		w := helmWorld(t, fixture.HelmPatch, nil)
		for _, cv := range []string{"0.3.0", "0.2.0", "0.3.0-rc.1"} {
			r, out := w.runner(magevars.Vars{SkipGo: true, ChartVersion: cv})
			err := r.Release(ctx, fixture.HelmPatchVersion, fixture.HelmImageSHA)
			require.ErrorIs(t, err, steps.ErrChartVersion, out.String())
			require.ErrorContains(t, err, "chart version "+cv+" is not above "+peerpodsDir+"Chart.yaml 0.3.0, src/peerpod-ctrl/chart/Chart.yaml 0.3.0, src/webhook/chart/Chart.yaml 0.3.0")
			requireUnchanged(t, w, fixture.HelmPatch)
		}
		r, out := w.runner(magevars.Vars{SkipGo: true, SkipRegistry: true, DryRun: true, ChartVersion: "0.3.1"})
		require.NoError(t, r.Release(ctx, fixture.HelmPatchVersion, fixture.HelmImageSHA), out.String())
		require.Contains(t, out.String(), "check that chart version 0.3.1 is not published yet: skipped: registry check off: oci://ghcr.io/confidential-containers/cloud-api-adaptor/charts/peerpods not asked whether it has peerpods 0.3.1")

		// A registry that has the chart version already: refused; one
		// that cannot be asked stops the release.
		reg, err := ocifake.Start()
		require.NoError(t, err)
		defer reg.Close()
		require.NoError(t, reg.Push("confidential-containers/cloud-api-adaptor/charts/peerpods", "0.3.0", "0.3.1"))
		require.NoError(t, reg.PushImages(fixture.HelmImages...))
		r, out = w.runner(magevars.Vars{SkipGo: true})
		r.Registry = reg.Client()
		err = r.Release(ctx, fixture.HelmPatchVersion, fixture.HelmImageSHA)
		require.ErrorIs(t, err, steps.ErrChartPublished, out.String())
		require.Regexp(t, `peerpods 0.3.1 is published at oci://ghcr.io/confidential-containers/cloud-api-adaptor/charts/peerpods \(sha256:[0-9a-f]{64}\): chart versions are never reused`, err.Error())
		requireUnchanged(t, w, fixture.HelmPatch)

		r, out = w.runner(magevars.Vars{SkipGo: true, DryRun: true, ChartVersion: "0.4.0"})
		r.Registry = reg.Client()
		require.NoError(t, r.Release(ctx, fixture.HelmPatchVersion, fixture.HelmImageSHA), out.String())
		require.Contains(t, out.String(), "ok  check that chart version 0.4.0 is not published yet: oci://ghcr.io/confidential-containers/cloud-api-adaptor/charts/peerpods has no peerpods 0.4.0 yet")

		reg.Close() // a registry that cannot be asked stops the release: its answer decides the version
		r, out = w.runner(magevars.Vars{SkipGo: true, ChartVersion: "0.4.0"})
		r.Registry = reg.Client()
		err = r.Release(ctx, fixture.HelmPatchVersion, fixture.HelmImageSHA)
		require.ErrorContains(t, err, "asking oci://ghcr.io/confidential-containers/cloud-api-adaptor/charts/peerpods whether peerpods 0.4.0 is published", out.String())
		requireUnchanged(t, w, fixture.HelmPatch)
	})
	t.Run("a re-run, with CHART_VERSION at the charts' version", func(t *testing.T) {
		t.Parallel()
		w := helmWorld(t, fixture.HelmRelease, commentFix)
		// CHART_VERSION sets the charts' version instead of the rule's.
		r, out := w.runner(magevars.Vars{SkipGo: true, DryRun: true, ChartVersion: "1.0.0"})
		require.NoError(t, r.Release(ctx, fixture.HelmVersion, fixture.HelmImageSHA), out.String())
		require.Contains(t, out.String(), "move the charts to 1.0.0, appVersion v0.21.0")
		for _, f := range []string{peerpodsDir + "Chart.yaml", "src/peerpod-ctrl/chart/Chart.yaml", "src/webhook/chart/Chart.yaml"} {
			require.Contains(t, out.String(), "--- a/"+f+"\n", f)
		}
		require.Equal(t, 3, strings.Count(out.String(), "\n    +version: 1.0.0\n"), out.String())

		// The release, then run again before its PR is merged: nothing
		// changes, no commit (a re-run once moved the charts on to 0.4.0);
		// with CHART_VERSION at the charts' version too.
		r, out = w.runner(magevars.Vars{SkipGo: true, ReleaseTime: releaseTime(t, fixture.HelmReleaseTime)})
		require.NoError(t, r.Release(ctx, fixture.HelmVersion, fixture.HelmImageSHA), out.String())
		r, out = w.runner(magevars.Vars{SkipGo: true})
		require.NoError(t, r.Release(ctx, fixture.HelmVersion, fixture.HelmImageSHA), out.String())
		requireTree(t, w.root, fixture.HelmRelease)
		require.Equal(t, "before "+fixture.HelmRelease, w.log(t, 3)[2], "no commit the second time")
		require.Contains(t, out.String(), "move the charts to 0.3.0, appVersion v0.21.0: nothing to change")
		r, out = w.runner(magevars.Vars{SkipGo: true, ChartVersion: "0.3.0"})
		require.NoError(t, r.Release(ctx, fixture.HelmVersion, fixture.HelmImageSHA), out.String())
		requireTree(t, w.root, fixture.HelmRelease)
		require.Equal(t, "before "+fixture.HelmRelease, w.log(t, 3)[2], "no commit the third time")
		// Another release at the charts' version is no re-run.
		r, out = w.runner(magevars.Vars{SkipGo: true, ChartVersion: "0.3.0"})
		require.ErrorIs(t, r.Release(ctx, fixture.HelmPatchVersion, fixture.HelmImageSHA), steps.ErrChartVersion, out.String())
	})
}

// TestChartsBumpGuards: charts:bump takes a version above every chart's,
// not published, and refuses one that does not fit an int.
func TestChartsBumpGuards(t *testing.T) {
	ctx := t.Context()
	reg, err := ocifake.Start()
	require.NoError(t, err)
	defer reg.Close()
	require.NoError(t, reg.Push("confidential-containers/cloud-api-adaptor/charts/peerpods", "0.4.0"))
	w := helmWorld(t, fixture.HelmPostrelease, nil)
	for cv, want := range map[string]error{"0.3.0": steps.ErrChartVersion, "0.2.9": steps.ErrChartVersion,
		"99999999999999999999.0.0": charts.ErrInvalidVersion, "0.4.0": steps.ErrChartPublished} {
		r, out := w.runner(magevars.Vars{})
		r.Registry = reg.Client()
		require.ErrorIs(t, r.ChartsBump(ctx, cv), want, cv+"\n"+out.String())
		requireUnchanged(t, w, fixture.HelmPostrelease)
	}
	r, out := w.runner(magevars.Vars{})
	require.NoError(t, r.ChartsBump(ctx, "0.3.1"), out.String())
	require.Contains(t, out.String(), "nothing to change")
	require.NoError(t, r.ChartsBump(ctx, "0.5.0"), out.String())
}
