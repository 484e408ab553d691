package kata_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/gitfixture"
	"github.com/confidential-containers/release-tools/internal/gitrepo"
	"github.com/confidential-containers/release-tools/kata"
	"github.com/confidential-containers/release-tools/phase"
	git "github.com/go-git/go-git/v5"
)

const (
	kataTag   = "1111111111111111111111111111111111111111" // the commit of Kata 3.31.0's tag
	kataLater = "2222222222222222222222222222222222222222" // a later Kata commit, chosen
	gcKata    = "3333333333333333333333333333333333333333" // what Kata names for guest-components
	gcChosen  = "4444444444444444444444444444444444444444"
	trCommit  = "d4e317620c4039c89779b725f74974d8f005da66" // trustee as CAA's file holds it
)

var refs = kata.Refs{File: "versions.yaml", Kata: []string{"oci.kata-containers.reference"},
	GuestComponents: []string{"oci.guest-components.reference"}, Trustee: []string{"git.kbs.reference"}}

// versionsFile is a versions file of refs' shape.
func versionsFile(kataRef, comment, gc, trustee string) []byte {
	return []byte("oci:\n  kata-containers:\n    reference: " + kataRef + " # " + comment + "\n  guest-components:\n    reference: " + gc +
		"\ngit:\n  kbs:\n    reference: " + trustee + "\n")
}

// TestTrailers: the trailers of the choices read back as the choices, in
// a commit message with its Signed-off-by; a trailer that does not read as
// a choice is left out.
func TestTrailers(t *testing.T) {
	choices := []kata.Choice{
		{Ref: kata.RefKata, Value: kataLater, Kata: "3.31.0", Names: kataTag, Note: "tagging fix"},
		{Ref: kata.RefGuestComponents, Value: gcChosen, Kata: "3.31.0", Names: gcKata},
		{Ref: kata.RefTrustee, Value: "v0.10.1", Kata: "3.31.0", Names: trCommit},
	}
	var lines []string
	for _, c := range choices {
		lines = append(lines, c.Trailers()...)
	}
	require.Equal(t, []string{
		"Kata-Ref: " + kataLater + " (Kata 3.31.0's tag names " + kataTag + ")",
		"Kata-Ref-Note: tagging fix",
		"Guest-Components-Ref: " + gcChosen + " (Kata 3.31.0 names " + gcKata + ")",
		"Trustee-Ref: v0.10.1 (Kata 3.31.0 names " + trCommit + ")",
	}, lines)
	msg := "deps: sync with Kata Containers 3.31.0\n\nBody.\n\n" + strings.Join(lines, "\n") + "\nSigned-off-by: A <a@example.com>\n"
	require.Equal(t, choices, kata.ParseTrailers(msg))

	for _, bad := range []string{
		"Guest-Components-Ref: main (Kata 3.31.0 names " + gcKata + ")",            // no commit or version
		"Guest-Components-Ref: " + gcChosen + " (Kata v3.31 names x)",              // no Kata version
		"Kata-Ref: v1.2.3 (Kata 3.31.0's tag names " + kataTag + ")",               // a Kata choice is a commit
		"Trustee-Ref: " + trCommit,                                                 // no Kata version
		"Trustee-Ref: $(rm -rf ~) (Kata 3.31.0 names " + trCommit + ")",            // not one word
		"Guest-Components-Ref " + gcChosen + " (Kata 3.31.0 names " + gcKata + ")", // no colon
	} {
		require.Empty(t, kata.ParseTrailers("x\n\n"+bad+"\n"), bad)
	}
	got := kata.ParseTrailers("x\n\nKata-Ref: " + kataLater + " (Kata 3.31.0's tag names " + kataTag + ")\nKata-Ref-Note: a # b\n")
	require.Len(t, got, 1)
	require.Empty(t, got[0].Note, "a note with # is left out")

	require.NoError(t, kata.CheckNote("tagging fix"))
	for _, bad := range []string{"", "a # b", "a\nb", strings.Repeat("é", 81),
		"fix ", " fix", "a\tb", "a\x01b", "a\u0085b", "a\u2028b", "a\xffb"} { // a trailer drops the spaces; YAML reads U+0085 and U+2028 as line ends
		require.ErrorIs(t, kata.CheckNote(bad), kata.ErrBadNote, bad)
	}
	require.NoError(t, kata.CheckNote(strings.Repeat("é", 80)), "80 characters, not bytes")
}

// TestChoices: the choices recorded in the history of the versions file
// that hold for the file as it is: the newest for each reference, for the
// Kata version it holds, with the value it holds.
func TestChoices(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	t.Setenv("GIT_CONFIG_GLOBAL", filepath.Join(t.TempDir(), "gitconfig"))
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	synced := versionsFile(kataLater, "v3.31.0 + tagging fix", gcChosen, trCommit)
	repo, err := gitfixture.Init(dir, map[string][]byte{"versions.yaml": versionsFile(kataTag, "v3.30.0", gcKata, trCommit)}, "start")
	require.NoError(t, err)

	got, err := kata.Choices(ctx, dir, refs, synced)
	require.NoError(t, err)
	require.Empty(t, got, "no trailers in the history")

	gc := kata.Choice{Ref: kata.RefGuestComponents, Value: gcChosen, Kata: "3.31.0", Names: gcKata}
	kc := kata.Choice{Ref: kata.RefKata, Value: kataLater, Kata: "3.31.0", Names: kataTag, Note: "tagging fix"}
	msg := "deps: sync with Kata Containers 3.31.0\n\n" + strings.Join(append(gc.Trailers(), kc.Trailers()...), "\n") + "\nSigned-off-by: A <a@example.com>\n"
	sync, err := gitfixture.Commit(repo, map[string][]byte{"versions.yaml": synced}, msg)
	require.NoError(t, err)
	// A later commit of another file, with trailers of its own, counts
	// for nothing.
	_, err = gitfixture.Commit(repo, map[string][]byte{"other.txt": []byte("x\n")}, "other\n\nGuest-Components-Ref: v9.9.9 (Kata 3.31.0 names "+gcKata+")\n")
	require.NoError(t, err)

	got, err = kata.Choices(ctx, dir, refs, synced)
	require.NoError(t, err)
	kc.Commit, gc.Commit = sync.String(), sync.String()
	require.Equal(t, []kata.Choice{kc, gc}, got, "Kata first, then guest-components")

	// The file no longer holds the chosen guest-components: that choice
	// is gone. At another Kata version, none holds.
	got, err = kata.Choices(ctx, dir, refs, versionsFile(kataLater, "v3.31.0 + tagging fix", gcKata, trCommit))
	require.NoError(t, err)
	require.Equal(t, []kata.Choice{kc}, got)
	got, err = kata.Choices(ctx, dir, refs, versionsFile(kataLater, "v3.32.0", gcChosen, trCommit))
	require.NoError(t, err)
	require.Empty(t, got)

	// A newer sync without a choice for guest-components but with the
	// same value (Kata names it now) hides nothing: the newest trailer
	// of each reference counts, and a newer trustee choice is found.
	tc := kata.Choice{Ref: kata.RefTrustee, Value: "v0.10.1", Kata: "3.31.0", Names: trCommit}
	resynced := versionsFile(kataLater, "v3.31.0 + tagging fix", gcChosen, "v0.10.1")
	again, err := gitfixture.Commit(repo, map[string][]byte{"versions.yaml": resynced}, "deps: again\n\n"+tc.Trailers()[0]+"\n")
	require.NoError(t, err)
	got, err = kata.Choices(ctx, dir, refs, resynced)
	require.NoError(t, err)
	tc.Commit = again.String()
	require.Equal(t, []kata.Choice{kc, gc, tc}, got)

	// Not a repository: an error naming the file.
	_, err = kata.Choices(ctx, t.TempDir(), refs, synced)
	require.ErrorContains(t, err, "the choices recorded in the history of versions.yaml")
}

// TestSetKindChange: a reference takes a version where it held a commit,
// or a commit where it held a version, as Kata's versions.yaml names
// them, and the plan says the kind changes; a value that is neither is
// refused, nothing written.
func TestSetKindChange(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name, trustee, kataNames, note string
	}{
		{"commit to tag", trCommit, "v0.10.1", "git.kbs.reference: commit -> v0.10.1 (a version where a commit was)"},
		{"tag to commit", "v0.10.0", trCommit, "git.kbs.reference: v0.10.0 -> commit " + trCommit + " (a commit where a version was)"},
		{"same kind", "v0.10.0", "v0.10.1", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			_, err := gitfixture.Init(dir, map[string][]byte{"versions.yaml": versionsFile(kataTag, "v3.30.0", gcKata, tc.trustee)}, "start")
			require.NoError(t, err)
			k := kata.Release{Version: "3.31.0", URL: "file:///kata", Commit: kataTag,
				GuestComponents: kata.Value{Key: "gc", Value: gcKata}, Trustee: kata.Value{Key: "tr", Value: tc.kataNames}}
			var out strings.Builder
			p := &phase.Phase{Name: "sync", Root: dir, Git: openRepo(t, dir), Steps: []phase.Step{kata.Set(refs, "3.31.0", kataTag, "", k)}}
			require.NoError(t, p.Run(ctx, phase.Options{NoCommit: true, Out: &out}))
			data, err := os.ReadFile(filepath.Join(dir, "versions.yaml"))
			require.NoError(t, err)
			require.Equal(t, string(versionsFile(kataTag, "v3.31.0", gcKata, tc.kataNames)), string(data))
			if tc.note == "" {
				require.NotContains(t, out.String(), "->", out.String())
			} else {
				require.Contains(t, out.String(), tc.note)
			}
		})
	}
	for _, bad := range []string{"main", "d4e3176", ""} {
		dir := t.TempDir()
		_, err := gitfixture.Init(dir, map[string][]byte{"versions.yaml": versionsFile(kataTag, "v3.30.0", gcKata, trCommit)}, "start")
		require.NoError(t, err)
		k := kata.Release{Version: "3.31.0", URL: "file:///kata", Commit: kataTag,
			GuestComponents: kata.Value{Key: "gc", Value: gcKata}, Trustee: kata.Value{Key: "tr", Value: bad}}
		p := &phase.Phase{Name: "sync", Root: dir, Git: openRepo(t, dir), Steps: []phase.Step{kata.Set(refs, "3.31.0", kataTag, "", k)}}
		err = p.Run(ctx, phase.Options{NoCommit: true})
		require.ErrorIs(t, err, kata.ErrBadValue, bad)
		require.ErrorContains(t, err, "want a commit (40 lowercase hex digits) or a version (vX.Y.Z or X.Y.Z) for versions.yaml's git.kbs.reference")
	}
}

// TestCheckChoices: a prerelease's check of the references against
// Kata's takes a recorded choice as agreeing; a reference that is neither
// Kata's nor a choice is a SyncError that carries the choices.
func TestCheckChoices(t *testing.T) {
	ctx := context.Background()
	t.Setenv("GIT_CONFIG_GLOBAL", filepath.Join(t.TempDir(), "gitconfig"))
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	kataDir := t.TempDir()
	_, err := gitfixture.Releases(kataDir, gitfixture.Release{Tag: "3.31.0", Files: map[string][]byte{"versions.yaml": []byte(
		"externals:\n  coco-guest-components:\n    version: \"" + gcKata + "\"\n  coco-trustee:\n    version: \"" + trCommit + "\"\n")}})
	require.NoError(t, err)
	remote := kata.Remote{URL: kataDir, GuestComponentsKey: "externals.coco-guest-components.version", TrusteeKey: "externals.coco-trustee.version"}
	check := func(dir string) (string, error) {
		var out strings.Builder
		p := &phase.Phase{Name: "check", Root: dir, Git: openRepo(t, dir), Steps: []phase.Step{kata.Check(refs, remote)}}
		err := p.Run(ctx, phase.Options{DryRun: true, Out: &out})
		return out.String(), err
	}
	gc := kata.Choice{Ref: kata.RefGuestComponents, Value: gcChosen, Kata: "3.31.0", Names: gcKata}
	chosen := versionsFile("3.31.0", "the release", gcChosen, trCommit)

	dir := t.TempDir()
	repo, err := gitfixture.Init(dir, map[string][]byte{"versions.yaml": versionsFile("3.30.0", "x", gcKata, trCommit)}, "start")
	require.NoError(t, err)
	sync, err := gitfixture.Commit(repo, map[string][]byte{"versions.yaml": chosen}, "sync\n\n"+gc.Trailers()[0]+"\n")
	require.NoError(t, err)
	out, err := check(dir)
	require.NoError(t, err, out)
	require.Contains(t, out, "agree with Kata 3.31.0 but for the choices recorded: guest-components "+gcChosen+" chosen (Kata 3.31.0 has "+gcKata+")")

	// trustee is neither: the error carries the guest-components choice.
	_, err = gitfixture.Commit(repo, map[string][]byte{"versions.yaml": versionsFile("3.31.0", "the release", gcChosen, "v0.1.0")}, "trustee by hand")
	require.NoError(t, err)
	_, err = check(dir)
	var se *kata.SyncError
	require.ErrorAs(t, err, &se)
	gc.Commit = sync.String()
	require.Equal(t, "3.31.0", se.Kata)
	require.Equal(t, []kata.Choice{gc}, se.Choices)
	require.ErrorContains(t, err, "trustee is v0.1.0, Kata 3.31.0 has "+trCommit)
	require.NotContains(t, err.Error(), "guest-components is")
}

// openRepo is the handle of the repository at root, as release.New opens it.
func openRepo(t testing.TB, root string) *git.Repository {
	t.Helper()
	repo, err := gitrepo.Open(root)
	require.NoError(t, err)
	return repo
}
