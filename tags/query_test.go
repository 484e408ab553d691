package tags_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/gomod"
	"github.com/confidential-containers/release-tools/internal/gitfixture"
	"github.com/confidential-containers/release-tools/internal/gitremote"
	"github.com/confidential-containers/release-tools/internal/run"
	"github.com/confidential-containers/release-tools/tags"
	"github.com/confidential-containers/release-tools/version"
)

func TestClassify(t *testing.T) {
	const a, b, c = "aaa", "bbb", "ccc"
	for _, tc := range []struct {
		local, remote, want string
		state               tags.State
	}{
		{"", "", a, tags.Absent},
		{"", "", "", tags.Absent},
		{a, "", a, tags.LocalOnly},
		{a, "", "", tags.LocalOnly},
		{b, "", a, tags.Conflict},
		{"", a, a, tags.Pushed},
		{"", a, "", tags.Pushed},
		{a, a, a, tags.Pushed},
		{a, a, "", tags.Pushed},
		{"", b, a, tags.Conflict},
		{a, b, a, tags.Conflict},
		{a, b, "", tags.Conflict},
		{b, b, a, tags.Conflict},
		{b, c, a, tags.Conflict},
	} {
		require.Equal(t, tc.state, tags.Classify(tc.local, tc.remote, tc.want), "local %q remote %q want %q", tc.local, tc.remote, tc.want)
	}
}

func TestStateString(t *testing.T) {
	for s, want := range map[tags.State]string{tags.Absent: "new", tags.Pushed: "done", tags.Conflict: "CONFLICT", tags.LocalOnly: "local", 5: "State(5)", -1: "State(-1)"} {
		require.Equal(t, want, s.String())
	}
}

func TestName(t *testing.T) {
	for _, tc := range []struct {
		dir, path, v, want string
	}{
		{".", "example.com/r", "v0.13.0", "v0.13.0"},
		{"src/a", "example.com/r/src/a", "v0.13.0", "src/a/v0.13.0"},
		{"src/foo/v2", "example.com/r/src/foo/v2", "v2.0.0", "src/foo/v2.0.0"},
		{"src/foo", "example.com/r/src/foo/v2", "v2.1.0-rc.1", "src/foo/v2.1.0-rc.1"},
		{"v2", "example.com/r/v2", "v2.0.0", "v2.0.0"},
	} {
		m := gomod.Module{Dir: tc.dir, Path: tc.path}
		got, err := tags.Name(m, ver(t, tc.v))
		require.NoError(t, err, tc.dir)
		require.Equal(t, tc.want, got, tc.dir)
		require.Equal(t, tc.want[:len(tc.want)-len(tc.v)], tags.Prefix(m), tc.dir)
	}
	_, err := tags.Name(gomod.Module{Dir: "src/a", Path: "example.com/r/src/a"}, ver(t, "v2.0.0"))
	require.ErrorIs(t, err, tags.ErrWrongMajor)
	require.ErrorContains(t, err, "tags: version does not fit the module's major version: module example.com/r/src/a (in src/a) cannot take v2.0.0")
	_, err = tags.Name(gomod.Module{Dir: "src/foo/v2", Path: "example.com/r/src/foo/v2"}, ver(t, "v3.0.0"))
	require.ErrorContains(t, err, "takes only v2.x.y versions, not v3.0.0")
	_, err = tags.Name(gomod.Module{Dir: "src/a", Path: "example.com/r/src/a"}, version.Version{})
	require.ErrorContains(t, err, "tags: no version")
}

// annotate makes an annotated tag name on target (a commit or a tag object).
func annotate(t *testing.T, repo *git.Repository, name string, target plumbing.Hash) plumbing.Hash {
	t.Helper()
	obj, err := repo.Object(plumbing.AnyObject, target)
	require.NoError(t, err)
	tag := &object.Tag{Name: name, Tagger: object.Signature{Name: "t", Email: "t@example.com"}, Message: name + "\n", TargetType: obj.Type(), Target: target}
	enc := repo.Storer.NewEncodedObject()
	require.NoError(t, tag.Encode(enc))
	h, err := repo.Storer.SetEncodedObject(enc)
	require.NoError(t, err)
	require.NoError(t, repo.Storer.SetReference(plumbing.NewHashReference(plumbing.NewTagReferenceName(name), h)))
	return h
}

// taggedRepo is a repository with a bare remote that both hold a
// lightweight tag, an annotated one and a tag of an annotated tag, all on
// the head commit.
func taggedRepo(t *testing.T) (r fixtureRepo, head string) {
	t.Helper()
	r = newRepo(t)
	head = r.head(t)
	h := plumbing.NewHash(head)
	_, err := r.repo.CreateTag("light", h, nil)
	require.NoError(t, err)
	inner := annotate(t, r.repo, "annotated", h)
	annotate(t, r.repo, "nested", inner)
	require.NoError(t, gitfixture.Push(r.repo, "origin", "refs/tags/*:refs/tags/*"))
	return r, head
}

func TestLocal(t *testing.T) {
	r, head := taggedRepo(t)
	for _, name := range []string{"light", "annotated", "nested"} {
		c, err := tags.Local(openRepo(t, r.dir), name)
		require.NoError(t, err, name)
		require.Equal(t, head, c, name)
	}
	c, err := tags.Local(openRepo(t, r.dir), "nope")
	require.NoError(t, err)
	require.Empty(t, c)
}

// TestRemote: the tags of a remote, peeled, read in place (a file://
// URL) or through go-git's transport (a relative path), as
// [tags.RemoteNamed] and the plan list them.
func TestRemote(t *testing.T) {
	r, head := taggedRepo(t)
	want := map[string]string{"light": head, "annotated": head, "nested": head}
	ctx := context.Background()
	got, err := gitremote.RemoteTags(ctx, "file://"+r.remote)
	require.NoError(t, err)
	require.Equal(t, want, got, "file:// URL, read in place")

	// A relative path goes through go-git's file transport (git-upload-pack),
	// the code path of a network remote.
	wd, err := os.Getwd()
	require.NoError(t, err)
	rel, err := filepath.Rel(wd, r.remote)
	require.NoError(t, err)
	got, err = gitremote.RemoteTags(ctx, rel)
	require.NoError(t, err)
	require.Equal(t, want, got, "through the transport")

	empty := t.TempDir()
	_, err = gitfixture.Bare(empty)
	require.NoError(t, err)
	rel, err = filepath.Rel(wd, empty)
	require.NoError(t, err)
	got, err = gitremote.RemoteTags(ctx, rel)
	require.NoError(t, err)
	require.Empty(t, got)

	_, err = gitremote.RemoteTags(ctx, "file://"+filepath.Join(t.TempDir(), "nope"))
	require.Error(t, err)
	_, err = run.Git(ctx, r.dir, "remote", "add", "nourl", "")
	if err == nil {
		got, note := tags.RemoteNamed(ctx, openRepo(t, r.dir), "nourl")
		require.Nil(t, got)
		require.Contains(t, note, "local tags only")
	}
}
