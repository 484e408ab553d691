package tags_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/gitfixture"
	"github.com/confidential-containers/release-tools/internal/run"
	"github.com/confidential-containers/release-tools/tags"
)

// TestGivenCommitNotOnBranch: a given commit that origin's main lacks (a
// local commit never merged) is refused before anything is planned: its
// tags would publish it. Nothing is written to .git, no tag is made.
func TestGivenCommitNotOnBranch(t *testing.T) {
	r := newRepo(t)
	head := r.head(t)
	c, err := gitfixture.Commit(r.repo, map[string][]byte{"NOTES": []byte("not pushed\n")}, "local only")
	require.NoError(t, err)
	before := hashTree(t, filepath.Join(r.dir, ".git"))

	_, err = tags.NewPlan(context.Background(), openRepo(t, r.dir), r.dir, ver(t, "v0.13.0"), tags.Options{Exclude: []string{podvm}, Commit: c.String()[:10]})
	require.ErrorIs(t, err, tags.ErrNotOnBranch)
	var nb *tags.NotOnBranchError
	require.ErrorAs(t, err, &nb)
	require.Equal(t, tags.NotOnBranchError{Commit: c.String(), Remote: "origin", Branch: "main", Head: head}, *nb)
	require.EqualError(t, err, "tags: commit is not on the remote's release branch: "+c.String()+" is not on origin/main (at "+head[:12]+
		" now): pushing its tags would publish a commit the release branch lacks, unreviewed; merge it into main, then tag the merged commit")
	require.Equal(t, before, hashTree(t, filepath.Join(r.dir, ".git")), "planning wrote to .git")
	require.Empty(t, tagsOf(t, r.dir))
	require.Empty(t, tagsOf(t, r.remote))

	// Once main has it, below its head, it is taken.
	_, err = gitfixture.Commit(r.repo, map[string][]byte{"NOTES": []byte("later\n")}, "later")
	require.NoError(t, err)
	require.NoError(t, gitfixture.Push(r.repo, "origin", "refs/heads/main:refs/heads/main"))
	p := plan(t, r.dir, "v0.13.0", tags.Options{Exclude: []string{podvm}, Commit: c.String()})
	require.Equal(t, c.String(), p.Commit)
}

// TestGivenCommitHeadNotFetched: origin's main moved on to a commit this
// repository lacks, so whether the given commit is on it cannot be told
// without a fetch, which a plan does not make: refused, saying to fetch;
// after the fetch the same commit is taken.
func TestGivenCommitHeadNotFetched(t *testing.T) {
	r := newRepo(t)
	ctx := context.Background()
	head := r.head(t)
	other := t.TempDir()
	for _, args := range [][]string{
		{"clone", "-q", r.remote, other},
		{"-C", other, "-c", "user.name=O", "-c", "user.email=o@example.com", "commit", "-q", "--allow-empty", "-m", "merged elsewhere"},
		{"-C", other, "push", "-q", "origin", "main"},
	} {
		_, err := run.Cmd(ctx, t.TempDir(), nil, "git", args...)
		require.NoError(t, err, args)
	}
	before := hashTree(t, filepath.Join(r.dir, ".git"))
	_, err := tags.NewPlan(ctx, openRepo(t, r.dir), r.dir, ver(t, "v0.13.0"), tags.Options{Exclude: []string{podvm}, Commit: head})
	require.ErrorIs(t, err, tags.ErrHeadNotFetched)
	require.ErrorContains(t, err, "fetch it (git fetch origin) and plan again")
	require.Equal(t, before, hashTree(t, filepath.Join(r.dir, ".git")), "planning wrote to .git")

	_, err = run.Cmd(ctx, r.dir, nil, "git", "fetch", "-q", "origin")
	require.NoError(t, err)
	p := plan(t, r.dir, "v0.13.0", tags.Options{Exclude: []string{podvm}, Commit: head})
	require.Equal(t, head, p.Commit)
}

// TestCheck: Check is given the commit and its tree in a directory,
// removed after; its error stops the plan.
func TestCheck(t *testing.T) {
	r := newRepo(t)
	var dir string
	o := tags.Options{Exclude: []string{podvm}, Check: func(commit, d string) error {
		require.Equal(t, r.head(t), commit)
		data, err := os.ReadFile(filepath.Join(d, "src", "webhook", "go.mod"))
		require.NoError(t, err)
		require.Contains(t, string(data), "module github.com/confidential-containers/cloud-api-adaptor/src/webhook")
		dir = d
		return nil
	}}
	plan(t, r.dir, "v0.13.0", o)
	require.NotEmpty(t, dir)
	require.NoDirExists(t, dir)

	wrong := errors.New("not the release")
	o.Check = func(string, string) error { return wrong }
	_, err := tags.NewPlan(context.Background(), openRepo(t, r.dir), r.dir, ver(t, "v0.13.0"), o)
	require.ErrorIs(t, err, wrong)
	require.EqualError(t, err, "tags: not the release")
}
