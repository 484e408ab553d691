package tags_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/gitfixture"
	"github.com/confidential-containers/release-tools/internal/run"
	"github.com/confidential-containers/release-tools/tags"
)

// hashTree hashes every file, directory and link below dir: names, modes
// and contents.
func hashTree(t *testing.T, dir string) string {
	t.Helper()
	h, err := gitfixture.HashTree(dir, false)
	require.NoError(t, err)
	return h
}

// TestPlanWritesNothing: planning the tags while origin is ahead (its
// head is a commit the local repository does not have), its tree checked,
// leaves .git byte for byte as it was: no pack, no moved remote-tracking ref. Applying then
// fetches the commit and tags it.
func TestPlanWritesNothing(t *testing.T) {
	r := newRepo(t)
	ctx := context.Background()
	other := t.TempDir()
	for _, args := range [][]string{
		{"clone", "-q", r.remote, other},
		{"-C", other, "-c", "user.name=O", "-c", "user.email=o@example.com", "commit", "-q", "--allow-empty", "-m", "merged elsewhere"},
		{"-C", other, "push", "-q", "origin", "main"},
	} {
		_, err := run.Cmd(ctx, t.TempDir(), nil, "git", args...)
		require.NoError(t, err, args)
	}
	out, err := run.Cmd(ctx, other, nil, "git", "rev-parse", "HEAD")
	require.NoError(t, err)
	ahead := string(out[:40])
	_, err = r.repo.CommitObject(plumbing.NewHash(ahead))
	require.Error(t, err, "the local repository does not have origin's head")

	before := hashTree(t, filepath.Join(r.dir, ".git"))
	o := opts
	checked := ""
	o.Check = func(commit, dir string) error { // the tree of a commit read from the remote, in place
		_, err := os.Stat(filepath.Join(dir, "src", "cloud-api-adaptor", "go.mod"))
		checked = commit
		return err
	}
	p := plan(t, r.dir, "v0.13.0", o)
	require.Equal(t, ahead, p.Commit)
	require.Equal(t, ahead, checked)
	require.Equal(t, before, hashTree(t, filepath.Join(r.dir, ".git")), "planning wrote to .git")

	require.NoError(t, p.Apply(ctx))
	for name, c := range tagsOf(t, r.remote) {
		require.Equal(t, ahead, c, name)
	}
}

// TestDetachedHEADTags: tagging needs no branch checked out.
func TestDetachedHEADTags(t *testing.T) {
	r := newRepo(t)
	head := r.head(t)
	require.NoError(t, r.repo.Storer.SetReference(plumbing.NewHashReference(plumbing.HEAD, plumbing.NewHash(head))))
	p := plan(t, r.dir, "v0.13.0", tags.Options{Exclude: []string{podvm}})
	require.Equal(t, head, p.Commit)
	require.NoError(t, p.Apply(context.Background()))
	require.Len(t, tagsOf(t, r.remote), 5)
}

// TestApplyHonoursGitLocks: a lock file on a tag to create (another git
// command writing it) stops Apply before anything is created or pushed.
func TestApplyHonoursGitLocks(t *testing.T) {
	r := newRepo(t)
	p := plan(t, r.dir, "v0.13.0", opts)
	name := filepath.Join(r.dir, ".git", "refs", "tags", "src", "webhook", "v0.13.0.lock")
	require.NoError(t, os.MkdirAll(filepath.Dir(name), 0o755))
	require.NoError(t, os.WriteFile(name, nil, 0o644))
	err := p.Apply(context.Background())
	require.ErrorContains(t, err, "tags: nothing was created or pushed: "+name+" exists: another git command is running")
	require.FileExists(t, name)
	require.NoError(t, os.Remove(name)) // go-git would list it as a tag
	require.Empty(t, tagsOf(t, r.dir))
	require.Empty(t, tagsOf(t, r.remote))
}
