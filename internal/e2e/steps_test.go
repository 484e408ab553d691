package e2e_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/fixture"
	"github.com/confidential-containers/release-tools/internal/gitfixture"
)

// The single steps the two cycles do not run, each through the compiled
// frontend with nothing switched off.

// readFile is a file of the work tree.
func (w *world) readFile(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(w.root, filepath.FromSlash(name)))
	require.NoError(t, err, name)
	return string(data)
}

// requireUnmoved checks the work tree is clean (untracked files too) and
// HEAD is head.
func requireUnmoved(t *testing.T, w *world, head string) {
	t.Helper()
	require.Equal(t, head, w.rev(t, "HEAD"))
	require.Empty(t, w.git(t, "status", "--porcelain", "--untracked-files=all"))
}

// TestStepGomodBump: gomod:bump v0.13.0 on the 04 stage moves the requires
// between the modules and runs go mod tidy for real, one commit, the files
// as 04's after/; a go mod tidy that cannot resolve (an empty proxy) stops
// with the go command's message, every file restored and main unmoved.
func TestStepGomodBump(t *testing.T) {
	t.Parallel()
	w := newWorld(t, fixture.GomodBump, []string{fixture.KataVersion})
	base := w.rev(t, "HEAD")

	out, err := w.try(t, noModules(t), "gomod:bump", fixture.Version)
	require.Error(t, err, out)
	require.Contains(t, out, `step "go mod tidy (in src/cloud-api-adaptor)" failed`)
	require.Contains(t, out, ".zip: no such file or directory (restored 3 files and the branch", "the go command's own message")
	requireUnmoved(t, w, base)

	out = w.mage(t, nil, "gomod:bump", fixture.Version)
	for _, m := range []string{"src/cloud-api-adaptor", "src/csi-wrapper", "src/peerpod-ctrl"} {
		require.Contains(t, out, "go mod tidy (in "+m+")")
	}
	requireTree(t, w.root, after(t, fixture.GomodBump))
	require.Len(t, w.log(t, 2), 2)
	require.NotEqual(t, base, w.rev(t, "HEAD"))
	require.Equal(t, base, w.rev(t, "HEAD~1"), "one commit")
	require.Subset(t, []string{"src/cloud-api-adaptor/go.mod", "src/cloud-api-adaptor/go.sum", "src/csi-wrapper/go.mod", "src/csi-wrapper/go.sum",
		"src/peerpod-ctrl/go.mod", "src/peerpod-ctrl/go.sum"}, w.changed(t, "HEAD"))
	w.merge(t)
}

// TestStepHelmImageChartsCitation: on the v0.21 files after the release
// (charts at 0.3.0, image pinned): image:unpin, image:pin of an image the
// registry lacks refused with nothing written, image:pin of the pushed
// images, charts:bump refused for a version the chart registry has and
// done for 0.4.0, citation:update with RELEASE_COMMIT and RELEASE_DATE.
func TestStepHelmImageChartsCitation(t *testing.T) {
	t.Parallel()
	w := newWorld(t, fixture.HelmPatch, []string{fixture.HelmKataVersion})
	sha := fixture.HelmImageSHA
	for _, ref := range fixture.HelmImages {
		w.oci.pushImage(t, ref)
	}
	base := w.rev(t, "HEAD")
	values := peerpodsCh + "values.yaml"
	pinned := w.readFile(t, values)
	require.Contains(t, pinned, sha)

	// image:unpin: every pin back to latest, one commit.
	w.mage(t, nil, "image:unpin")
	require.Equal(t, base, w.rev(t, "HEAD~1"))
	require.NotContains(t, w.readFile(t, values), sha)
	unpinned := w.rev(t, "HEAD")
	for _, f := range w.changed(t, "HEAD") {
		require.NotContains(t, w.readFile(t, f), sha, f)
	}

	// image:pin of a commit whose images are not in the registry: refused
	// after asking quay.io, nothing written.
	missing := strings.Repeat("a", 40)
	out, err := w.try(t, nil, "image:pin", missing)
	require.Error(t, err, out)
	require.Contains(t, out, missing)
	requireUnmoved(t, w, unpinned)
	asked, _ := w.oci.hosts()
	require.Contains(t, asked, "quay.io:443")

	// image:pin of the pushed images: the pins as they were.
	w.mage(t, nil, "image:pin", sha)
	require.Equal(t, unpinned, w.rev(t, "HEAD~1"))
	require.Equal(t, pinned, w.readFile(t, values))
	require.Empty(t, w.git(t, "diff", base, "HEAD"), "unpin then pin gives the files back")

	// charts:bump to a version the chart registry has: refused.
	w.oci.pushChart(t, peerpods+":0.3.9")
	head := w.rev(t, "HEAD")
	out, err = w.try(t, nil, "charts:bump", "0.3.9")
	require.Error(t, err, out)
	require.Contains(t, out, "0.3.9")
	requireUnmoved(t, w, head)

	// charts:bump 0.4.0: free in the registry, every chart moved.
	out = w.mage(t, []string{"RELEASE_TIME=" + fixture.HelmPatchTime}, "charts:bump", "0.4.0")
	require.Contains(t, out, "0.4.0")
	require.Equal(t, head, w.rev(t, "HEAD~1"))
	for _, c := range []string{peerpodsCh + "Chart.yaml", "src/peerpod-ctrl/chart/Chart.yaml", "src/webhook/chart/Chart.yaml"} {
		require.Contains(t, w.readFile(t, c), "\nversion: 0.4.0\n", c)
	}
	require.Contains(t, w.changed(t, "HEAD"), peerpodsCh+"Chart.lock")
	require.Contains(t, w.readFile(t, peerpodsCh+"Chart.lock"), "generated: \""+fixture.HelmPatchTime+"\"")
	released := w.merge(t)

	// citation:update with a commit of origin/main and a date.
	w.mage(t, []string{"RELEASE_COMMIT=" + released, "RELEASE_DATE=" + fixture.HelmReleaseDate}, "citation:update", fixture.HelmPatchVersion)
	require.Equal(t, []string{"CITATION.cff"}, w.changed(t, "HEAD"))
	cff := w.readFile(t, "CITATION.cff")
	require.Contains(t, cff, released)
	require.Contains(t, cff, fixture.HelmReleaseDate)
	require.Contains(t, cff, strings.TrimPrefix(fixture.HelmPatchVersion, "v"))
	head = w.merge(t)

	// With a higher release on origin (a module tag of v0.21.2), citing
	// v0.21.1 would take CITATION.cff back: refused, nothing written, and
	// the fix cites the latest.
	w.remoteTag(t, "src/cloud-api-adaptor/v0.21.2", head)
	out, err = w.try(t, []string{"RELEASE_COMMIT=" + released, "RELEASE_DATE=" + fixture.HelmReleaseDate}, "citation:update", fixture.HelmPatchVersion)
	require.Error(t, err, out)
	require.Contains(t, out, "v0.21.1 is below the latest release v0.21.2")
	require.Contains(t, out, "mage citation:update v0.21.2")
	requireUnmoved(t, w, head)
}

// TestStepProxyGitHub: after PUSH=1 tags, proxy:check and proxy:warm ask
// the file:// proxy (which has none of the repository's modules: check
// says each is new, warm refuses a file:// proxy); github:lock
// and github:unlock with PUSH=1 change the fake GitHub's protection of main.
func TestStepProxyGitHub(t *testing.T) {
	t.Parallel()
	w := newWorld(t, fixture.HelmPatch, []string{fixture.HelmKataVersion})
	head := w.rev(t, "HEAD")
	w.mage(t, []string{"PUSH=1"}, "tags", fixture.HelmVersion)
	requireTags(t, w, fixture.HelmVersion, head)

	// proxy:check: the tags on origin, the file:// proxy without any of
	// the versions (new to it, not burnt).
	out := w.mage(t, nil, "proxy:check", fixture.HelmVersion)
	for _, m := range modules {
		require.Contains(t, out, "done     "+m+"/"+fixture.HelmVersion+" (already on origin)")
		require.Contains(t, out, "proxy new      github.com/confidential-containers/cloud-api-adaptor/"+m+"@"+fixture.HelmVersion)
	}
	// proxy:warm: a file:// proxy fetches nothing, so it is refused at
	// once rather than waited on.
	start := time.Now()
	out, err := w.try(t, nil, "proxy:warm", fixture.HelmVersion)
	require.Error(t, err, out)
	require.Contains(t, out, "is a file:// proxy, which cannot be warmed")
	require.Less(t, time.Since(start), time.Minute)
	requireUnmoved(t, w, head)

	out = w.mage(t, nil, "github:lock")
	require.Contains(t, out, "PUSH=1 changes it")
	w.gh.Mu.Lock()
	require.Empty(t, w.gh.Puts, "github:lock without PUSH=1 changed the protection")
	w.gh.Mu.Unlock()

	w.mage(t, []string{"PUSH=1"}, "github:lock")
	w.gh.Mu.Lock()
	require.Len(t, w.gh.Puts, 1)
	require.True(t, w.gh.Protection["main"].GetLockBranch().GetEnabled(), "main locked")
	w.gh.Mu.Unlock()

	w.mage(t, []string{"PUSH=1"}, "github:unlock")
	w.gh.Mu.Lock()
	require.Len(t, w.gh.Puts, 2)
	require.False(t, w.gh.Protection["main"].GetLockBranch().GetEnabled(), "main unlocked")
	w.gh.Mu.Unlock()
}

// TestStepOperator: operator:pin v0.13.0 on the 02 stage gives its
// versions.yaml, one commit; operator:unpin gives the before/ one back.
func TestStepOperator(t *testing.T) {
	t.Parallel()
	w := newWorld(t, fixture.PinOperator, []string{fixture.KataVersion})
	base := w.rev(t, "HEAD")
	const versions = "src/cloud-api-adaptor/versions.yaml"
	before := w.readFile(t, versions)

	w.mage(t, nil, "operator:pin", fixture.OperatorRef)
	require.Equal(t, string(fixture.MustFile(fixture.PinOperator, "after", versions)), w.readFile(t, versions))
	require.Equal(t, []string{versions}, w.changed(t, "HEAD"))
	require.Equal(t, base, w.rev(t, "HEAD~1"))

	w.mage(t, nil, "operator:unpin")
	require.Equal(t, before, w.readFile(t, versions))
	require.Equal(t, []string{versions}, w.changed(t, "HEAD"))
	require.Equal(t, "2", w.git(t, "rev-list", "--count", base+"..HEAD"))
	require.Empty(t, w.git(t, "status", "--porcelain"))
}

// coco3230Digest is Chart.lock's digest for the charts repository's
// Chart.yaml at kata-deploy 3.23.0 (targets/chartsrepo_test.go).
const coco3230Digest = "sha256:e7769e68d39402977f8e1e928c8cc5e6b654648513f55ed35641a5a4a792be7e"

// newChartsWorld is a world whose repository is CoCo's charts repository
// (preset: charts) in place of cloud-api-adaptor: newWorld's environment,
// proxy, fake GitHub and registry, with the repository and its origin
// rebuilt from fixture.CocoCharts.
func newChartsWorld(t *testing.T) *world {
	t.Helper()
	w := newWorld(t, fixture.HelmPatch, []string{fixture.HelmKataVersion})
	files, err := fixture.CocoCharts()
	require.NoError(t, err)
	files["release.yaml"] = []byte("preset: charts\n")
	w.root, w.remote = t.TempDir(), t.TempDir()
	_, err = gitfixture.WithRemote(w.root, w.remote, files, "charts at c69ccf9")
	require.NoError(t, err)
	return w
}

// TestStepCocoCharts: CoCo's charts repository through deps:sync latest
// (kata-deploy's highest release in ghcr.io, the rc left out) and
// charts:bump 0.16.1: Chart.yaml's three values, Chart.lock, two commits.
func TestStepCocoCharts(t *testing.T) {
	t.Parallel()
	w := newChartsWorld(t)
	for _, v := range []string{"3.22.0", "3.23.0", "3.24.0-rc.1"} {
		w.oci.pushChart(t, kataDeploy+":"+v)
	}
	orig, err := fixture.CocoCharts()
	require.NoError(t, err)
	base := w.rev(t, "HEAD")
	const syncTime, bumpTime = "2026-06-02T09:15:01.123456+02:00", "2026-06-03T10:00:00.5+02:00"

	out := w.mage(t, []string{"RELEASE_TIME=" + syncTime}, "deps:sync", "latest")
	require.Contains(t, out, "kata-deploy 3.23.0")
	require.NotContains(t, out, "3.24.0-rc.1 (")
	lock := "dependencies:\n- name: kata-deploy\n  repository: oci://ghcr.io/kata-containers/kata-deploy-charts\n  version: 3.23.0\ndigest: " +
		coco3230Digest + "\ngenerated: \"" + syncTime + "\"\n"
	require.Equal(t, lock, w.readFile(t, "Chart.lock"))
	require.True(t, strings.HasPrefix(w.log(t, 1)[0], "deps: sync with Kata Containers 3.23.0"), w.log(t, 1)[0])
	require.ElementsMatch(t, []string{"Chart.yaml", "Chart.lock"}, w.changed(t, "HEAD"))
	asked, _ := w.oci.hosts()
	require.Contains(t, asked, "ghcr.io:443")

	w.mage(t, []string{"RELEASE_TIME=" + bumpTime}, "charts:bump", "0.16.1")
	want := strings.NewReplacer(`version: "3.22.0"`, `version: "3.23.0"`, `version: "0.16.0"`, `version: "0.16.1"`,
		`appVersion: "0.16.0"`, `appVersion: "0.16.1"`).Replace(string(orig["Chart.yaml"]))
	require.Equal(t, want, w.readFile(t, "Chart.yaml"))
	require.Equal(t, lock, w.readFile(t, "Chart.lock"), "a lock whose digest does not change is kept")
	require.True(t, strings.HasPrefix(w.log(t, 1)[0], "charts: move every chart to 0.16.1, appVersion 0.16.1"), w.log(t, 1)[0])
	require.Equal(t, "2", w.git(t, "rev-list", "--count", base+"..HEAD"))
	for name, data := range orig {
		if name != "Chart.yaml" && name != "Chart.lock" {
			require.Equal(t, string(data), w.readFile(t, name), name)
		}
	}
	w.merge(t)
}
