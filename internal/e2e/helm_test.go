package e2e_test

import (
	"path"
	"strings"
	"testing"

	git "github.com/go-git/go-git/v5"
	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/fixture"
	"github.com/confidential-containers/release-tools/internal/fixturemods"
	"github.com/confidential-containers/release-tools/internal/gitfixture"
)

const (
	kataDeploy = "ghcr.io/kata-containers/kata-deploy-charts/kata-deploy"
	peerpods   = "ghcr.io/confidential-containers/cloud-api-adaptor/charts/peerpods"
	quay       = "quay.io/confidential-containers/"
	peerpodsCh = "src/cloud-api-adaptor/install/charts/peerpods/"
)

// modules are the modules the release tags, without the podvm placeholder.
var modules = []string{"src/cloud-api-adaptor", "src/cloud-providers", "src/csi-wrapper", "src/peerpod-ctrl", "src/webhook"}

// requireTags checks origin has exactly the module tags of version, on
// commit.
func requireTags(t *testing.T, w *world, version, commit string) {
	t.Helper()
	want := map[string]string{}
	for _, m := range modules {
		want[m+"/"+version] = commit
	}
	require.Equal(t, want, w.remoteTags(t, "/"+version))
}

// TestHelmCycle drives the compiled frontend through today's release
// cycle on the v0.21 files, nothing switched off: deps:sync 3.31.0 (go get
// and tidy for real, kata-deploy asked of ghcr.io), release v0.21.0, the
// merge, tags, github:release, postrelease and status; each stage's files
// byte for byte as the fixture's after/ (go.mod in their small form), its
// commits, the tags on origin and the GitHub release.
func TestHelmCycle(t *testing.T) {
	t.Parallel()
	w := newCheckedWorld(t, fixture.HelmDepsSync, []string{fixture.HelmKataVersion}, "v0.20.0")
	w.oci.pushChart(t, kataDeploy+":"+fixture.HelmKataVersion)
	sha := fixture.HelmImageSHA
	for _, ref := range []string{"cloud-api-adaptor:" + sha, "cloud-api-adaptor:" + sha + "-dev", "peerpod-ctrl:" + sha, "peer-pods-webhook:" + sha} {
		w.oci.pushImage(t, quay+ref)
	}
	base := w.rev(t, "HEAD")
	// KATA_REF must be a commit of the Kata repository: the real one's
	// later fix is not in the test's, so a commit made here stands in.
	kata, err := git.PlainOpen(w.kata)
	require.NoError(t, err)
	later, err := gitfixture.Commit(kata, map[string][]byte{"fix.txt": []byte(fixture.HelmKataRefNote + "\n")}, fixture.HelmKataRefNote)
	require.NoError(t, err)
	syncVars := []string{"KATA_REF=" + later.String(), "KATA_REF_NOTE=" + fixture.HelmKataRefNote, "RELEASE_TIME=" + fixture.HelmDepsSyncTime}

	// A go command that fails (a proxy without the Kata release) stops
	// deps:sync with its message, after the edits: every file restored,
	// Chart.lock not left behind, main unmoved.
	out, err := w.try(t, append(syncVars, noModules(t)...), "deps:sync", fixture.HelmKataVersion)
	require.Error(t, err, out)
	require.Contains(t, out, "go get "+fixturemods.KataRuntime+"@3.31.0")
	require.Contains(t, out, ".mod: no such file or directory (restored 3 files and the branch", "the go command's own message")
	require.Equal(t, base, w.rev(t, "HEAD"))
	require.Empty(t, w.git(t, "status", "--porcelain", "--untracked-files=all"))

	// deps:sync: the Kata references, kata-deploy pinned after asking
	// ghcr.io, Chart.lock written, go get and go mod tidy in the two
	// modules requiring the Kata runtime. The results (the plan, each
	// step's outcome) are on stdout, the lines of what waits on the
	// network or the go command on stderr.
	out, progress := w.split(t, syncVars, "deps:sync", fixture.HelmKataVersion)
	require.Contains(t, out, "deps:sync 3.31.0: plan\n")
	require.Contains(t, out, "deps:sync 3.31.0: done in ")
	require.NotContains(t, out, "(waits on ")
	require.Contains(t, progress, "  ... go get "+fixturemods.KataRuntime+"@3.31.0 (in src/cloud-api-adaptor) (waits on the go command and the network)\n")
	require.Contains(t, progress, " (waits on the network)\n")
	for _, l := range strings.Split(strings.TrimSuffix(progress, "\n"), "\n") {
		require.Contains(t, l, "(waits on ", "stderr holds progress lines only")
	}
	require.Contains(t, out, "check that the registry has kata-deploy 3.31.0: oci://ghcr.io/kata-containers/kata-deploy-charts has kata-deploy 3.31.0")
	for _, m := range []string{"src/cloud-api-adaptor", "src/csi-wrapper"} {
		require.Contains(t, out, "go get "+fixturemods.KataRuntime+"@3.31.0 (in "+m+")")
	}
	require.NotContains(t, out, ": skipped")
	// Every stage from here holds the stand-in where the real one has the
	// real commit.
	afterSync := func(stage string) map[string][]byte {
		files := after(t, stage)
		require.Equal(t, []string{"src/cloud-api-adaptor/versions.yaml"}, replace(files, fixture.HelmKataRef, later.String()))
		return files
	}
	requireTree(t, w.root, afterSync(fixture.HelmDepsSync))
	require.Equal(t, []string{"deps: sync with Kata Containers 3.31.0"}, w.log(t, 1))
	// The Kata commit chosen by hand is a trailer, beside the sign-off.
	msg := w.git(t, "log", "-1", "--format=%B")
	require.Contains(t, msg, "\nKata-Ref: "+later.String()+" (Kata 3.31.0's tag names ", msg)
	require.Contains(t, msg, "\nKata-Ref-Note: "+fixture.HelmKataRefNote+"\nSigned-off-by: ", msg)
	require.ElementsMatch(t, []string{
		"src/cloud-api-adaptor/versions.yaml", peerpodsCh + "Chart.yaml", peerpodsCh + "Chart.lock",
		"src/cloud-api-adaptor/go.mod", "src/cloud-api-adaptor/go.sum", "src/csi-wrapper/go.mod", "src/csi-wrapper/go.sum",
	}, w.changed(t, "HEAD"))
	asked, _ := w.oci.hosts()
	require.Contains(t, asked, "ghcr.io:443", "kata-deploy was asked of ghcr.io through HTTPS_PROXY")
	w.merge(t)

	// release: the image pinned (commit 1), the charts moved (commit 2).
	out = w.mage(t, []string{"RELEASE_TIME=" + fixture.HelmReleaseTime}, "release", fixture.HelmVersion, sha)
	require.Contains(t, out, "move the charts to 0.3.0, appVersion v0.21.0")
	// After github:release, verify checks what the release published.
	next := strings.Join(strings.Fields(out[strings.Index(out, "next, in order:"):]), " ")
	require.Contains(t, next, " 4. PUSH=1 mage github:release v0.21.0 the release, marked latest: it publishes the charts 5. mage proxy:warm v0.21.0 ", next)
	require.Contains(t, next, " 6. WAIT=1 mage verify v0.21.0 ", next)
	require.NotContains(t, next, "charts:check", next)
	want := afterSync(fixture.HelmRelease)
	// 02-release also fixed a comment by hand, which is no release step.
	require.NotEmpty(t, replace(want, "Update to <commit>-dev at release time", "Update to dev-<commit> at release time"))
	requireTree(t, w.root, want)
	require.Equal(t, []string{
		"release: v0.21.0: the charts to 0.3.0",
		"release: pin the cloud-api-adaptor image to " + sha + " for v0.21.0",
		"deps: sync with Kata Containers 3.31.0",
	}, w.log(t, 3))
	released := w.merge(t)

	// tags: every module tagged on the merged head, pushed to origin.
	out = w.mage(t, nil, "tags", fixture.HelmVersion)
	require.Contains(t, out, "PUSH=1 creates and pushes them")
	require.Empty(t, w.remoteTags(t, "/"+fixture.HelmVersion), "tags without PUSH=1 pushed")
	w.mage(t, []string{"PUSH=1"}, "tags", fixture.HelmVersion)
	requireTags(t, w, fixture.HelmVersion, released)

	// charts:check, github:release, then CAA's workflow publishes the chart.
	out, progress = w.split(t, nil, "charts:check", fixture.HelmVersion)
	require.Contains(t, out, "charts: peerpods 0.3.0 is not published at oci://"+peerpods+" yet")
	require.Equal(t, "charts: asking oci://"+path.Dir(peerpods)+" (waits on the network)\n", progress)
	out = w.mage(t, []string{"PUSH=1"}, "github:release", fixture.HelmVersion)
	require.Contains(t, out, "full release, marked latest; notes from v0.20.0")
	w.gh.Mu.Lock()
	require.Len(t, w.gh.Created, 1)
	require.Equal(t, fixture.HelmVersion, w.gh.Created[0]["tag_name"])
	require.Equal(t, released, w.gh.Created[0]["target_commitish"])
	require.Equal(t, false, w.gh.Created[0]["prerelease"])
	body, _ := w.gh.Created[0]["body"].(string)
	require.True(t, strings.HasPrefix(body, "## Components\n"), body)
	require.Contains(t, body, "| Kata Containers | 3.31.0 | `"+later.String()+"` |\n", "the components of the tagged tree")
	w.gh.Mu.Unlock()
	w.oci.pushChart(t, peerpods+":0.3.0")
	out = w.mage(t, nil, "charts:check", fixture.HelmVersion)
	require.Contains(t, out, "charts: peerpods 0.3.0 is published at oci://"+peerpods+" (sha256:")

	// postrelease: the 04-postrelease stage of v0.21.1, with v0.21.0's
	// values: chart 0.3.0, CITATION.cff's version and commit.
	out = w.mage(t, []string{"RELEASE_DATE=" + fixture.HelmReleaseDate}, "postrelease", fixture.HelmVersion)
	require.Contains(t, out, "unpin the kata-deploy chart (back to 0.0.0-dev) and remove its lock")
	want = afterSync(fixture.HelmPostrelease)
	require.NotEmpty(t, replace(want, "Update to <commit>-dev at release time", "Update to dev-<commit> at release time"))
	require.Equal(t, []string{"CITATION.cff", peerpodsCh + "Chart.yaml", "src/peerpod-ctrl/chart/Chart.yaml", "src/webhook/chart/Chart.yaml"},
		replace(want, "0.3.1", "0.3.0", "0.21.1", "0.21.0", fixture.HelmReleaseCommit, released))
	requireTree(t, w.root, want, peerpodsCh+"Chart.lock")
	require.True(t, strings.HasPrefix(w.log(t, 1)[0], "postrelease: v0.21.0"), w.log(t, 1)[0])
	w.merge(t)

	// status: nothing wrong, GitHub and the published chart asked.
	out = w.mage(t, nil, "status")
	got := strings.Join(strings.Fields(out), " ")
	for _, s := range []string{"layout Helm charts", "chart peerpods kata-deploy 0.0.0-dev", "published chart peerpods 0.3.0 is published", "no inconsistencies found"} {
		require.Contains(t, got, s)
	}
	require.Equal(t, "4", w.git(t, "rev-list", "--count", base+"..origin/main"), "deps:sync 1, release 2, postrelease 1")
	_, refused := w.oci.hosts()
	require.Empty(t, refused, "the frontend asked the proxy for hosts other than the registry's")
	for _, e := range w.env {
		require.False(t, strings.HasPrefix(e, "SKIP_"), e)
	}
}
