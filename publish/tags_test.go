package publish_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/caatest"
	"github.com/confidential-containers/release-tools/internal/fixture"
	"github.com/confidential-containers/release-tools/internal/gitfixture"
	"github.com/confidential-containers/release-tools/internal/run"
	"github.com/confidential-containers/release-tools/phase"
	"github.com/confidential-containers/release-tools/publish"
	"github.com/confidential-containers/release-tools/release"
	"github.com/confidential-containers/release-tools/release/config"
	"github.com/confidential-containers/release-tools/released"
	"github.com/confidential-containers/release-tools/tags"
)

func TestTagsAndTaggedCommit(t *testing.T) {
	r := caatest.New(t, fixture.Citation) // go.mod files at v0.13.0
	var out strings.Builder
	require.NoError(t, publish.Tags(context.Background(), newRepo(t, r.Root, config.CAA()), "v0.13.0", publish.TagOptions{}, &out))
	require.Contains(t, out.String(), "planned only; nothing created or pushed")
	_, err := newRepo(t, r.Root, config.CAA()).TaggedCommit("v0.13.0")
	require.ErrorIs(t, err, tags.ErrNoTags)

	require.NoError(t, publish.Tags(context.Background(), newRepo(t, r.Root, config.CAA()), "v0.13.0", publish.TagOptions{Push: true, TopLevel: true}, &out))
	head, err := r.Open(t).Head()
	require.NoError(t, err)
	c, err := newRepo(t, r.Root, config.CAA()).TaggedCommit("v0.13.0")
	require.NoError(t, err)
	require.Equal(t, head.Hash().String(), c)

	// Postrelease cites the tagged commit by default.
	p, err := newRepo(t, r.Root, config.CAA()).Postrelease(fixture.V("v0.13.0"), release.Inputs{ReleaseDate: "2025-03-28"})
	caatest.Run(t, p, err, phase.Options{})
	data, err := os.ReadFile(filepath.Join(r.Root, "CITATION.cff"))
	require.NoError(t, err)
	require.Contains(t, string(data), "commit: "+c+"\n")

	// A moved tag makes the tags disagree.
	require.NoError(t, r.Open(t).DeleteTag("src/webhook/v0.13.0"))
	now, err := r.Open(t).Head()
	require.NoError(t, err)
	_, err = r.Open(t).CreateTag("src/webhook/v0.13.0", now.Hash(), nil)
	require.NoError(t, err)
	_, err = newRepo(t, r.Root, config.CAA()).TaggedCommit("v0.13.0")
	require.ErrorContains(t, err, "the module tags of v0.13.0 disagree")
}

// TestTagsOnRemoteOnly: the tags of the version are on origin but not
// here (pushed from another clone). Pushing again pushes nothing and says
// so; the post-release does not send back to the tags step but to git
// fetch --tags; after the fetch it goes on.
func TestTagsOnRemoteOnly(t *testing.T) {
	r := caatest.New(t, fixture.Citation) // go.mod files at v0.13.0
	rel := newRepo(t, r.Root, config.CAA())
	require.NoError(t, publish.Tags(context.Background(), rel, "v0.13.0", publish.TagOptions{Push: true}, &strings.Builder{}))
	head, err := r.Open(t).Head()
	require.NoError(t, err)
	for _, name := range []string{"src/cloud-providers/v0.13.0", "src/peerpod-ctrl/v0.13.0", "src/cloud-api-adaptor/v0.13.0", "src/csi-wrapper/v0.13.0", "src/webhook/v0.13.0"} {
		require.NoError(t, r.Open(t).DeleteTag(name))
	}

	var out strings.Builder
	require.NoError(t, publish.Tags(context.Background(), rel, "v0.13.0", publish.TagOptions{Push: true}, &out))
	require.Equal(t, "tags: every module tag of v0.13.0 is on origin, on commit "+head.Hash().String()+": nothing to do\n", out.String())

	_, err = rel.TaggedCommit("v0.13.0")
	require.ErrorIs(t, err, release.ErrTagsNotFetched)
	require.NotErrorIs(t, err, tags.ErrNoTags)
	require.ErrorContains(t, err, "the module tags of v0.13.0 are on origin, on commit "+head.Hash().String()+", but not all in this repository: fetch them (git fetch --tags origin)")
	require.Equal(t, []release.Fix{{Command: "git fetch --tags origin"}}, release.Fixes(err))
	_, err = rel.Postrelease(fixture.V("v0.13.0"), release.Inputs{ReleaseDate: "2025-03-28"})
	require.ErrorIs(t, err, release.ErrTagsNotFetched)

	// One tag back: still not all here.
	_, err = r.Open(t).CreateTag("src/webhook/v0.13.0", head.Hash(), nil)
	require.NoError(t, err)
	_, err = rel.TaggedCommit("v0.13.0")
	require.ErrorIs(t, err, release.ErrTagsNotFetched)
}

// TestTagsCompleteThenMoved: the tags of the version are complete on
// origin and main moved on: there is nothing to do, and tags says where
// the tags are (issue 22.7: it used to say "not the release" and suggest
// releasing the version again). A commit asked for other than theirs is
// refused: tags never move.
func TestTagsCompleteThenMoved(t *testing.T) {
	r := caatest.New(t, fixture.Citation)
	rel := newRepo(t, r.Root, config.CAA())
	require.NoError(t, publish.Tags(context.Background(), rel, "v0.13.0", publish.TagOptions{Push: true}, &strings.Builder{}))
	head, err := r.Open(t).Head()
	require.NoError(t, err)
	later, err := gitfixture.Commit(r.Open(t), map[string][]byte{"NOTES": []byte("later\n")}, "later")
	require.NoError(t, err)
	require.NoError(t, gitfixture.Push(r.Open(t), "origin", "refs/heads/main:refs/heads/main"))

	for _, commit := range []string{"", head.Hash().String()} {
		var out strings.Builder
		require.NoError(t, publish.Tags(context.Background(), rel, "v0.13.0", publish.TagOptions{Push: true, Commit: commit}, &out))
		require.Equal(t, "tags: every module tag of v0.13.0 is on origin, on commit "+head.Hash().String()+": nothing to do\n", out.String())
	}
	err = publish.Tags(context.Background(), rel, "v0.13.0", publish.TagOptions{Push: true, Commit: later.String()}, &strings.Builder{})
	require.ErrorContains(t, err, "tags: every module tag of v0.13.0 is on origin, on commit "+head.Hash().String()+", not on "+later.String()+": tags never move")
	require.Empty(t, release.Fixes(err))
}

// TestTagsStray: a tag made locally on another commit and never pushed:
// the fix is git tag -d, not another version.
func TestTagsStray(t *testing.T) {
	r := caatest.New(t, fixture.Citation)
	rel := newRepo(t, r.Root, config.CAA())
	head, err := r.Open(t).Head()
	require.NoError(t, err)
	_, err = gitfixture.Commit(r.Open(t), map[string][]byte{"NOTES": []byte("later\n")}, "later")
	require.NoError(t, err)
	_, err = r.Open(t).CreateTag("src/webhook/v0.13.0", head.Hash(), nil) // on the commit before
	require.NoError(t, err)
	require.NoError(t, gitfixture.Push(r.Open(t), "origin", "refs/heads/main:refs/heads/main"))

	err = publish.Tags(context.Background(), rel, "v0.13.0", publish.TagOptions{Push: true}, &strings.Builder{})
	require.ErrorIs(t, err, tags.ErrTagConflict)
	require.ErrorContains(t, err, "git tag -d src/webhook/v0.13.0")
	require.NotContains(t, err.Error(), "v0.13.1")
	require.Equal(t, []release.Fix{{Command: "git tag -d src/webhook/v0.13.0"}}, release.Fixes(err))
}

// TestTagsGivenCommitRemoteAhead: origin's main moved on to a commit this
// repository lacks: whether the given commit is on it cannot be told, and
// the fix is a fetch.
func TestTagsGivenCommitRemoteAhead(t *testing.T) {
	r := caatest.New(t, fixture.Citation)
	rel := newRepo(t, r.Root, config.CAA())
	head, err := r.Open(t).Head()
	require.NoError(t, err)
	other := t.TempDir()
	for _, args := range [][]string{
		{"clone", "-q", r.Remote, other},
		{"-C", other, "-c", "user.name=O", "-c", "user.email=o@example.com", "commit", "-q", "--allow-empty", "-m", "merged elsewhere"},
		{"-C", other, "push", "-q", "origin", "main"},
	} {
		_, err := run.Cmd(context.Background(), t.TempDir(), nil, "git", args...)
		require.NoError(t, err, args)
	}

	err = publish.Tags(context.Background(), rel, "v0.13.0", publish.TagOptions{Commit: head.Hash().String()}, &strings.Builder{})
	require.ErrorIs(t, err, tags.ErrHeadNotFetched)
	require.Equal(t, []release.Fix{{Command: "git fetch origin"}}, release.Fixes(err))
}

// TestCheckReleaseOtherLayouts: the overlay layout, and a candidate on
// the chart layout, have no release tree to check beyond the requires
// (the tags' own check).
func TestCheckReleaseOtherLayouts(t *testing.T) {
	overlays := caatest.New(t, fixture.KataSync) // not released: the overlays at latest
	v13, err := config.CAA().ParseVersion("v0.13.0")
	require.NoError(t, err)
	require.NoError(t, released.Check(newRepo(t, overlays.Root, config.CAA()), v13, "c"))

	helm := caatest.New(t, fixture.HelmRelease) // not released
	rc, err := config.CAA().ParseVersion("v0.21.0-rc.1")
	require.NoError(t, err)
	require.NoError(t, released.Check(newRepo(t, helm.Root, config.CAA()), rc, "c"))
	v21, err := config.CAA().ParseVersion("v0.21.0")
	require.NoError(t, err)
	require.ErrorIs(t, released.Check(newRepo(t, helm.Root, config.CAA()), v21, "c"), released.ErrNotRelease)
}
