package e2e_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/fixture"
	"github.com/confidential-containers/release-tools/internal/fixturemods"
)

// TestOverlayRelease drives the compiled frontend through the overlay-era
// release on the v0.13.0 files, nothing switched off: deps:sync 3.15.0,
// prerelease v0.13.0-alpha.1 (the operator pinned, the requires between
// the modules bumped, go mod tidy for real), its tags and GitHub
// pre-release, release v0.13.0 (the overlays pinned, the requires bumped
// again), its tags, postrelease and status; each stage's files byte for
// byte as the fixture's after/ (go.mod in their small form).
func TestOverlayRelease(t *testing.T) {
	t.Parallel()
	w := newWorld(t, fixture.KataSync, []string{"3.14.0", fixture.KataVersion}, "v0.12.0", "v0.12.0-alpha.1")
	sha := fixture.ImageSHA
	for _, ref := range []string{"cloud-api-adaptor:" + sha, "cloud-api-adaptor:dev-" + sha} {
		w.oci.pushImage(t, quay+ref)
	}
	base := w.rev(t, "HEAD")

	out := w.mage(t, nil, "deps:sync", fixture.KataVersion)
	require.Contains(t, out, "go get "+fixturemods.KataRuntime+"@3.15.0 (in src/cloud-api-adaptor)")
	requireTree(t, w.root, after(t, fixture.KataSync))
	w.merge(t)

	// prerelease: 02-pin-operator's versions.yaml, the requires at the
	// candidate.
	const alpha = "v0.13.0-alpha.1"
	out = w.mage(t, []string{"OPERATOR_REF=" + fixture.OperatorRef}, "prerelease", alpha)
	for _, m := range []string{"src/cloud-api-adaptor", "src/csi-wrapper", "src/peerpod-ctrl"} {
		require.Contains(t, out, "go mod tidy (in "+m+")")
	}
	want := after(t, fixture.PinOperator)
	require.Equal(t, []string{"src/cloud-api-adaptor/go.mod", "src/csi-wrapper/go.mod", "src/peerpod-ctrl/go.mod"},
		replace(want, " v0.12.0\n", " "+alpha+"\n"))
	requireTree(t, w.root, want)
	require.Equal(t, []string{"prerelease: " + alpha}, w.log(t, 1))
	candidate := w.merge(t)
	w.mage(t, []string{"PUSH=1"}, "tags", alpha)
	requireTags(t, w, alpha, candidate)
	out = w.mage(t, []string{"PUSH=1"}, "github:release", alpha)
	require.Contains(t, out, "pre-release, not marked latest; notes from v0.12.0-alpha.1")

	// release: the aggregate of 03 and 04, the requires from the candidate.
	out = w.mage(t, nil, "release", fixture.Version, sha)
	requireTree(t, w.root, after(t, fixture.ReleaseAggr))
	require.Equal(t, []string{
		"release: move the requires between the repository's modules to " + fixture.Version,
		"release: pin the cloud-api-adaptor image to " + sha + " for " + fixture.Version,
	}, w.log(t, 2), out)
	released := w.merge(t)
	w.mage(t, []string{"PUSH=1"}, "tags", fixture.Version)
	requireTags(t, w, fixture.Version, released)
	w.mage(t, []string{"PUSH=1"}, "github:release", fixture.Version)

	// postrelease: the aggregate of 05, 06 and 07, CITATION.cff naming the
	// tagged commit.
	w.mage(t, []string{"RELEASE_DATE=" + fixture.ReleaseDate}, "postrelease", fixture.Version)
	want = after(t, fixture.PostReleaseAggr)
	require.Equal(t, []string{"CITATION.cff"}, replace(want, fixture.ReleaseCommit, released))
	requireTree(t, w.root, want)
	w.merge(t)
	out = w.mage(t, nil, "status")
	require.Contains(t, strings.Join(strings.Fields(out), " "), "no inconsistencies found")
	require.Equal(t, "5", w.git(t, "rev-list", "--count", base+"..origin/main"), "deps:sync 1, prerelease 1, release 2, postrelease 1")
}
