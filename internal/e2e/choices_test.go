package e2e_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/fixture"
	"github.com/confidential-containers/release-tools/internal/gitfixture"
)

// fixRE is a printed fix that re-runs the deps sync: its variables and
// its arguments.
var fixRE = regexp.MustCompile(`fix: ((?:[A-Z_]+=\S+ )*)mage (deps:sync \S+)`)

// runFix runs, as printed, the deps sync that out's first fix names, and
// returns its command line.
func (w *world) runFix(t *testing.T, out string) string {
	t.Helper()
	m := fixRE.FindStringSubmatch(out)
	require.NotNil(t, m, "no deps:sync fix in\n%s", out)
	w.mage(t, strings.Fields(m[1]), strings.Fields(m[2])...)
	return strings.TrimPrefix(m[0], "fix: ")
}

// TestChoices: GUEST_COMPONENTS_REF=<commit> mage deps:sync (the README's
// v0.22.0 example) records the choice as a trailer of the deps-sync
// commit; status shows it as a choice, not an inconsistency; the deps
// sync that status's fix and release's refusal of a dev kata-deploy
// suggest carries it, and succeeds when run as printed, keeping it.
func TestChoices(t *testing.T) {
	t.Parallel()
	w := newWorld(t, fixture.HelmDepsSync, []string{fixture.HelmKataVersion}, "v0.20.0")
	w.oci.pushChart(t, kataDeploy+":"+fixture.HelmKataVersion)
	base := w.rev(t, "HEAD")
	const versions, lock = "src/cloud-api-adaptor/versions.yaml", peerpodsCh + "Chart.lock"
	chosen := "0123456789abcdef0123456789abcdef01234567"
	choice := "GUEST_COMPONENTS_REF=" + chosen

	w.mage(t, []string{choice, "RELEASE_TIME=" + fixture.HelmDepsSyncTime}, "deps:sync", fixture.HelmKataVersion)
	require.Contains(t, w.readFile(t, versions), "reference: "+chosen+"\n")
	msg := w.git(t, "log", "-1", "--format=%B")
	require.Contains(t, msg, "\n\nGuest-Components-Ref: "+chosen+" (Kata 3.31.0 names "+fixture.HelmGuestComponents+")\nSigned-off-by: ", msg)
	require.Equal(t, "Guest-Components-Ref: "+chosen+" (Kata 3.31.0 names "+fixture.HelmGuestComponents+")",
		w.git(t, "log", "-1", "--format=%(trailers:key=Guest-Components-Ref)"), "git reads it as a trailer")
	sync := w.merge(t)

	// status: the choice is a fact, not an inconsistency.
	out, err := w.try(t, nil, "status")
	got := strings.Join(strings.Fields(out), " ")
	require.Contains(t, got, "chosen guest-components "+chosen+" by hand in "+sync[:12]+" (Kata 3.31.0 names "+fixture.HelmGuestComponents+")", out)
	require.NotContains(t, out, "oci.guest-components.reference is")
	require.NotContains(t, out, "deps:sync 3.31.0", "no fix undoes the choice")
	_ = err // the cycle's other facts are not this test's

	// Chart.lock removed by hand: status's fix re-runs the sync with the
	// choice, and running it as printed keeps it.
	w.git(t, "rm", "-q", lock)
	w.git(t, "commit", "-qm", "lose the lock")
	out, err = w.try(t, nil, "status")
	require.Error(t, err, out)
	require.Contains(t, out, lock+" is missing while kata-deploy is pinned to 3.31.0")
	require.Equal(t, choice+" mage deps:sync 3.31.0", w.runFix(t, out))
	require.Contains(t, w.readFile(t, versions), "reference: "+chosen+"\n", "the fix kept the choice")
	require.Contains(t, w.git(t, "log", "-1", "--format=%B"), "Guest-Components-Ref: "+chosen)
	require.FileExists(t, w.root+"/"+lock)
	w.merge(t)

	// kata-deploy back at its dev version: release refuses, and its fix
	// is the same sync with the choice.
	w.git(t, "checkout", base, "--", peerpodsCh+"Chart.yaml")
	w.git(t, "rm", "-q", lock)
	w.git(t, "commit", "-qm", "kata-deploy at dev")
	head := w.rev(t, "HEAD")
	out, err = w.try(t, []string{"RELEASE_TIME=" + fixture.HelmReleaseTime}, "release", fixture.HelmVersion, fixture.HelmImageSHA)
	require.Error(t, err, out)
	requireUnmoved(t, w, head)
	require.Equal(t, choice+" mage deps:sync 3.31.0", w.runFix(t, out))
	require.Contains(t, w.readFile(t, versions), "reference: "+chosen+"\n")
	require.Contains(t, w.readFile(t, peerpodsCh+"Chart.yaml"), `version: "3.31.0"`)
	for _, e := range w.env {
		require.False(t, strings.HasPrefix(e, "SKIP_"), e)
	}
}

// TestKindChange: v0.10.0's deps sync, where Kata's versions.yaml names
// trustee by the tag v0.10.1 and CAA's file holds a commit: the tag is
// written and the plan says the kind changed. A value that is neither a
// commit nor a version is still refused, nothing written.
func TestKindChange(t *testing.T) {
	t.Parallel()
	w := newWorld(t, fixture.HelmDepsSync, nil)
	w.oci.pushChart(t, kataDeploy+":"+fixture.HelmKataVersion)
	const versions = "src/cloud-api-adaptor/versions.yaml"
	require.Contains(t, w.readFile(t, versions), "  kbs:\n    url: https://github.com/confidential-containers/trustee\n    reference: 22788122660d6e9be3e4bf52704282de5fcc0a2a\n")
	kataFile := func(trustee string) map[string][]byte {
		data, err := fixture.KataVersions(fixture.HelmKataVersion)
		require.NoError(t, err)
		s := strings.Replace(string(data), `version: "`+fixture.HelmTrustee+`"`, `version: "`+trustee+`"`, 1)
		require.NotEqual(t, string(data), s)
		return map[string][]byte{"versions.yaml": []byte(s)}
	}
	_, err := gitfixture.Releases(w.kata, gitfixture.Release{Tag: fixture.HelmKataVersion, Files: kataFile("main")})
	require.NoError(t, err)
	base := w.rev(t, "HEAD")
	out, err := w.try(t, nil, "deps:sync", fixture.HelmKataVersion)
	require.Error(t, err, out)
	require.Contains(t, out, `externals.coco-trustee.version is "main": not a version or a commit`)
	requireUnmoved(t, w, base)

	// Kata moves the tag to v0.10.1, as its 3.9.0 did.
	w.kata = t.TempDir()
	_, err = gitfixture.Releases(w.kata, gitfixture.Release{Tag: fixture.HelmKataVersion, Files: kataFile("v0.10.1")})
	require.NoError(t, err)
	out = w.mage(t, []string{"KATA_REPO=file://" + w.kata}, "deps:sync", fixture.HelmKataVersion)
	require.Contains(t, out, "git.kbs.reference: commit -> v0.10.1 (a version where a commit was)")
	require.Contains(t, w.readFile(t, versions), "  kbs:\n    url: https://github.com/confidential-containers/trustee\n    reference: v0.10.1\n")
	require.Equal(t, base, w.rev(t, "HEAD~1"))
}
