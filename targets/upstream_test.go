package targets

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/fixture"
	"github.com/confidential-containers/release-tools/internal/ghfake"
	"github.com/confidential-containers/release-tools/internal/gitfixture"
	"github.com/confidential-containers/release-tools/internal/magevars"
	"github.com/confidential-containers/release-tools/steps"
)

// pushElsewhere commits on main of another clone of the world's remote
// and pushes it: someone else's merge that this repository has not
// fetched. It returns the new head.
func pushElsewhere(t *testing.T, w world, file, subject string) string {
	t.Helper()
	other, err := git.PlainClone(t.TempDir(), false, &git.CloneOptions{URL: "file://" + w.remote})
	require.NoError(t, err)
	h, err := gitfixture.Commit(other, map[string][]byte{file: []byte(subject + "\n")}, subject)
	require.NoError(t, err)
	require.NoError(t, gitfixture.Push(other, "origin", "refs/heads/main:refs/heads/main"))
	return h.String()
}

// commitHere commits on the local main.
func commitHere(t *testing.T, w world, file, subject string) string {
	t.Helper()
	repo, err := git.PlainOpen(w.root)
	require.NoError(t, err)
	h, err := gitfixture.Commit(repo, map[string][]byte{file: []byte(subject + "\n")}, subject)
	require.NoError(t, err)
	return h.String()
}

// gitState hashes the names, modes and contents of everything in .git.
func gitState(t *testing.T, root string) string {
	t.Helper()
	h, err := gitfixture.HashTree(filepath.Join(root, ".git"), false)
	require.NoError(t, err)
	return h
}

// TestPhaseRefusesStaleBranch: on the v0.21 files, a phase is refused on
// a main that diverged from origin/main (a commit on origin/main not
// fetched, and a local one): the message counts each side's commits,
// names them and says how to catch up; nothing is written, a dry run
// included (.git byte-identical). A main only behind it is package
// release's TestEveryCommittingPhaseChecksUpstream (every phase, its fix
// git pull --ff-only).
func TestPhaseRefusesStaleBranch(t *testing.T) {
	ctx := t.Context()
	w := helmWorld(t, fixture.HelmRelease, commentFix)
	theirs := pushElsewhere(t, w, "NOTES", "someone's merge")
	mine := commitHere(t, w, "MINE", "my local commit")
	head, err := gitfixture.Head(w.root)
	require.NoError(t, err)
	for _, dry := range []bool{true, false} {
		before := gitState(t, w.root)
		r, out := w.runner(magevars.Vars{SkipGo: true, DryRun: dry, ReleaseTime: releaseTime(t, fixture.HelmReleaseTime)})
		err := r.Release(ctx, fixture.HelmVersion, fixture.HelmImageSHA)
		require.ErrorIs(t, err, steps.ErrBehind, out.String())
		require.ErrorContains(t, err, "check the branch against origin/main")
		require.ErrorContains(t, err, theirs[:12]+" someone's merge")
		require.ErrorContains(t, err, mine[:12]+" my local commit")
		for _, want := range []string{
			"main has 1 commit origin/main lacks (", " my local commit) and origin/main has 1 commit main lacks (",
			" someone's merge): rebase main on it with git pull --rebase origin main, or merge it with git pull --no-rebase origin main",
		} {
			require.ErrorContains(t, err, want)
		}
		require.NotContains(t, out.String(), "plan")
		require.Equal(t, before, gitState(t, w.root), "nothing written to .git")
		now, err := gitfixture.Head(w.root)
		require.NoError(t, err)
		require.Equal(t, head, now)
		requireClean(t, w.root)
	}
}

// TestPhaseAheadNamesCommits: a main ahead of origin/main is fine; the
// plan's line names the commit that is not the phase's. (The dry run at
// origin/main first, then the local commit, on the same world.)
func TestPhaseAheadNamesCommits(t *testing.T) {
	ctx := t.Context()
	w := helmWorld(t, fixture.HelmRelease, commentFix)
	r, out := w.runner(magevars.Vars{SkipGo: true, DryRun: true})
	require.NoError(t, r.Release(ctx, fixture.HelmVersion, fixture.HelmImageSHA), out.String())
	head, err := gitfixture.Head(w.root)
	require.NoError(t, err)
	require.Contains(t, out.String(), "  ok  check the branch against origin/main: main is at origin/main ("+head[:12]+")\n")

	mine := commitHere(t, w, "MINE", "my local commit")
	r, out = w.runner(magevars.Vars{SkipGo: true, ReleaseTime: releaseTime(t, fixture.HelmReleaseTime)})
	require.NoError(t, r.Release(ctx, fixture.HelmVersion, fixture.HelmImageSHA), out.String())
	require.Contains(t, out.String(), "  ok  check the branch against origin/main: main is 1 commit ahead of origin/main, not this phase's (a pull request carries them too): "+mine[:12]+" my local commit\n")
	require.Len(t, w.log(t, 4), 4)
	require.Equal(t, "my local commit", w.log(t, 3)[2])
}

// rebaseMerge replays the last n commits of branch of the bare remote
// onto its main, as GitHub's rebase merge does: the same trees (main is
// their base), messages and authors, GitHub as the committer, new hashes.
// It returns main's new head.
func rebaseMerge(t *testing.T, remote, branch string, n int) plumbing.Hash {
	t.Helper()
	repo, err := git.PlainOpen(remote)
	require.NoError(t, err)
	ref, err := repo.Reference(plumbing.NewBranchReferenceName(branch), true)
	require.NoError(t, err)
	main, err := repo.Reference(plumbing.Main, true)
	require.NoError(t, err)
	var commits []*object.Commit
	for h := ref.Hash(); len(commits) < n; {
		c, err := repo.CommitObject(h)
		require.NoError(t, err)
		commits = append([]*object.Commit{c}, commits...)
		h = c.ParentHashes[0]
	}
	require.Equal(t, main.Hash(), commits[0].ParentHashes[0], "the branch is on main: replayed, its trees are the same")
	head := main.Hash()
	github := object.Signature{Name: "GitHub", Email: "noreply@github.com", When: time.Date(2026, 5, 27, 10, 0, 0, 0, time.UTC)}
	for _, c := range commits {
		copied := &object.Commit{Author: c.Author, Committer: github, Message: c.Message, TreeHash: c.TreeHash, ParentHashes: []plumbing.Hash{head}}
		obj := repo.Storer.NewEncodedObject()
		require.NoError(t, copied.Encode(obj))
		head, err = repo.Storer.SetEncodedObject(obj)
		require.NoError(t, err)
	}
	require.NoError(t, repo.Storer.SetReference(plumbing.NewHashReference(plumbing.Main, head)))
	return head
}

// fetch is git fetch origin of main at head, in the process: the objects
// from head back to the first one the world's repository has, and
// origin/main.
func fetch(t *testing.T, w world, head plumbing.Hash) {
	t.Helper()
	from, err := git.PlainOpen(w.remote)
	require.NoError(t, err)
	to, err := git.PlainOpen(w.root)
	require.NoError(t, err)
	for h := head; ; {
		if _, err := to.Storer.EncodedObject(plumbing.AnyObject, h); err == nil {
			break
		}
		c, err := from.CommitObject(h)
		require.NoError(t, err)
		obj, err := from.Storer.EncodedObject(plumbing.CommitObject, h)
		require.NoError(t, err)
		_, err = to.Storer.SetEncodedObject(obj)
		require.NoError(t, err)
		h = c.ParentHashes[0] // the trees and blobs are the local commits' already
	}
	require.NoError(t, to.Storer.SetReference(plumbing.NewHashReference(plumbing.NewRemoteReferenceName("origin", "main"), head)))
}

// TestPRPostreleaseAfterRebaseMerge: the release's two commits proposed
// with PR=1 are merged by a rebase (origin/main gets copies of them, new
// hashes); PR=1 postrelease on the local main, which still has the
// originals, is refused instead of proposing them again: it says that
// every local commit has a copy and that a rebase drops them. After git
// pull --rebase, it proposes its one commit.
func TestPRPostreleaseAfterRebaseMerge(t *testing.T) {
	ctx := t.Context()
	w := helmWorld(t, fixture.HelmRelease, commentFix)
	f := &ghfake.Server{}
	api := ghfake.Start(t, f)
	vars := magevars.Vars{SkipGo: true, PR: true, GitHubToken: ghfake.Token, GitHubAPIURL: api, GitHubRepository: "o/r",
		ReleaseTime: releaseTime(t, fixture.HelmReleaseTime)}
	r, out := w.runner(vars)
	require.NoError(t, r.Release(ctx, fixture.HelmVersion, fixture.HelmImageSHA), out.String())
	require.Len(t, f.CreatedPulls, 1)

	// GitHub's rebase merge: the PR's commits replayed onto main with a
	// new committer, which this repository has not fetched.
	merged := rebaseMerge(t, w.remote, "release/"+fixture.HelmVersion, 2)

	// The release commit must be on origin/main: the rebased head is.
	vars.ReleaseDate, vars.ReleaseCommit = fixture.HelmReleaseDate, merged.String()
	r, out = w.runner(vars)
	err := r.Postrelease(ctx, fixture.HelmVersion)
	require.ErrorIs(t, err, steps.ErrBehind, out.String())
	for _, want := range []string{
		"main has 2 commits origin/main lacks (",
		" release: v0.21.0: the charts to 0.3.0, ",
		" release: pin the cloud-api-adaptor image to " + fixture.HelmImageSHA + " for v0.21.0) and origin/main has 2 commits main lacks (",
		"every commit of main has a copy on origin/main (merged by a rebase or a squash?), which a rebase drops: git pull --rebase origin main",
	} {
		require.ErrorContains(t, err, want)
	}
	require.Len(t, f.CreatedPulls, 1, "nothing proposed")
	require.Empty(t, remoteBranch(t, w.remote, "release/postrelease-"+fixture.HelmVersion))

	// git pull --rebase: the copies dropped, main is origin/main.
	fetch(t, w, merged)
	w.reset(t)
	r, out = w.runner(vars)
	require.NoError(t, r.Postrelease(ctx, fixture.HelmVersion), out.String())
	require.Len(t, f.CreatedPulls, 2)
	require.Contains(t, out.String(), "pr: 1 commit on HEAD that origin/main does not have:")
	require.True(t, strings.HasPrefix(w.log(t, 1)[0], "postrelease: "+fixture.HelmVersion+"\n"))
}
