package status_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	git "github.com/go-git/go-git/v5"
	gogithub "github.com/google/go-github/v84/github"
	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/github"
	"github.com/confidential-containers/release-tools/internal/caatest"
	"github.com/confidential-containers/release-tools/internal/fixture"
	"github.com/confidential-containers/release-tools/internal/ghfake"
	"github.com/confidential-containers/release-tools/internal/gitfixture"
	"github.com/confidential-containers/release-tools/internal/gitrepo"
	"github.com/confidential-containers/release-tools/internal/slow"
	"github.com/confidential-containers/release-tools/publish"
	"github.com/confidential-containers/release-tools/release"
	"github.com/confidential-containers/release-tools/release/config"
	"github.com/confidential-containers/release-tools/status"
)

func report(t *testing.T, root string) (*status.Report, string) {
	t.Helper()
	r, err := status.Of(context.Background(), newRepo(t, root, config.CAA()))
	require.NoError(t, err)
	var out strings.Builder
	_, err = r.WriteTo(&out)
	require.NoError(t, err)
	return r, out.String()
}

func TestStatusClean(t *testing.T) {
	r := caatest.New(t, fixture.ReleaseAggr)
	rep, out := report(t, r.Root)
	require.NoError(t, rep.Err(), out)
	require.Contains(t, out, "overlay libvirt")
	require.Contains(t, out, "kata-containers")
	require.Contains(t, out, "3.15.0 (oci.kata-containers.reference)")
	require.Contains(t, out, "no inconsistencies found")
}

func TestStatusMixedPins(t *testing.T) {
	r := caatest.New(t, fixture.ReleaseAggr)
	p, err := newRepo(t, r.Root, config.CAA()).Release(fixture.V(fixture.Version), fixture.ImageSHA, release.Inputs{})
	caatest.Run(t, p, err, skipGo)
	aws := filepath.Join(r.Root, "src/cloud-api-adaptor/install/overlays/aws/kustomization.yaml")
	data, err := os.ReadFile(aws)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(aws, []byte(strings.Replace(string(data), "newTag: "+fixture.ImageSHA, "newTag: latest", 1)), 0o644))
	libvirt := filepath.Join(r.Root, "src/cloud-api-adaptor/install/overlays/libvirt/kustomization.yaml")
	data, err = os.ReadFile(libvirt)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(libvirt, []byte(strings.Replace(string(data), "dev-"+fixture.ImageSHA, fixture.ImageSHA, 1)), 0o644))

	rep, out := report(t, r.Root)
	require.ErrorIs(t, rep.Err(), status.ErrInconsistent)
	require.Contains(t, out, "overlays are pinned to different images ("+fixture.ImageSHA+": azure, docker")
	require.Contains(t, out, "latest: aws")
	require.Contains(t, out, "overlay libvirt has "+fixture.ImageSHA+", but the dev- rule gives dev-"+fixture.ImageSHA)
	require.Contains(t, out, "fix: pin-image "+fixture.ImageSHA)
}

func TestStatusCitationCommit(t *testing.T) {
	slow.Git(t)
	files, err := fixture.Files(fixture.PostReleaseAggr, "after")
	require.NoError(t, err)
	root, remote := t.TempDir(), t.TempDir()
	g, err := gitfixture.WithRemote(root, remote, files, "after the release")
	require.NoError(t, err)
	require.NoError(t, publish.Tags(context.Background(), newRepo(t, root, config.CAA()), "v0.13.0", publish.TagOptions{Push: true}, &strings.Builder{}))
	head, err := g.Head()
	require.NoError(t, err)

	rep, out := report(t, root)
	require.ErrorIs(t, rep.Err(), status.ErrInconsistent)
	require.Contains(t, out, "CITATION.cff cites commit "+fixture.ReleaseCommit+", but the v0.13.0 tags are on "+head.Hash().String())
	require.Contains(t, out, "fix: update-citation v0.13.0 (release date 2025-03-28)")
	require.Contains(t, out, "tag src/csi-wrapper/v0.13.0")
}

// TestStatusRemoteTags: status reads the remote's tags too: a tag only
// there is a problem that git fetch --tags fixes (the steps that read the
// release commit read the local tags), one not pushed or moved locally is
// a problem.
func TestStatusRemoteTags(t *testing.T) {
	r := caatest.New(t, fixture.Citation) // go.mod files at v0.13.0
	require.NoError(t, publish.Tags(context.Background(), newRepo(t, r.Root, config.CAA()), "v0.13.0", publish.TagOptions{Push: true}, &strings.Builder{}))
	local, remote := r.Open(t), caatest.Open(t, r.Remote)
	head, err := local.Head()
	require.NoError(t, err)
	rep, out := report(t, r.Root)
	require.NoError(t, rep.Err(), out)
	require.Contains(t, out, "origin listed (5 tags)")

	require.NoError(t, local.DeleteTag("src/webhook/v0.13.0")) // only on the remote now: to fetch
	rep, out = report(t, r.Root)
	require.ErrorIs(t, rep.Err(), status.ErrInconsistent)
	require.Contains(t, out, "tags of v0.13.0 on origin but not in this repository: src/webhook/v0.13.0\n    fix: git fetch --tags origin")
	require.NoError(t, remote.DeleteTag("src/csi-wrapper/v0.13.0"))
	require.NoError(t, local.DeleteTag("src/peerpod-ctrl/v0.13.0"))
	later, err := gitfixture.Commit(local, map[string][]byte{"NOTES": []byte("later\n")}, "later")
	require.NoError(t, err)
	_, err = local.CreateTag("src/peerpod-ctrl/v0.13.0", later, nil)
	require.NoError(t, err)

	rep, out = report(t, r.Root)
	require.ErrorIs(t, rep.Err(), status.ErrInconsistent)
	require.Regexp(t, "tag src/webhook/v0.13.0 +"+head.Hash().String()+` \(on origin only\)`, out)
	require.Contains(t, out, "tags of v0.13.0 not on origin: src/csi-wrapper/v0.13.0\n    fix: tags v0.13.0 (pushing)")
	require.Contains(t, out, "tag src/peerpod-ctrl/v0.13.0 is on "+later.String()[:12]+" locally but on "+head.Hash().String()[:12]+" on origin")
}

// TestStatusGitHub: a tagged version without a release is a problem; the
// lock is shown, or why it is not known.
func TestStatusGitHub(t *testing.T) {
	ctx := context.Background()
	r := caatest.New(t, fixture.Citation)
	var out strings.Builder
	require.NoError(t, publish.Tags(ctx, newRepo(t, r.Root, config.CAA()), "v0.13.0", publish.TagOptions{Push: true}, &out))

	f := &ghfake.Server{}
	gh := ghClient(t, f)
	rep, err := status.Read(ctx, newRepo(t, r.Root, config.CAA()), status.Options{GitHub: gh})
	require.NoError(t, err)
	require.Equal(t, "v0.13.0", rep.Version)
	rep.GitHub(ctx, config.CAA(), gh)
	require.Contains(t, rep.Rows, [2]string{"github release", "none for v0.13.0"})
	require.Contains(t, rep.Rows, [2]string{"branch lock", "unknown: reading it needs a token with admin rights"})
	require.Contains(t, rep.Problems, status.Problem{What: "no GitHub release for v0.13.0", Fixes: []release.Fix{{Action: release.ActionGitHubRelease, Args: []string{"v0.13.0"}, Push: true}}})

	require.NoError(t, publish.GitHubRelease(ctx, newRepo(t, r.Root, config.CAA()), "v0.13.0", gh, true, &out))
	f.Mu.Lock()
	f.Admin, f.Protection = true, map[string]*gogithub.Protection{"main": {LockBranch: &gogithub.LockBranch{Enabled: gogithub.Ptr(true)}}}
	f.Mu.Unlock()
	rep, err = status.Read(ctx, newRepo(t, r.Root, config.CAA()), status.Options{GitHub: gh})
	require.NoError(t, err)
	rep.GitHub(ctx, config.CAA(), gh)
	require.Empty(t, rep.Problems)
	require.Contains(t, rep.Rows, [2]string{"branch lock", "main locked"})
	require.Contains(t, rep.Rows, [2]string{"github release", "release v0.13.0 on " + rep.Tagged + " https://github.com/o/r/releases/tag/v0.13.0"})
}

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

// TestStatusNoCommits: a repository with no commit yet is said to be
// one, not reported as a pass.
func TestStatusNoCommits(t *testing.T) {
	r := caatest.New(t, fixture.ReleaseAggr)
	require.NoError(t, os.RemoveAll(filepath.Join(r.Root, ".git")))
	_, err := git.PlainInit(r.Root, false)
	require.NoError(t, err)
	_, err = status.Of(context.Background(), newRepo(t, r.Root, config.CAA()))
	require.ErrorIs(t, err, gitrepo.ErrNoCommits)
	require.ErrorContains(t, err, "has no commits yet")
}

// TestStatusDuplicateKey: a versions.yaml key written twice is a problem
// that names it, not "none".
func TestStatusDuplicateKey(t *testing.T) {
	r := caatest.New(t, fixture.ReleaseAggr)
	file := filepath.Join(r.Root, "src/cloud-api-adaptor/versions.yaml")
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	i := strings.Index(string(data), "  kata-containers:\n")
	require.Positive(t, i)
	j := i + strings.Index(string(data[i:]), "    reference: ")
	line := strings.Count(string(data[:j]), "\n") + 1
	data = []byte(string(data[:j]) + "    reference: x\n" + string(data[j:]))
	require.NoError(t, os.WriteFile(file, data, 0o644))
	rep, out := report(t, r.Root)
	require.ErrorIs(t, rep.Err(), status.ErrInconsistent)
	require.Contains(t, out, fmt.Sprintf("key reference appears twice in oci.kata-containers (lines %d and %d): keep one", line, line+1))
}

// newRepo is the repository at root with cfg, as release.New makes it.
func newRepo(t testing.TB, root string, cfg config.Config) release.Repo {
	t.Helper()
	rel, err := release.New(root, cfg)
	require.NoError(t, err)
	return rel
}
