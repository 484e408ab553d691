package targets

import (
	"bytes"
	"strings"
	"testing"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/fixture"
	"github.com/confidential-containers/release-tools/internal/gitfixture"
	"github.com/confidential-containers/release-tools/internal/magevars"
	"github.com/confidential-containers/release-tools/kata"
)

// requireUnchanged checks that a refused phase left the repository as
// the world made it: one commit, the tree clean.
func requireUnchanged(t *testing.T, w world, stage string) {
	t.Helper()
	require.Equal(t, []string{"before " + stage}, w.log(t, 1))
	repo, err := git.PlainOpen(w.root)
	require.NoError(t, err)
	iter, err := repo.Log(&git.LogOptions{})
	require.NoError(t, err)
	n := 0
	require.NoError(t, iter.ForEach(func(*object.Commit) error { n++; return nil }))
	require.Equal(t, 1, n, "the branch did not move")
	requireClean(t, w.root)
}

// TestDepsSyncKataVersion: deps:sync takes a Kata release X.Y.Z and
// nothing else git could resolve, even where the Kata repository has a
// tag of that name; KATA_REF must be a commit of the Kata repository: the
// zero hash and a commit it lacks are refused, nothing written. On the
// same world, an upgrade (3.29.0 to 3.31.0) is planned as one, and a
// local KATA_REPO is read without waiting on the network.
func TestDepsSyncKataVersion(t *testing.T) {
	ctx := t.Context()
	bad := []string{"3.31.0..", "3.31.0@{1}", "-x", "v3.31.0", "03.31.0", "3.31", "3.31.0-rc0", "main", "99999999999999999999.0.0"}
	w := helmWorld(t, fixture.HelmDepsSync, nil)
	kata, err := git.PlainOpen(w.kata)
	require.NoError(t, err)
	head, err := kata.Head()
	require.NoError(t, err)
	for _, name := range bad {
		// The Kata repository has a tag of that name, where go-git lets one be.
		_, _ = kata.CreateTag(name, head.Hash(), nil)
	}
	for _, v := range bad {
		r, out := w.runner(magevars.Vars{SkipGo: true})
		err := r.DepsSync(ctx, v)
		require.ErrorContains(t, err, "deps:sync: \""+v+"\" is not a Kata Containers release: ", v+"\n"+out.String())
		requireUnchanged(t, w, fixture.HelmDepsSync)
	}

	for _, ref := range []string{"0000000000000000000000000000000000000000", fixture.HelmKataRef} {
		r, out := w.runner(magevars.Vars{SkipGo: true, KataRef: ref})
		err := r.DepsSync(ctx, fixture.HelmKataVersion)
		require.ErrorContains(t, err, "KATA_REF="+ref+": deps:sync: the Kata commit to pin: no such commit: file://"+w.kata+" has no commit "+ref, out.String())
		requireUnchanged(t, w, fixture.HelmDepsSync)
	}

	r, out := w.runner(magevars.Vars{SkipGo: true, DryRun: true})
	require.NoError(t, r.DepsSync(ctx, fixture.HelmKataVersion), out.String())
	require.Contains(t, out.String(), "Kata 3.29.0 -> 3.31.0")

	// A KATA_REPO on this machine is read in place: nothing waits on the
	// network for it (a message a release manager saw in a real cycle,
	// put right).
	later := w.kataCommit(t, fixture.HelmKataRefNote)
	r, out = w.runner(magevars.Vars{SkipGo: true, SkipRegistry: true, KataRef: later, DryRun: true})
	var progress strings.Builder
	r.Progress = &progress
	require.NoError(t, r.DepsSync(ctx, fixture.HelmKataVersion), out.String())
	require.NotContains(t, progress.String(), "file://"+w.kata, "a local repository waits on no network")
	require.NotContains(t, progress.String(), "versions.yaml at 3.31.0")
}

// kataWorld is helmWorld at a stage with a Kata repository that has
// every Kata release of the fixtures.
func kataWorld(t *testing.T, stage string, fix func(map[string][]byte)) world {
	t.Helper()
	return helmWorldKata(t, stage, fix, "3.14.0", fixture.KataVersion, fixture.HelmKataVersion)
}

// TestDepsSyncDowngrade: a Kata version below the one versions.yaml holds
// (the version of a reference, or the # vX.Y.Z comment of a commit) is
// refused, naming both and ALLOW_DOWNGRADE; with it, the sync is made.
// A commit without the comment is a possible downgrade too. (An upgrade
// is planned as one: TestDepsSyncKataVersion.)
func TestDepsSyncDowngrade(t *testing.T) {
	ctx := t.Context()
	t.Run("commit kind, # v3.31.0 + tagging fix", func(t *testing.T) {
		t.Parallel()
		w := kataWorld(t, fixture.HelmRelease, nil)
		r, out := w.runner(magevars.Vars{SkipGo: true})
		err := r.DepsSync(ctx, fixture.KataVersion)
		require.ErrorIs(t, err, kata.ErrDowngrade, out.String())
		require.ErrorContains(t, err, "Kata Containers 3.15.0 is below 3.31.0, the version it holds (oci.kata-containers.reference (the comment of commit bef049d07e34))")
		require.ErrorContains(t, err, "ALLOW_DOWNGRADE=1 mage deps:sync 3.15.0")
		requireUnchanged(t, w, fixture.HelmRelease)

		r, out = w.runner(magevars.Vars{SkipGo: true, AllowDowngrade: true})
		require.NoError(t, r.DepsSync(ctx, fixture.KataVersion), out.String())
		require.Contains(t, out.String(), "Kata 3.31.0 -> 3.15.0: a downgrade, allowed")
		require.Len(t, w.log(t, 2), 2)
	})
	t.Run("version kind, 3.15.0", func(t *testing.T) {
		t.Parallel()
		w := newWorld(t, fixture.PinOperator)
		r, out := w.runner(magevars.Vars{SkipGo: true})
		err := r.DepsSync(ctx, "3.14.0")
		require.ErrorIs(t, err, kata.ErrDowngrade, out.String())
		require.ErrorContains(t, err, "Kata Containers 3.14.0 is below 3.15.0")
		require.ErrorContains(t, err, "ALLOW_DOWNGRADE=1")
		requireUnchanged(t, w, fixture.PinOperator)

		r, out = w.runner(magevars.Vars{SkipGo: true})
		require.NoError(t, r.DepsSync(ctx, fixture.KataVersion), out.String())
		require.Contains(t, out.String(), "Kata 3.15.0 already")
	})
	t.Run("commit without a comment", func(t *testing.T) {
		t.Parallel()
		noComment := func(files map[string][]byte) {
			files[versionsYAML] = bytes.Replace(files[versionsYAML], []byte(" # v3.29.0"), nil, 1)
		}
		w := kataWorld(t, fixture.HelmDepsSync, noComment)
		r, out := w.runner(magevars.Vars{SkipGo: true})
		err := r.DepsSync(ctx, fixture.HelmKataVersion)
		require.ErrorIs(t, err, kata.ErrDowngrade, out.String())
		require.ErrorContains(t, err, "the Kata Containers version it holds could not be read (oci.kata-containers.reference is commit 8dccf4cf37ae without a # vX.Y.Z comment)")
		requireUnchanged(t, w, fixture.HelmDepsSync)

		r, out = w.runner(magevars.Vars{SkipGo: true, AllowDowngrade: true})
		require.NoError(t, r.DepsSync(ctx, fixture.HelmKataVersion), out.String())
	})
}

// TestReleaseCommit: RELEASE_COMMIT must be on the remote's release
// branch, its head or an ancestor: the zero hash, a commit nobody has, and
// one on another branch are refused by postrelease and citation:update,
// nothing written; an ancestor is cited.
func TestReleaseCommit(t *testing.T) {
	ctx := t.Context()
	w := helmWorld(t, fixture.HelmPostrelease, nil)
	first := w.head(t)
	repo, err := git.PlainOpen(w.root)
	require.NoError(t, err)
	side, err := gitfixture.Commit(repo, map[string][]byte{"side.txt": []byte("side\n")}, "a commit on another branch")
	require.NoError(t, err)
	require.NoError(t, gitfixture.Push(repo, "origin", "refs/heads/main:refs/heads/other"))
	// main back where origin/main is: the side commit is only on other.
	wt, err := repo.Worktree()
	require.NoError(t, err)
	require.NoError(t, wt.Reset(&git.ResetOptions{Commit: plumbing.NewHash(first), Mode: git.HardReset}))

	for commit, want := range map[string]string{
		"0000000000000000000000000000000000000000": "no such commit: origin/main has no commit 0000000000000000000000000000000000000000",
		fixture.HelmReleaseCommit:                  "no such commit: origin/main has no commit " + fixture.HelmReleaseCommit,
		side.String():                              "commit is not on the remote's release branch: " + side.String() + " is not on origin/main (at " + first + ")",
	} {
		for name, run := range map[string]func(*runner) error{
			"postrelease":     func(r *runner) error { return r.Postrelease(ctx, fixture.HelmPatchVersion) },
			"citation:update": func(r *runner) error { return r.CitationUpdate(ctx, fixture.HelmPatchVersion) },
		} {
			r, out := w.runner(magevars.Vars{ReleaseDate: fixture.HelmReleaseDate, ReleaseCommit: commit})
			err := run(r)
			require.ErrorContains(t, err, "RELEASE_COMMIT="+commit+": ", name+"\n"+out.String())
			require.ErrorContains(t, err, want, name)
			requireUnchanged(t, w, fixture.HelmPostrelease)
		}
	}

	// origin/main moves on: the first commit is an ancestor, and cited.
	_, err = gitfixture.Commit(repo, map[string][]byte{"next.txt": []byte("next\n")}, "next")
	require.NoError(t, err)
	require.NoError(t, gitfixture.Push(repo, "origin", "refs/heads/main:refs/heads/main"))
	r, out := w.runner(magevars.Vars{ReleaseDate: fixture.HelmReleaseDate, ReleaseCommit: first})
	require.NoError(t, r.CitationUpdate(ctx, fixture.HelmPatchVersion), out.String())
	require.Contains(t, out.String(), "check that the release commit "+first[:12]+" is on origin/main: an ancestor of origin/main")
	requireCitation(t, w.root, fixture.HelmPostrelease, fixture.HelmReleaseCommit, first)
}
