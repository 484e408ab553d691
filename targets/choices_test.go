package targets

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	git "github.com/go-git/go-git/v5"
	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/github"
	"github.com/confidential-containers/release-tools/internal/fixture"
	"github.com/confidential-containers/release-tools/internal/gitfixture"
	"github.com/confidential-containers/release-tools/internal/magevars"
	"github.com/confidential-containers/release-tools/phase"
	"github.com/confidential-containers/release-tools/release/config"
)

const versionsYAMLFile = "src/cloud-api-adaptor/versions.yaml"

// TestChosenRefs: GUEST_COMPONENTS_REF and TRUSTEE_REF replace what Kata's
// versions.yaml names (v0.22.0 took guest-components at a later commit),
// each a commit or a version, and are recorded as trailers of the commit.
// On the same world, a Kata reference holding a version (kata-agent-ctl)
// gets the new Kata version.
func TestChosenRefs(t *testing.T) {
	ctx := t.Context()
	env := func(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }
	for _, bad := range []string{"main", "abc123", "v1.2", "-x", "a b"} {
		for _, name := range []string{"GUEST_COMPONENTS_REF", "TRUSTEE_REF"} {
			_, err := magevars.Read(env(map[string]string{name: bad}))
			require.ErrorContains(t, err, name+": ", bad)
			require.ErrorContains(t, err, "not a commit or a version", bad)
		}
	}
	v, err := magevars.Read(env(map[string]string{"GUEST_COMPONENTS_REF": strings.Repeat("b", 40), "TRUSTEE_REF": "v0.17.0"}))
	require.NoError(t, err)
	require.Equal(t, [2]string{strings.Repeat("b", 40), "v0.17.0"}, [2]string{v.GuestComponentsRef, v.TrusteeRef})

	// One world for the three syncs: a dry run, then a sync reset before
	// the next.
	w := helmWorld(t, fixture.HelmDepsSync, nil)

	// A version where the file holds a commit is written: the kind changes.
	r, out := w.runner(magevars.Vars{SkipGo: true, SkipRegistry: true, DryRun: true, GuestComponentsRef: "v0.17.0"})
	require.NoError(t, r.DepsSync(ctx, fixture.HelmKataVersion), out.String())
	require.Contains(t, out.String(), "reference: commit -> v0.17.0 (a version where a commit was)")

	later := "0123456789abcdef0123456789abcdef01234567"
	r, out = w.runner(magevars.Vars{SkipGo: true, SkipRegistry: true, GuestComponentsRef: later, TrusteeRef: later,
		ReleaseTime: releaseTime(t, fixture.HelmDepsSyncTime)})
	require.NoError(t, r.DepsSync(ctx, fixture.HelmKataVersion), out.String())
	got := string(readFile(t, w.root, versionsYAMLFile))
	want := strings.NewReplacer(fixture.HelmGuestComponents, later, fixture.HelmTrustee, later).Replace(string(fixture.MustFile(fixture.HelmDepsSync, "after", versionsYAMLFile)))
	require.Equal(t, strings.Count(want, later), strings.Count(got, later), got)
	require.NotContains(t, got, fixture.HelmGuestComponents)
	require.NotContains(t, got, fixture.HelmTrustee)
	msg := w.log(t, 1)[0]
	require.Contains(t, msg, "(chosen instead: guest-components "+later+", trustee "+later+")")
	// The choices are trailers, in the paragraph of the Signed-off-by.
	require.Contains(t, msg, "\n\nGuest-Components-Ref: "+later+" (Kata 3.31.0 names "+fixture.HelmGuestComponents+")\n"+
		"Trustee-Ref: "+later+" (Kata 3.31.0 names "+fixture.HelmTrustee+")\nSigned-off-by: ")

	// A note alone (KATA_REF_NOTE on the tag's commit) is a choice too.
	w.reset(t)
	r, out = w.runner(magevars.Vars{SkipGo: true, SkipRegistry: true, KataRefNote: "note only"})
	require.NoError(t, r.DepsSync(ctx, fixture.HelmKataVersion), out.String())
	require.Regexp(t, "\n\nKata-Ref: ([0-9a-f]{40}) \\(Kata 3.31.0's tag names ([0-9a-f]{40})\\)\nKata-Ref-Note: note only\nSigned-off-by: ", w.log(t, 1)[0])
	require.Len(t, w.log(t, 2), 2)
	require.Equal(t, "before "+fixture.HelmDepsSync, w.log(t, 2)[1], "the first sync was reset")

	// A Kata reference holding a version, such as
	// oci.kata-agent-ctl.reference, gets the new Kata version in the CAA
	// preset, while the commit-kind one gets the commit (a local commit
	// adds the reference: a main ahead of origin/main is fine).
	w.reset(t)
	file := string(readFile(t, w.root, versionsYAMLFile))
	file = strings.Replace(file, "  guest-components:\n", "  kata-agent-ctl:\n    registry: ghcr.io/kata-containers/kata-agent-ctl\n    reference: 3.25.0\n  guest-components:\n", 1)
	repo, err := git.PlainOpen(w.root)
	require.NoError(t, err)
	_, err = gitfixture.Commit(repo, map[string][]byte{versionsYAMLFile: []byte(file)}, "kata-agent-ctl")
	require.NoError(t, err)
	r, out = w.runner(magevars.Vars{SkipGo: true, SkipRegistry: true, ReleaseTime: releaseTime(t, fixture.HelmDepsSyncTime)})
	require.NoError(t, r.DepsSync(ctx, fixture.HelmKataVersion), out.String())
	got = string(readFile(t, w.root, versionsYAMLFile))
	require.Contains(t, got, "  kata-agent-ctl:\n    registry: ghcr.io/kata-containers/kata-agent-ctl\n    reference: "+fixture.HelmKataVersion+"\n")
	require.Contains(t, config.CAA().Kata, "oci.kata-agent-ctl.reference")
}

// TestChecks: release.yaml's checks run at the root before each commit; a
// failing one, or one that changes a file, stops the phase with its output
// and commits nothing; a missing program is named before anything is
// written. The cases share one world, in order: each refused one leaves
// it clean, the passing one comes last.
func TestChecks(t *testing.T) {
	ctx := t.Context()
	w := chartsWorld(t, "3.23.0")
	sync := func(t *testing.T, checks string) (*strings.Builder, error) {
		require.NoError(t, os.WriteFile(filepath.Join(w.root, config.ConfigFile), []byte("preset: charts\nchecks:\n"+checks), 0o644))
		gitfixture.Git(t, w.root, "commit", "-qam", "checks")
		gitfixture.Git(t, w.root, "push", "-q", "origin", "main")
		r, out := w.runner(magevars.Vars{})
		return out, r.DepsSync(ctx, "3.23.0")
	}
	t.Run("fails", func(t *testing.T) {
		out, err := sync(t, "  - git diff --quiet HEAD -- Chart.yaml\n")
		require.ErrorIs(t, err, phase.ErrRunFailed, out.String())
		require.ErrorContains(t, err, "run git diff --quiet HEAD -- Chart.yaml: exit status 1")
		require.Equal(t, []string{"checks\n"}, w.log(t, 1))
		requireClean(t, w.root)
	})
	t.Run("changes a file", func(t *testing.T) {
		out, err := sync(t, "  - git config --file generated.ini a.b c\n")
		require.ErrorIs(t, err, phase.ErrRunFailed, out.String())
		require.ErrorContains(t, err, "changed generated.ini")
		require.Equal(t, []string{"checks\n"}, w.log(t, 1))
		require.NoError(t, os.Remove(filepath.Join(w.root, "generated.ini")))
		requireClean(t, w.root)
	})
	t.Run("not installed", func(t *testing.T) {
		out, err := sync(t, "  - no-such-tool-for-release-tools sync\n")
		require.ErrorIs(t, err, phase.ErrNotInstalled, out.String())
		require.ErrorContains(t, err, "no-such-tool-for-release-tools")
		require.NotContains(t, out.String(), ": apply")
		require.Equal(t, []string{"checks\n"}, w.log(t, 1))
		requireClean(t, w.root)
	})
	t.Run("pass", func(t *testing.T) {
		out, err := sync(t, "  - git diff --quiet HEAD -- values.yaml\n")
		require.NoError(t, err, out.String())
		require.Contains(t, out.String(), "ok  run git diff --quiet HEAD -- values.yaml")
		require.Contains(t, w.log(t, 1)[0], "deps: sync with Kata Containers 3.23.0")
	})
}

// TestGitHubTokenSources: GH_TOKEN, else GITHUB_TOKEN, else gh auth token
// when gh is installed; the token is never printed.
func TestGitHubTokenSources(t *testing.T) {
	env := func(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }
	v, err := magevars.Read(env(map[string]string{"GITHUB_TOKEN": "ghp_one", "GH_TOKEN": "ghp_two"}))
	require.NoError(t, err)
	require.Equal(t, github.Token("ghp_two"), v.GitHubToken)
	v, err = magevars.Read(env(map[string]string{"GITHUB_TOKEN": "ghp_one"}))
	require.NoError(t, err)
	require.Equal(t, github.Token("ghp_one"), v.GitHubToken)

	bin := t.TempDir()
	t.Setenv("PATH", bin)
	require.Equal(t, github.Token(""), magevars.GHToken(t.Context()), "no gh")
	gh := filepath.Join(bin, "gh")
	require.NoError(t, os.WriteFile(gh, []byte("#!/bin/sh\n[ \"$1 $2\" = 'auth token' ] || exit 3\necho gho_from_gh\necho 'a warning' >&2\n"), 0o755))
	require.Equal(t, github.Token("gho_from_gh"), magevars.GHToken(t.Context()))
	require.NoError(t, os.WriteFile(gh, []byte("#!/bin/sh\necho 'not logged in' >&2\nexit 1\n"), 0o755))
	require.Equal(t, github.Token(""), magevars.GHToken(t.Context()), "gh not logged in")
}
