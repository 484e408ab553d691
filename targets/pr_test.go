package targets

import (
	"context"
	"os/exec"
	"testing"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/fixture"
	"github.com/confidential-containers/release-tools/internal/ghfake"
	"github.com/confidential-containers/release-tools/internal/gitfixture"
	"github.com/confidential-containers/release-tools/internal/magevars"
)

// remoteBranch is the commit of branch in the bare repository at dir.
func remoteBranch(t *testing.T, dir, branch string) string {
	t.Helper()
	repo, err := git.PlainOpen(dir)
	require.NoError(t, err)
	ref, err := repo.Reference(plumbing.NewBranchReferenceName(branch), true)
	if err != nil {
		return ""
	}
	return ref.Hash().String()
}

// TestPhasePR: PR=1 without a token fails before the phase writes
// anything (a branch holding someone else's commit left alone is package
// pullrequest's TestOpenLeavesAForeignBranchAlone); with one, it pushes
// the phase's commit to release/deps-sync-<v> and opens the pull request
// with the plan in its body; a re-run opens nothing; PR_DRAFT=1 and the
// steps after the merge reach GitHub.
func TestPhasePR(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, fixture.KataSync)
	// Without a token: refused before the phase writes anything.
	r, out := w.runner(magevars.Vars{SkipGo: true, PR: true, GitHubRepository: "o/r"})
	require.ErrorContains(t, r.DepsSync(ctx, fixture.KataVersion), "PR=1: github: no GitHub token")
	require.NotContains(t, out.String(), "plan")
	require.Equal(t, []string{"before " + fixture.KataSync}, w.log(t, 1))
	requireClean(t, w.root)

	f := &ghfake.Server{}
	r, out = w.runner(magevars.Vars{SkipGo: true, PR: true, PRDraft: true, GitHubToken: ghfake.Token, GitHubAPIURL: ghfake.Start(t, f), GitHubRepository: "o/r"})
	require.NoError(t, r.DepsSync(ctx, fixture.KataVersion), out.String())
	head, err := gitfixture.Head(w.root)
	require.NoError(t, err)
	require.Equal(t, head, remoteBranch(t, w.remote, "release/deps-sync-"+fixture.KataVersion))
	require.Len(t, f.CreatedPulls, 1)
	p := f.CreatedPulls[0]
	require.Equal(t, "release/deps-sync-"+fixture.KataVersion, p.Head)
	require.Equal(t, "main", p.Base)
	require.Equal(t, "deps:sync "+fixture.KataVersion, p.Title)
	require.True(t, p.Draft)
	require.Contains(t, p.Body, "- `*` set the Kata Containers references\n  <details><summary>diff of src/cloud-api-adaptor/versions.yaml</summary>")
	require.Contains(t, p.Body, "- "+head[:12]+" deps: sync with Kata Containers "+fixture.KataVersion+"\n")
	// SKIP_GO=1: the body says what was skipped and what to run, and the
	// commit does not claim the Kata runtime module moved.
	runtime := "github.com/kata-containers/kata-containers/src/runtime@" + fixture.KataVersion
	require.Contains(t, p.Body, "### Once this is merged, in order\n1. SKIP_GO=1 skipped the go commands, so the commits lack what they change: run these from the repository's root, amend the commit with the go.mod and go.sum files, and push it before the merge\n"+
		"2. `go -C src/cloud-api-adaptor get "+runtime+"`\n3. `go -C src/cloud-api-adaptor mod tidy`\n")
	require.Contains(t, p.Body, "merge the PR with this commit\n")
	require.Contains(t, p.Body, ". `mage release <vX.Y.Z> <imageSHA>`")
	msg := w.log(t, 1)[0]
	require.NotContains(t, msg, "move the Kata runtime module")
	require.Contains(t, msg, "uses. The Kata runtime module was not moved.\n\nThe go commands were skipped: this commit lacks what they change. Run them,\n"+
		"then amend this commit with the go.mod and go.sum files they change:\n\n\tgo -C src/cloud-api-adaptor get "+runtime+"\n\tgo -C src/cloud-api-adaptor mod tidy\n")
	require.Contains(t, out.String(), "pr: opened draft pull request #1 from o:release/deps-sync-"+fixture.KataVersion+" into main")

	out.Reset()
	require.NoError(t, r.DepsSync(ctx, fixture.KataVersion), out.String())
	require.Contains(t, out.String(), "pr: #1 from o:release/deps-sync-"+fixture.KataVersion+" is open at "+head[:12]+" already: nothing pushed or opened")
	require.Len(t, f.CreatedPulls, 1)
	require.Empty(t, f.EditedPulls)
}

// TestPhaseWithoutPR prints the push and the page that opens the pull
// request, and pushes nothing.
func TestPhaseWithoutPR(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, fixture.PinOperator)
	r, out := w.runner(magevars.Vars{SkipGo: true, OperatorRef: fixture.OperatorRef, GitHubRepository: "o/r"})
	require.NoError(t, r.Prerelease(ctx, "v0.13.0-alpha.1"), out.String())
	require.Contains(t, out.String(), "\nto propose it, push the branch and open the pull request (PR=1 with GITHUB_TOKEN does both):\n"+
		"  git push origin HEAD:refs/heads/release/v0.13.0-alpha.1\n"+
		"  https://github.com/o/r/compare/main...release/v0.13.0-alpha.1?expand=1\n\nnext, in order:\n"+
		"  1. SKIP_GO=1 skipped the go commands, so the commits lack what they change: run these from the repository's root, amend the commit with the go.mod and go.sum files, and push it before the merge\n")
	require.Contains(t, out.String(), ". merge the PR with this commit\n")
	require.Empty(t, remoteBranch(t, w.remote, "release/v0.13.0-alpha.1"))

	out.Reset()
	require.NoError(t, r.Prerelease(ctx, "v0.13.0-alpha.1"), out.String())
	require.NotContains(t, out.String(), "git push", "no new commits, nothing to propose")
}

// TestPhasePRFromAFork: PR_REMOTE names a fork (its GitHub URL mapped to
// a local bare repository by git's url.<base>.insteadOf): the branch goes
// there, and the head is owner:branch.
func TestPhasePRFromAFork(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, fixture.KataSync)
	fork := t.TempDir()
	forkURL, err := gitfixture.Bare(fork)
	require.NoError(t, err)
	const web = "https://github.com/someone/cloud-api-adaptor.git"
	repo, err := git.PlainOpen(w.root)
	require.NoError(t, err)
	require.NoError(t, gitfixture.AddRemote(repo, "fork", web))
	cmd := exec.Command("git", "config", "url."+forkURL+".insteadOf", web)
	cmd.Dir = w.root
	require.NoError(t, cmd.Run())

	f := &ghfake.Server{}
	r, out := w.runner(magevars.Vars{SkipGo: true, PR: true, PRRemote: "fork", GitHubToken: ghfake.Token, GitHubAPIURL: ghfake.Start(t, f), GitHubRepository: "confidential-containers/cloud-api-adaptor"})
	require.NoError(t, r.DepsSync(ctx, fixture.KataVersion), out.String())
	head, err := gitfixture.Head(w.root)
	require.NoError(t, err)
	require.Len(t, f.CreatedPulls, 1)
	require.Equal(t, "someone:release/deps-sync-"+fixture.KataVersion, f.CreatedPulls[0].Head)
	require.Equal(t, head, remoteBranch(t, fork, "release/deps-sync-"+fixture.KataVersion))
	require.Empty(t, remoteBranch(t, w.remote, "release/deps-sync-"+fixture.KataVersion))
	require.Contains(t, out.String(), "pr: pushed "+head[:12]+" to fork as release/deps-sync-"+fixture.KataVersion+" (a new branch)")
}
