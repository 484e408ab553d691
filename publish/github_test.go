package publish_test

import (
	"context"
	"strings"
	"testing"

	gogithub "github.com/google/go-github/v84/github"
	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/github"
	"github.com/confidential-containers/release-tools/internal/caatest"
	"github.com/confidential-containers/release-tools/internal/fixture"
	"github.com/confidential-containers/release-tools/internal/ghfake"
	"github.com/confidential-containers/release-tools/internal/gitfixture"
	"github.com/confidential-containers/release-tools/ledger"
	"github.com/confidential-containers/release-tools/publish"
	"github.com/confidential-containers/release-tools/release"
	"github.com/confidential-containers/release-tools/release/config"
	"github.com/confidential-containers/release-tools/tags"
)

func ghClient(t *testing.T, f *ghfake.Server) *github.Client {
	t.Helper()
	o, err := publish.GitHubOptions(newRepo(t, t.TempDir(), config.CAA()), func(k string) string {
		return map[string]string{"GITHUB_TOKEN": ghfake.Token, "GITHUB_API_URL": ghfake.Start(t, f), "GITHUB_REPOSITORY": "o/r"}[k]
	})
	require.NoError(t, err)
	gh, err := github.New(context.Background(), o)
	require.NoError(t, err)
	return gh
}

// overlayNotes is the components table of v0.13.0, of the overlay layout:
// the operator, no charts, each pinned overlay's image once, by overlay
// (docker's dev- tag before gcp's own registry).
const overlayNotes = "## Components\n\n" +
	"| Component | Version | Commit |\n" +
	"| --- | --- | --- |\n" +
	"| Kata Containers | 3.15.0 |  |\n" +
	"| guest-components |  | `" + fixture.GuestComponents + "` |\n" +
	"| trustee |  | `" + fixture.Trustee + "` |\n" +
	"| operator | v0.13.0 |  |\n" +
	"| cloud-api-adaptor image |  | `" + fixture.ImageSHA + "` |\n" +
	"\n" +
	"Images:\n" +
	"- `quay.io/confidential-containers/cloud-api-adaptor:" + fixture.ImageSHA + "`\n" +
	"- `quay.io/confidential-containers/cloud-api-adaptor:dev-" + fixture.ImageSHA + "`\n" +
	"- `192.168.122.1:5000/cloud-api-adaptor:" + fixture.ImageSHA + "`\n" +
	"\n"

// TestGitHubRelease: the release goes on the commit the module tags point
// at on the remote, as a full release with the components of the tagged
// tree above notes from the previous full release; it is planned without
// PUSH, created with it, left alone after.
func TestGitHubRelease(t *testing.T) {
	ctx := context.Background()
	r := caatest.New(t, fixture.RevertImagePin) // the tree the tags of v0.13.0 were on
	f := &ghfake.Server{Releases: []*gogithub.RepositoryRelease{ghfake.Rel("v0.13.0-alpha.1", false), ghfake.Rel("v0.12.0", false)}}
	gh := ghClient(t, f)
	var out strings.Builder

	err := publish.GitHubRelease(ctx, newRepo(t, r.Root, config.CAA()), "v0.13.0", gh, true, &out)
	require.ErrorIs(t, err, tags.ErrNoTags)
	require.ErrorContains(t, err, "no module tags for v0.13.0 on origin")
	require.Equal(t, []release.Fix{{Action: release.ActionTags, Args: []string{"v0.13.0"}, Push: true}}, release.Fixes(err))
	require.Empty(t, f.Paths, "GitHub is not asked before the tags are checked")

	require.NoError(t, publish.Tags(ctx, newRepo(t, r.Root, config.CAA()), "v0.13.0", publish.TagOptions{Push: true}, &out))
	head, err := r.Open(t).Head()
	require.NoError(t, err)
	commit := head.Hash().String()

	out.Reset()
	require.NoError(t, publish.GitHubRelease(ctx, newRepo(t, r.Root, config.CAA()), "v0.13.0", gh, false, &out))
	require.Contains(t, out.String(), "github: create release v0.13.0 on o/r at "+commit+": full release, marked latest; notes from v0.12.0\n")
	require.Contains(t, out.String(), "planned only; nothing created")
	require.Empty(t, f.Created)

	require.NoError(t, publish.GitHubRelease(ctx, newRepo(t, r.Root, config.CAA()), "v0.13.0", gh, true, &out))
	require.Len(t, f.Created, 1)
	require.Equal(t, map[string]any{
		"tag_name": "v0.13.0", "target_commitish": commit, "name": "v0.13.0",
		"body": overlayNotes + "## What's Changed\n* everything from v0.12.0 to v0.13.0", "draft": false, "prerelease": false, "make_latest": "true",
	}, f.Created[0])
	require.Contains(t, out.String(), "github: release v0.13.0 created: https://github.com/o/r/releases/tag/v0.13.0\n")

	out.Reset()
	require.NoError(t, publish.GitHubRelease(ctx, newRepo(t, r.Root, config.CAA()), "v0.13.0", gh, true, &out))
	require.Contains(t, out.String(), "github: release v0.13.0 exists on o/r")
	require.Len(t, f.Created, 1, "a second run creates nothing")
}

// TestGitHubReleaseRefuses: a malformed version, tags that disagree, and a
// top-level tag elsewhere are refused before GitHub is asked.
func TestGitHubReleaseRefuses(t *testing.T) {
	ctx := context.Background()
	r := caatest.New(t, fixture.Citation)
	f := &ghfake.Server{}
	gh := ghClient(t, f)
	var out strings.Builder
	require.NoError(t, publish.Tags(ctx, newRepo(t, r.Root, config.CAA()), "v0.13.0", publish.TagOptions{Push: true}, &out))

	err := publish.GitHubRelease(ctx, newRepo(t, r.Root, config.CAA()), "v0.13.0-alpha1", gh, true, &out)
	require.ErrorContains(t, err, "v0.13.0-alpha.1")

	// A later commit on the remote's main.
	repo := r.Open(t)
	tagged, err := repo.Head()
	require.NoError(t, err)
	later, err := gitfixture.Commit(repo, map[string][]byte{"NEWS": []byte("later\n")}, "later")
	require.NoError(t, err)
	require.NoError(t, gitfixture.Push(repo, "origin", "refs/heads/main:refs/heads/main"))
	remote := caatest.Open(t, r.Remote)

	// The top-level tag elsewhere: GitHub would make the release there.
	_, err = remote.CreateTag("v0.13.0", later, nil)
	require.NoError(t, err)
	err = publish.GitHubRelease(ctx, newRepo(t, r.Root, config.CAA()), "v0.13.0", gh, true, &out)
	require.ErrorContains(t, err, "tag v0.13.0 is on "+later.String()[:12]+" on origin, not on "+tagged.Hash().String()[:12]+" where the module tags are")
	require.NoError(t, remote.DeleteTag("v0.13.0"))
	_, err = remote.CreateTag("v0.13.0", tagged.Hash(), nil)
	require.NoError(t, err)
	c, err := publish.PushedCommit(ctx, newRepo(t, r.Root, config.CAA()), "v0.13.0")
	require.NoError(t, err, "the top-level tag on the tagged commit is fine")
	require.Equal(t, tagged.Hash().String(), c)

	// A local module tag that is not the remote's.
	require.NoError(t, repo.DeleteTag("src/webhook/v0.13.0"))
	_, err = repo.CreateTag("src/webhook/v0.13.0", later, nil)
	require.NoError(t, err)
	err = publish.GitHubRelease(ctx, newRepo(t, r.Root, config.CAA()), "v0.13.0", gh, true, &out)
	require.ErrorContains(t, err, "tag src/webhook/v0.13.0 is on "+later.String()[:12]+" locally but on "+tagged.Hash().String()[:12]+" on origin")

	// A module tag missing on the remote.
	require.NoError(t, remote.DeleteTag("src/webhook/v0.13.0"))
	err = publish.GitHubRelease(ctx, newRepo(t, r.Root, config.CAA()), "v0.13.0", gh, true, &out)
	require.ErrorContains(t, err, "missing: src/webhook/v0.13.0, on origin")
	require.Empty(t, f.Paths, "GitHub is never asked")
}

// TestGitHubLock: without admin rights a clear error; with them the lock
// is shown, changed only with push, and a no-op when already so.
func TestGitHubLock(t *testing.T) {
	ctx := context.Background()
	cfg := config.CAA()
	var out strings.Builder

	f := &ghfake.Server{Protection: map[string]*gogithub.Protection{"main": {}}}
	err := publish.GitHubLock(ctx, release.Repo{Config: cfg}, ghClient(t, f), true, true, &out)
	require.ErrorIs(t, err, github.ErrNeedsAdmin)
	require.ErrorContains(t, err, "403 Forbidden")
	require.ErrorContains(t, err, "the token needs admin rights on o/r")

	f = &ghfake.Server{Admin: true, Protection: map[string]*gogithub.Protection{"main": {}}}
	gh := ghClient(t, f)
	require.NoError(t, publish.GitHubLock(ctx, release.Repo{Config: cfg}, gh, true, false, &out))
	require.Contains(t, out.String(), "github: branch main of o/r is unlocked; planned only: it would be locked\n")
	require.Empty(t, f.Puts)
	require.NoError(t, publish.GitHubLock(ctx, release.Repo{Config: cfg}, gh, true, true, &out))
	require.Contains(t, out.String(), "github: branch main of o/r was unlocked, is locked now\n")
	require.NoError(t, publish.GitHubLock(ctx, release.Repo{Config: cfg}, gh, true, true, &out))
	require.Contains(t, out.String(), "github: branch main of o/r is locked already: nothing to do\n")
	require.Len(t, f.Puts, 1)
	require.NoError(t, publish.GitHubLock(ctx, release.Repo{Config: cfg}, gh, false, true, &out))
	require.Contains(t, out.String(), "github: branch main of o/r was locked, is unlocked now\n")
}

// TestGitHubReleaseLedger: the ledger of releases decides: a maintenance
// release (v0.13.1 with v0.14.0 out) is never marked latest, even where
// GitHub lists no newer release; a version below the latest is refused
// before GitHub is asked; a draft on another commit is refused.
func TestGitHubReleaseLedger(t *testing.T) {
	ctx := context.Background()
	r := caatest.New(t, fixture.RevertImagePin)
	rel := newRepo(t, r.Root, config.CAA())
	head, err := r.Open(t).Head()
	require.NoError(t, err)
	var names []string
	for _, m := range []string{"cloud-api-adaptor", "cloud-providers", "csi-wrapper", "peerpod-ctrl", "webhook"} {
		names = append(names, "src/"+m+"/v0.13.0", "src/"+m+"/v0.14.0", "src/"+m+"/v0.13.1")
	}
	caatest.Tag(t, r.Remote, names...)

	f := &ghfake.Server{Releases: []*gogithub.RepositoryRelease{ghfake.Rel("v0.13.0", false)}}
	var out strings.Builder
	require.NoError(t, publish.GitHubRelease(ctx, rel, "v0.13.1", ghClient(t, f), true, &out))
	require.Contains(t, out.String(), "full release, not marked latest (v0.14.0 is newer)")
	require.Equal(t, "false", f.Created[0]["make_latest"])

	f = &ghfake.Server{}
	err = publish.GitHubRelease(ctx, rel, "v0.12.5", ghClient(t, f), true, &out)
	require.ErrorIs(t, err, ledger.ErrBackwards)
	require.Empty(t, f.Paths)

	draft := ghfake.Rel("v0.14.0", true)
	draft.TargetCommitish = gogithub.Ptr(strings.Repeat("b", 40))
	f = &ghfake.Server{Releases: []*gogithub.RepositoryRelease{draft}}
	err = publish.GitHubRelease(ctx, rel, "v0.14.0", ghClient(t, f), true, &out)
	require.ErrorContains(t, err, "github: the draft release v0.14.0 targets "+strings.Repeat("b", 40)+", not "+head.Hash().String()+" where its module tags are")
	require.Empty(t, f.Edited)
}

// newRepo is the repository at root with cfg, as release.New makes it.
func newRepo(t testing.TB, root string, cfg config.Config) release.Repo {
	t.Helper()
	rel, err := release.New(root, cfg)
	require.NoError(t, err)
	return rel
}
