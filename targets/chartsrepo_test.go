package targets

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/charts"
	"github.com/confidential-containers/release-tools/charts/registry"
	"github.com/confidential-containers/release-tools/internal/fixture"
	"github.com/confidential-containers/release-tools/internal/ghfake"
	"github.com/confidential-containers/release-tools/internal/gitfixture"
	"github.com/confidential-containers/release-tools/internal/magevars"
	"github.com/confidential-containers/release-tools/internal/ocifake"
	"github.com/confidential-containers/release-tools/internal/slow"
	"github.com/confidential-containers/release-tools/kata"
	"github.com/confidential-containers/release-tools/release"
	"github.com/confidential-containers/release-tools/release/config"
)

const kataDeployRepo = "kata-containers/kata-deploy-charts/kata-deploy"

// chartsWorld is CoCo's charts repository from the fixture, with the
// release.yaml that makes it a user (preset: charts), a bare remote, and
// a registry holding kata-deploy at versions.
func chartsWorld(t *testing.T, versions ...string) world {
	t.Helper()
	slow.Git(t)
	files, err := fixture.CocoCharts()
	require.NoError(t, err)
	return chartsWorldOf(t, files, versions...)
}

// chartsWorldOf is [chartsWorld] on files in place of the fixture's.
func chartsWorldOf(t *testing.T, files map[string][]byte, versions ...string) world {
	t.Helper()
	files[config.ConfigFile] = []byte("preset: charts\n")
	w := world{root: t.TempDir(), remote: t.TempDir()}
	_, err := gitfixture.WithRemote(w.root, w.remote, files, "charts at c69ccf9")
	require.NoError(t, err)
	reg, err := ocifake.Start()
	require.NoError(t, err)
	t.Cleanup(reg.Close)
	require.NoError(t, reg.Push(kataDeployRepo, versions...))
	w.reg = reg.Client()
	return w
}

// cocoLock is Chart.lock as helm writes it for the charts repository's
// Chart.yaml at kata-deploy version, with the digest by helm's rule
// (sha256 of the JSON [requested, locked]; the alias and condition count),
// as the repository's README gives them.
func cocoLock(version, digest, generated string) string {
	return "dependencies:\n- name: kata-deploy\n  repository: oci://ghcr.io/kata-containers/kata-deploy-charts\n  version: " + version +
		"\ndigest: " + digest + "\ngenerated: \"" + generated + "\"\n"
}

const (
	coco3220Digest = "sha256:f96ee6087d425c69d7000b0cdbc2287e035a457188ea941e8a3357e51deebe7a"
	coco3230Digest = "sha256:e7769e68d39402977f8e1e928c8cc5e6b654648513f55ed35641a5a4a792be7e"
	syncTime       = "2026-06-02T09:15:01.123456+02:00"
	bumpTime       = "2026-06-03T10:00:00.5+02:00"
)

// TestCocoChartsLockDigest: the lock code gives the charts repository's
// real Chart.lock at kata-deploy 3.22.0 byte for byte (the alias counts).
func TestCocoChartsLockDigest(t *testing.T) {
	files, err := fixture.CocoCharts()
	require.NoError(t, err)
	got, err := charts.LockBytes(".", files["Chart.yaml"], nil, releaseTime(t, "2025-10-29T13:33:42.138774225-04:00"))
	require.NoError(t, err)
	require.Equal(t, string(files["Chart.lock"]), string(got))
	require.Equal(t, cocoLock("3.22.0", coco3220Digest, "2025-10-29T13:33:42.138774225-04:00"), string(got))
}

// TestCocoCharts: CoCo's charts repository goes through deps:sync 3.23.0
// then charts:bump 0.16.1 with preset: charts alone, each a signed-off
// commit: Chart.yaml changes in its three values, and Chart.lock is
// helm's.
func TestCocoCharts(t *testing.T) {
	ctx := t.Context()
	w := chartsWorld(t, "3.22.0", "3.23.0")
	orig, err := fixture.CocoCharts()
	require.NoError(t, err)

	r, out := w.runner(magevars.Vars{ReleaseTime: releaseTime(t, syncTime)})
	require.NoError(t, r.DepsSync(ctx, "3.23.0"), out.String())
	require.Contains(t, out.String(), "ok  check that the registry has kata-as-coco-runtime 3.23.0")
	require.Equal(t, cocoLock("3.23.0", coco3230Digest, syncTime), string(readFile(t, w.root, "Chart.lock")))
	msg := w.log(t, 1)[0]
	require.True(t, strings.HasPrefix(msg, "deps: sync with Kata Containers 3.23.0\n\nPin the kata-as-coco-runtime chart to 3.23.0 and regenerate Chart.lock."), msg)
	require.True(t, strings.HasSuffix(msg, signOff), msg)

	r, out = w.runner(magevars.Vars{ReleaseTime: releaseTime(t, bumpTime)})
	require.NoError(t, r.ChartsBump(ctx, "0.16.1"), out.String())
	want := strings.NewReplacer(`version: "3.22.0"`, `version: "3.23.0"`, `version: "0.16.0"`, `version: "0.16.1"`, `appVersion: "0.16.0"`, `appVersion: "0.16.1"`).Replace(string(orig["Chart.yaml"]))
	require.Equal(t, want, string(readFile(t, w.root, "Chart.yaml")))
	// helm keeps a lock whose digest does not change: the bump leaves it.
	require.Equal(t, cocoLock("3.23.0", coco3230Digest, syncTime), string(readFile(t, w.root, "Chart.lock")))
	msg = w.log(t, 1)[0]
	require.True(t, strings.HasPrefix(msg, "charts: move every chart to 0.16.1, appVersion 0.16.1"), msg)
	require.True(t, strings.HasSuffix(msg, signOff), msg)
	for name, data := range orig {
		if name != "Chart.yaml" && name != "Chart.lock" {
			require.Equal(t, string(data), string(readFile(t, w.root, name)), name)
		}
	}
	requireClean(t, w.root)
}

// TestCocoChartsTwoKataDeploys: at a Chart.yaml with two kata-deploy
// entries (as the repository had before 669fae2; the second one's alias is
// made up here), deps:sync with preset: charts alone pins the runtime's,
// the one aliased kata-as-coco-runtime, and locks both.
func TestCocoChartsTwoKataDeploys(t *testing.T) {
	files, err := fixture.CocoCharts()
	require.NoError(t, err)
	second := "  - name: kata-deploy\n    alias: kata-as-coco-runtime-for-ci\n    version: \"3.22.0\"\n" +
		"    repository: \"oci://ghcr.io/kata-containers/kata-deploy-charts\"\n    condition: kata-as-coco-runtime-for-ci.enabled\n"
	files["Chart.yaml"] = append(files["Chart.yaml"], second...)
	lock, err := charts.LockBytes(".", files["Chart.yaml"], nil, releaseTime(t, syncTime))
	require.NoError(t, err)
	files["Chart.lock"] = lock
	w := chartsWorldOf(t, files, "3.22.0", "3.23.0")
	r, out := w.runner(magevars.Vars{ReleaseTime: releaseTime(t, syncTime)})
	require.NoError(t, r.DepsSync(t.Context(), "3.23.0"), out.String())
	got := string(readFile(t, w.root, "Chart.yaml"))
	require.Equal(t, strings.Replace(string(files["Chart.yaml"]), `version: "3.22.0"`, `version: "3.23.0"`, 1), got)
	require.Contains(t, got, second, "the other entry is left alone")
	require.Contains(t, string(readFile(t, w.root, "Chart.lock")), "- name: kata-deploy\n  repository: oci://ghcr.io/kata-containers/kata-deploy-charts\n  version: 3.23.0\n- name: kata-deploy\n")
	requireClean(t, w.root)
}

// TestCocoChartsLatest: deps:sync latest resolves the highest release of
// kata-deploy among the registry's tags (pre-releases left out), and its
// branch names the version. (With SKIP_REGISTRY it has nothing to ask:
// TestCocoChartsRefuses.)
func TestCocoChartsLatest(t *testing.T) {
	ctx := t.Context()
	w := chartsWorld(t, "3.9.0", "3.22.0", "3.23.0", "3.24.0-rc.1")
	f := &ghfake.Server{}
	r, out := w.runner(magevars.Vars{PR: true, GitHubToken: ghfake.Token, GitHubAPIURL: ghfake.Start(t, f), GitHubRepository: "o/r", ReleaseTime: releaseTime(t, syncTime)})
	require.NoError(t, r.DepsSync(ctx, "latest"), out.String())
	require.Equal(t, cocoLock("3.23.0", coco3230Digest, syncTime), string(readFile(t, w.root, "Chart.lock")))
	require.Len(t, f.CreatedPulls, 1)
	require.Equal(t, "release/deps-sync-3.23.0", f.CreatedPulls[0].Head)
	require.Equal(t, "deps:sync 3.23.0", f.CreatedPulls[0].Title)
	require.Contains(t, f.CreatedPulls[0].Body, "`mage charts:bump <chartVersion>`")
	head, err := gitfixture.Head(w.root)
	require.NoError(t, err)
	require.Equal(t, head, remoteBranch(t, w.remote, "release/deps-sync-3.23.0"))

}

// TestCocoChartsRefuses: the targets that need what the charts repository
// does not have say so and change nothing; the registry check stops a
// kata-deploy version the registry lacks; deps:sync latest with
// SKIP_REGISTRY has nothing to ask; a downgrade of the kata-deploy
// dependency is refused unless ALLOW_DOWNGRADE=1 (then made, last).
func TestCocoChartsRefuses(t *testing.T) {
	ctx := t.Context()
	w := chartsWorld(t, "3.21.0", "3.22.0")
	r, out := w.runner(magevars.Vars{})
	err := r.Release(ctx, "v0.16.1", strings.Repeat("a", 40))
	require.ErrorIs(t, err, release.ErrNotConfigured, out.String())
	require.ErrorContains(t, err, "release.yaml gives no image")
	require.ErrorContains(t, err, "mage charts:bump <chartVersion>")
	for name, run := range map[string]func() error{
		"prerelease":      func() error { return r.Prerelease(ctx, "v0.16.1-alpha.1") },
		"postrelease":     func() error { return r.Postrelease(ctx, "v0.16.1") },
		"image:pin":       func() error { return r.OverlaysPin(ctx, strings.Repeat("a", 40)) },
		"citation:update": func() error { return r.CitationUpdate(ctx, "v0.16.1") },
		"gomod:bump":      func() error { return r.GomodBump(ctx, "v0.16.1") },
		"operator:unpin":  func() error { return r.OperatorUnpin(ctx) },
	} {
		require.ErrorIs(t, run(), release.ErrNotConfigured, name)
	}
	err = r.DepsSync(ctx, "3.23.0")
	require.ErrorIs(t, err, registry.ErrVersionNotFound, out.String())
	require.Equal(t, []string{"charts at c69ccf9"}, w.log(t, 1))
	requireClean(t, w.root)
	for _, name := range []string{"Chart.yaml", "Chart.lock"} {
		want, err := os.ReadFile(filepath.Join(w.root, name))
		require.NoError(t, err)
		require.Equal(t, string(fixture.MustCocoFile(name)), string(want))
	}

	r, out = w.runner(magevars.Vars{SkipRegistry: true})
	err = r.DepsSync(ctx, "latest")
	require.ErrorIs(t, err, release.ErrNoRegistry, out.String())
	require.ErrorContains(t, err, "unset SKIP_REGISTRY")
	requireClean(t, w.root)

	// Without a versions file, the kata-deploy dependency is the Kata
	// version a deps sync must not go below, unless ALLOW_DOWNGRADE=1.
	r, out = w.runner(magevars.Vars{})
	err = r.DepsSync(ctx, "3.21.0")
	require.ErrorIs(t, err, kata.ErrDowngrade, out.String())
	require.ErrorContains(t, err, "ALLOW_DOWNGRADE=1 mage deps:sync 3.21.0")
	requireClean(t, w.root)
	require.Equal(t, []string{"charts at c69ccf9"}, w.log(t, 1))
	r, out = w.runner(magevars.Vars{AllowDowngrade: true, ReleaseTime: releaseTime(t, syncTime)})
	require.NoError(t, r.DepsSync(ctx, "3.21.0"), out.String())
	require.Contains(t, string(readFile(t, w.root, "Chart.yaml")), `version: "3.21.0"`)
}

// TestDepsSyncLatestOnCAA: deps:sync latest works on CAA too: latest is
// the highest kata-deploy release its registry has (3.31.0 in the fake
// registry), then synced as usual. (The charts repository's downgrade is
// TestCocoChartsRefuses's.)
func TestDepsSyncLatestOnCAA(t *testing.T) {
	ctx := t.Context()
	h := helmWorld(t, fixture.HelmDepsSync, nil)
	r, out := h.runner(magevars.Vars{SkipGo: true, KataRef: h.kataCommit(t, fixture.HelmKataRefNote), KataRefNote: fixture.HelmKataRefNote, ReleaseTime: releaseTime(t, fixture.HelmDepsSyncTime)})
	require.NoError(t, r.DepsSync(ctx, "latest"), out.String())
	require.Contains(t, h.log(t, 1)[0], "deps: sync with Kata Containers "+fixture.HelmKataVersion)
}
