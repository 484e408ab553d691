package pullrequest_test

import (
	"bytes"
	"context"
	"errors"
	"os/exec"
	"path/filepath"
	"testing"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	gogithub "github.com/google/go-github/v84/github"
	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/github"
	"github.com/confidential-containers/release-tools/internal/ghfake"
	"github.com/confidential-containers/release-tools/internal/gitfixture"
	"github.com/confidential-containers/release-tools/internal/slow"
	"github.com/confidential-containers/release-tools/pullrequest"
)

const plan = `release v0.21.0: plan
  ok  check that v0.21.0 is not tagged yet: no tag of v0.21.0 locally or on origin
  * pin the image
    --- a/values.yaml
    +++ b/values.yaml
    @@ -1 +1 @@
    -tag: latest
    +tag: abc

  * commit "release: pin the image"
release v0.21.0: apply
  ok  commit
`

// world is a repository with a bare remote origin, on GitHub as
// confidential-containers/cloud-api-adaptor in a fake.
type world struct {
	t    *testing.T
	dir  string
	repo *git.Repository
	fake *ghfake.Server
	gh   *github.Client
}

func newWorld(t *testing.T) *world {
	t.Helper()
	slow.Git(t)
	dir := t.TempDir()
	repo, err := gitfixture.WithRemote(filepath.Join(dir, "work"), filepath.Join(dir, "origin.git"),
		map[string][]byte{"values.yaml": []byte("tag: latest\n")}, "start")
	require.NoError(t, err)
	f := &ghfake.Server{}
	gh, err := github.New(context.Background(), github.Options{Token: ghfake.Token, APIURL: ghfake.Start(t, f), Owner: "confidential-containers", Repo: "cloud-api-adaptor"})
	require.NoError(t, err)
	return &world{t: t, dir: dir, repo: repo, fake: f, gh: gh}
}

func (w *world) commit(file, content string) string {
	w.t.Helper()
	h, err := gitfixture.Commit(w.repo, map[string][]byte{file: []byte(content)}, "edit "+file)
	require.NoError(w.t, err)
	return h.String()
}

func (w *world) request() pullrequest.Request {
	return pullrequest.Request{
		Root: filepath.Join(w.dir, "work"), Remote: "origin", Base: "main", Branch: "release/v0.21.0",
		Title: "release v0.21.0", Plan: plan,
		Next: []pullrequest.Next{{What: "merge it"}, {Command: "tags v0.21.0", What: "the module tags"}},
	}
}

func (w *world) open(r pullrequest.Request) (*pullrequest.Result, string, error) {
	var out bytes.Buffer
	res, err := pullrequest.Open(context.Background(), w.gh, r, &out)
	return res, out.String(), err
}

// branch is the commit of branch in the bare repository at dir ("" if absent).
func branch(t *testing.T, bare, name string) string {
	t.Helper()
	repo, err := git.PlainOpen(bare)
	require.NoError(t, err)
	ref, err := repo.Reference(plumbing.NewBranchReferenceName(name), true)
	if errors.Is(err, plumbing.ErrReferenceNotFound) {
		return ""
	}
	require.NoError(t, err)
	return ref.Hash().String()
}

func TestOpenThenRerunThenNewCommit(t *testing.T) {
	w := newWorld(t)
	first := w.commit("values.yaml", "tag: abc\n")

	res, out, err := w.open(w.request())
	require.NoError(t, err, out)
	require.Equal(t, pullrequest.Opened, res.Outcome, out)
	require.Equal(t, first, branch(t, filepath.Join(w.dir, "origin.git"), "release/v0.21.0"))
	require.Len(t, w.fake.CreatedPulls, 1)
	asked := w.fake.CreatedPulls[0]
	require.Equal(t, "release/v0.21.0", asked.Head)
	require.Equal(t, "main", asked.Base)
	require.Equal(t, "release v0.21.0", asked.Title)
	require.False(t, asked.Draft)
	require.Contains(t, asked.Body, "- `ok` check that v0.21.0 is not tagged yet")
	require.Contains(t, asked.Body, "<details><summary>diff of values.yaml</summary>")
	require.Contains(t, asked.Body, "- "+first[:12]+" edit values.yaml")
	require.Contains(t, asked.Body, "1. merge it\n2. `tags v0.21.0`: the module tags\n")
	require.Contains(t, out, "pr: opened pull request #1 from confidential-containers:release/v0.21.0 into main: https://github.com/confidential-containers/cloud-api-adaptor/pull/1")

	res, out, err = w.open(w.request())
	require.NoError(t, err, out)
	require.Equal(t, pullrequest.UpToDate, res.Outcome, out)
	require.Contains(t, out, "pr: #1 from confidential-containers:release/v0.21.0 is open at "+first[:12]+" already: nothing pushed or opened")
	require.Len(t, w.fake.CreatedPulls, 1)
	require.Empty(t, w.fake.EditedPulls)

	second := w.commit("values.yaml", "tag: def\n")
	res, out, err = w.open(w.request())
	require.NoError(t, err, out)
	require.Equal(t, pullrequest.Updated, res.Outcome, out)
	require.Equal(t, 1, res.Pushed)
	require.Equal(t, second, branch(t, filepath.Join(w.dir, "origin.git"), "release/v0.21.0"))
	require.Contains(t, out, "fast-forward from "+first[:12])
	require.Len(t, w.fake.CreatedPulls, 1)
	require.Len(t, w.fake.EditedPulls, 1)
	require.Contains(t, w.fake.EditedPulls[0]["body"], "- "+second[:12]+" edit values.yaml")

	w.fake.Merge(1, second)
	res, out, err = w.open(w.request())
	require.NoError(t, err, out)
	require.Equal(t, pullrequest.Merged, res.Outcome, out)
	require.Contains(t, out, "pr: #1 from confidential-containers:release/v0.21.0 was merged at "+second[:12])

	w.commit("values.yaml", "tag: ghi\n")
	_, out, err = w.open(w.request())
	require.ErrorIs(t, err, pullrequest.ErrMerged, out)
	require.Equal(t, second, branch(t, filepath.Join(w.dir, "origin.git"), "release/v0.21.0"), "a merged pull request's branch is not pushed to")
}

func TestOpenLeavesAForeignBranchAlone(t *testing.T) {
	for _, tc := range []struct {
		name     string
		diverged bool
		want     string
	}{
		{"ahead", false, "is ahead of HEAD"},
		{"diverged", true, "diverged from HEAD"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			mine := w.commit("values.yaml", "tag: abc\n")
			var theirs string
			if tc.diverged {
				// someone else's commit on main's head, pushed to the branch
				other, err := gitfixture.WithRemote(filepath.Join(w.dir, "other"), filepath.Join(w.dir, "other.git"),
					map[string][]byte{"values.yaml": []byte("tag: latest\n")}, "start")
				require.NoError(t, err)
				h, err := gitfixture.Commit(other, map[string][]byte{"values.yaml": []byte("tag: theirs\n")}, "their change")
				require.NoError(t, err)
				require.NoError(t, gitfixture.AddRemote(other, "target", "file://"+filepath.Join(w.dir, "origin.git")))
				require.NoError(t, gitfixture.Push(other, "target", "refs/heads/main:refs/heads/release/v0.21.0"))
				theirs = h.String()
			} else {
				require.NoError(t, gitfixture.Push(w.repo, "origin", "refs/heads/main:refs/heads/release/v0.21.0"))
				h, err := gitfixture.Commit(w.repo, map[string][]byte{"values.yaml": []byte("tag: theirs\n")}, "their change")
				require.NoError(t, err)
				require.NoError(t, gitfixture.Push(w.repo, "origin", "refs/heads/main:refs/heads/release/v0.21.0"))
				theirs = h.String()
				wt, err := w.repo.Worktree()
				require.NoError(t, err)
				require.NoError(t, wt.Reset(&git.ResetOptions{Commit: plumbing.NewHash(mine), Mode: git.HardReset}))
			}

			_, out, err := w.open(w.request())
			require.ErrorIs(t, err, pullrequest.ErrBranchTaken, out)
			var be *pullrequest.BranchError
			require.ErrorAs(t, err, &be)
			require.Equal(t, tc.diverged, be.Diverged)
			require.Equal(t, []pullrequest.Commit{{SHA: theirs, Subject: "their change"}}, be.Others)
			require.Contains(t, err.Error(), "branch release/v0.21.0 of origin is at "+theirs[:12]+" and "+tc.want)
			require.Contains(t, err.Error(), "never forced, never deleted")
			require.Contains(t, err.Error(), "git fetch origin release/v0.21.0")
			require.Equal(t, theirs, branch(t, filepath.Join(w.dir, "origin.git"), "release/v0.21.0"), "left alone")
			require.Empty(t, w.fake.CreatedPulls)
			require.Empty(t, w.fake.Paths, "GitHub is not asked before the branch checks out")
		})
	}
}

func TestOpenFromAFork(t *testing.T) {
	w := newWorld(t)
	forkURL, err := gitfixture.Bare(filepath.Join(w.dir, "fork.git"))
	require.NoError(t, err)
	require.NoError(t, gitfixture.AddRemote(w.repo, "fork", forkURL))
	head := w.commit("values.yaml", "tag: abc\n")

	r := w.request()
	r.PushRemote, r.Fork, r.Draft = "fork", "someone", true
	res, out, err := w.open(r)
	require.NoError(t, err, out)
	require.Equal(t, pullrequest.Opened, res.Outcome)
	require.Equal(t, "someone:release/v0.21.0", w.fake.CreatedPulls[0].Head)
	require.True(t, w.fake.CreatedPulls[0].Draft)
	require.Contains(t, out, "pr: opened draft pull request #1 from someone:release/v0.21.0 into main")
	require.Equal(t, head, branch(t, filepath.Join(w.dir, "fork.git"), "release/v0.21.0"))
	require.Empty(t, branch(t, filepath.Join(w.dir, "origin.git"), "release/v0.21.0"), "nothing pushed to the repository itself")

	res, out, err = w.open(r)
	require.NoError(t, err, out)
	require.Equal(t, pullrequest.UpToDate, res.Outcome, out)
	require.Equal(t, "git push fork HEAD:refs/heads/release/v0.21.0", r.PushCommand())
	require.Equal(t, "https://github.com/confidential-containers/cloud-api-adaptor/compare/main...someone:release/v0.21.0?expand=1",
		r.CompareURL("github.com", "confidential-containers/cloud-api-adaptor"))
}

func TestOpenNothingToPropose(t *testing.T) {
	w := newWorld(t)
	res, out, err := w.open(w.request())
	require.NoError(t, err)
	require.Equal(t, pullrequest.Nothing, res.Outcome)
	require.Contains(t, out, "is on origin/main already: nothing to propose")
	require.Empty(t, w.fake.Paths)
}

// TestOpenNoBaseBranch: a base branch the remote does not have is
// refused, naming it; nothing is pushed or asked of GitHub.
func TestOpenNoBaseBranch(t *testing.T) {
	w := newWorld(t)
	w.commit("values.yaml", "tag: v0.21.0\n")
	r := w.request()
	r.Base = "trunk"
	_, _, err := w.open(r)
	require.ErrorContains(t, err, "pullrequest: release/v0.21.0: origin has no branch trunk to merge into")
	require.Empty(t, branch(t, filepath.Join(w.dir, "origin.git"), r.Branch), "nothing pushed")
	require.Empty(t, w.fake.Paths)
}

func TestOpenClosed(t *testing.T) {
	w := newWorld(t)
	w.commit("values.yaml", "tag: abc\n")
	_, out, err := w.open(w.request())
	require.NoError(t, err, out)
	closed := "closed"
	w.fake.Pulls[0].State = &closed
	w.commit("values.yaml", "tag: def\n")
	_, out, err = w.open(w.request())
	require.ErrorIs(t, err, pullrequest.ErrClosed, out)
	require.Contains(t, err.Error(), "reopen it on GitHub")

	// The advice works: once the branch is deleted, a re-run opens a new
	// pull request. (It used to refuse again with the same words.)
	const advice = "or delete the branch (git push origin --delete release/v0.21.0) and run again"
	require.Contains(t, err.Error(), advice)
	cmd := exec.Command("git", "push", "origin", "--delete", "release/v0.21.0")
	cmd.Dir = filepath.Join(w.dir, "work")
	o, cerr := cmd.CombinedOutput()
	require.NoError(t, cerr, string(o))
	res, out, err := w.open(w.request())
	require.NoError(t, err, out)
	require.Equal(t, pullrequest.Opened, res.Outcome)
	require.Contains(t, out, "was closed without merging and its branch is gone: a new pull request is opened")
	require.Len(t, w.fake.Pulls, 2)
	require.NotEqual(t, w.fake.Pulls[0].GetNumber(), res.Pull.Number)
}

func TestOpenRefusesABadBranchName(t *testing.T) {
	w := newWorld(t)
	r := w.request()
	r.Branch = "release/v0.21.0..x"
	_, _, err := w.open(r)
	require.ErrorContains(t, err, "is not a branch name")
}

// A pull request another run opens between the look and the create ends
// at that pull request (GitHub's 422 "A pull request already exists"),
// its body updated, not at an error.
func TestOpenRaceEndsAtTheExistingPull(t *testing.T) {
	w := newWorld(t)
	w.commit("values.yaml", "tag: abc\n")
	w.fake.Race = &gogithub.PullRequest{
		Number: gogithub.Ptr(1), State: gogithub.Ptr("open"), Title: gogithub.Ptr("release v0.21.0"),
		Head:    &gogithub.PullRequestBranch{Label: gogithub.Ptr("confidential-containers:release/v0.21.0"), Ref: gogithub.Ptr("release/v0.21.0")},
		Base:    &gogithub.PullRequestBranch{Ref: gogithub.Ptr("main")},
		HTMLURL: gogithub.Ptr("https://github.com/confidential-containers/cloud-api-adaptor/pull/1"),
	}
	res, out, err := w.open(w.request())
	require.NoError(t, err, out)
	require.Equal(t, pullrequest.Updated, res.Outcome, out)
	require.Len(t, w.fake.CreatedPulls, 1, "one create, refused")
	require.Len(t, w.fake.EditedPulls, 1)
	require.Contains(t, out, "pr: #1 from confidential-containers:release/v0.21.0 was opened meanwhile (by another run)")
	require.Contains(t, out, "https://github.com/confidential-containers/cloud-api-adaptor/pull/1")
}
