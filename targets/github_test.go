package targets

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	git "github.com/go-git/go-git/v5"
	"github.com/google/go-github/v84/github"
	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/fixture"
	"github.com/confidential-containers/release-tools/internal/ghfake"
	"github.com/confidential-containers/release-tools/internal/gitfixture"
	"github.com/confidential-containers/release-tools/internal/magevars"
)

// TestCandidateOnGitHub follows a candidate the way the prerelease target
// says: merge, tags, github:release, github:lock; against a GitHub served in
// the test process. The release is a pre-release, not marked latest, on the
// tagged commit, with notes from the previous pre-release.
func TestCandidateOnGitHub(t *testing.T) {
	ctx := context.Background()
	const version = "v0.13.0-alpha.1"
	w := newWorld(t, fixture.PinOperator).withOperator(t)
	f := &ghfake.Server{
		Admin:      true,
		Protection: map[string]*github.Protection{"main": {}},
		Releases:   []*github.RepositoryRelease{ghfake.Rel("v0.12.0", false), ghfake.Rel("v0.12.0-alpha.1", false)},
	}
	r, out := w.runner(magevars.Vars{SkipGo: true, GitHubToken: ghfake.Token, GitHubAPIURL: ghfake.Start(t, f), GitHubRepository: "o/r"})

	require.NoError(t, r.Prerelease(ctx, version), out.String())
	next := out.String()[strings.Index(out.String(), "next, in order:"):]
	for i, step := range []string{
		"1. SKIP_GO=1 skipped the go commands",
		"2. go -C src/cloud-api-adaptor mod tidy",
		"3. go -C src/csi-wrapper mod tidy",
		"4. go -C src/peerpod-ctrl mod tidy",
		"5. merge the PR with this commit",
		"6. mage tags " + version,
		"7. PUSH=1 mage tags " + version,
		"8. PUSH=1 mage github:release " + version,
		"9. mage proxy:warm " + version,
		"10. PUSH=1 mage github:lock ",
	} {
		require.Contains(t, strings.Split(next, "\n")[i+1], step, next)
	}

	// The merge.
	repo, err := git.PlainOpen(w.root)
	require.NoError(t, err)
	require.NoError(t, gitfixture.Push(repo, "origin", "refs/heads/main:refs/heads/main"))
	head, err := repo.Head()
	require.NoError(t, err)

	err = r.GitHubRelease(ctx, version)
	require.ErrorContains(t, err, "no module tags for "+version+" on origin")
	r.Vars.Push = true
	require.NoError(t, r.Tags(ctx, version), out.String())
	r.Vars.Push = false
	out.Reset()
	require.NoError(t, r.GitHubRelease(ctx, version))
	require.Contains(t, out.String(), "github: create release "+version+" on o/r at "+head.Hash().String()+": pre-release, not marked latest; notes from v0.12.0-alpha.1\n")
	require.Empty(t, f.Created, "no PUSH=1, nothing created")

	r.Vars.Push = true
	require.NoError(t, r.GitHubRelease(ctx, version))
	require.Len(t, f.Created, 1)
	require.Equal(t, true, f.Created[0]["prerelease"])
	require.Equal(t, "false", f.Created[0]["make_latest"])
	require.Equal(t, head.Hash().String(), f.Created[0]["target_commitish"])

	require.NoError(t, r.GitHubLock(ctx, true))
	require.Contains(t, out.String(), "github: branch main of o/r was unlocked, is locked now\n")

	out.Reset()
	require.NoError(t, r.Status(ctx), out.String())
	require.Regexp(t, `\ngithub release +pre-release `+version+` on `+head.Hash().String()+` https://github.com/o/r/releases/tag/`, out.String())
	require.Regexp(t, `\nbranch lock +main locked\n`, out.String())
}

// TestGitHubTargetsRefuse: no token, no repository to name, and a 403
// without admin rights; the token never appears in the output or errors,
// even from a server that quotes it back.
func TestGitHubTargetsRefuse(t *testing.T) {
	ctx := context.Background()
	r, out := stageRunner(t, fixture.Citation, magevars.Vars{})

	err := r.GitHubLock(ctx, true)
	require.ErrorContains(t, err, "is not on GitHub (a file:// URL); or set GITHUB_REPOSITORY=owner/repo")
	r.Vars.Remote = "upstream"
	err = r.GitHubLock(ctx, true)
	require.ErrorContains(t, err, `no remote "upstream" in `)
	require.ErrorContains(t, err, "set GITHUB_REPOSITORY=owner/repo, or RELEASE_REMOTE")
	r.Vars.Remote = "origin"
	r.Vars.GitHubRepository = "o/r"
	require.ErrorContains(t, r.GitHubLock(ctx, true), "no GitHub token: set GITHUB_TOKEN")

	f := &ghfake.Server{Echo: true, Protection: map[string]*github.Protection{"main": {}}}
	r.Vars.GitHubAPIURL = ghfake.Start(t, f)
	secret := "ghp_SECRETnotTheFakes0123456789abcdefghij"
	r.Vars.GitHubToken = "ghp_SECRETnotTheFakes0123456789abcdefghij"
	r.Vars.KataRepo = filepath.Join(t.TempDir(), "none") // status asks no Kata on the network
	var errs []string
	for _, run := range []func() error{
		func() error { return r.GitHubLock(ctx, true) },
		func() error { return r.GitHubRelease(ctx, fixture.Version) },
		func() error { return r.Status(ctx) },
	} {
		if err := run(); err != nil {
			errs = append(errs, err.Error())
		}
	}
	require.Contains(t, errs[0], "401 Unauthorized: Bad credentials (you sent Bearer [redacted])")
	require.Regexp(t, `\nbranch lock +unknown\n`, out.String(), "status shows what GitHub did not answer")
	require.Regexp(t, `not made \(so the state is not known to be clean\):\n(?:  - .*\n)*  - the lock of branch main: .*401 Unauthorized: Bad credentials`, out.String())
	require.Contains(t, errs[2], "checks not made: ", "a check that could not be made is not a pass")
	require.NotContains(t, out.String()+strings.Join(errs, "\n")+fmt.Sprintf("%v %+v %#v", r.Vars, r.Vars, r.Vars), secret)

	r.Vars.GitHubToken = ghfake.Token
	err = r.GitHubLock(ctx, true)
	require.ErrorContains(t, err, "403 Forbidden: Must have admin rights to Repository.")
	require.ErrorContains(t, err, "the token needs admin rights on o/r")
	require.Empty(t, f.Puts)
}

// TestTagsSign: SIGN=1 reaches git tag -s; a signer that fails leaves no
// tag, locally or on the remote.
func TestTagsSign(t *testing.T) {
	t.Setenv("GIT_CONFIG_GLOBAL", filepath.Join(t.TempDir(), "gitconfig"))
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	w := newWorld(t, fixture.Citation)
	cmd := exec.Command("git", "-C", w.root, "config", "gpg.program", "false")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, string(out))
	r, log := w.runner(magevars.Vars{Sign: true}) // the plan's commands by hand sign
	require.NoError(t, r.Tags(context.Background(), fixture.Version))
	require.Contains(t, log.String(), "git tag -s -m v0.13.0 src/cloud-providers/v0.13.0 ")
	r, _ = w.runner(magevars.Vars{Push: true, Sign: true})
	err = r.Tags(context.Background(), fixture.Version)
	require.ErrorContains(t, err, "set up signing")
	for _, dir := range []string{w.root, w.remote} {
		found, err := gitfixture.Tags(dir)
		require.NoError(t, err)
		require.Empty(t, found, "no tag in %s", dir)
	}
}

// helmNotes is the table of the v0.21.0 release, above GitHub's notes.
const helmNotes = "## Components\n\n" +
	"| Component | Version | Commit |\n" +
	"| --- | --- | --- |\n" +
	"| Kata Containers | 3.31.0 | `" + fixture.HelmKataRef + "` |\n" +
	"| guest-components |  | `" + fixture.HelmGuestComponents + "` |\n" +
	"| trustee |  | `" + fixture.HelmTrustee + "` |\n" +
	"| kata-deploy chart | 3.31.0 |  |\n" +
	"| peerpods chart | 0.3.0 |  |\n" +
	"| peerpodctrl chart | 0.3.0 |  |\n" +
	"| peerpods-webhook chart | 0.3.0 |  |\n" +
	"| cloud-api-adaptor image |  | `" + fixture.HelmImageSHA + "` |\n" +
	"\n" +
	"Images:\n" +
	"- `quay.io/confidential-containers/cloud-api-adaptor:" + fixture.HelmImageSHA + "`\n" +
	"- `quay.io/confidential-containers/cloud-api-adaptor:" + fixture.HelmImageSHA + "-dev`\n" +
	"- `quay.io/confidential-containers/peerpod-ctrl:" + fixture.HelmImageSHA + "`\n" +
	"- `quay.io/confidential-containers/peer-pods-webhook:" + fixture.HelmImageSHA + "`\n" +
	"\n" +
	"## What's Changed\n* everything from v0.20.0 to v0.21.0"

// TestHelmReleaseNotes: the GitHub release of v0.21.0 carries the
// components of the tagged tree above GitHub's notes, and the plan without
// PUSH=1 shows them; what the work tree holds since does not count.
func TestHelmReleaseNotes(t *testing.T) {
	ctx := t.Context()
	w := helmWorld(t, fixture.HelmPatch, nil)
	r, out := w.runner(magevars.Vars{Push: true})
	require.NoError(t, r.Tags(ctx, fixture.HelmVersion), out.String())
	// After the tags: the next release's edits in the work tree.
	for _, name := range []string{"src/cloud-api-adaptor/versions.yaml", peerpodsChart} {
		file := filepath.Join(w.root, filepath.FromSlash(name))
		data, err := os.ReadFile(file)
		require.NoError(t, err)
		data = bytes.ReplaceAll(bytes.ReplaceAll(data, []byte(fixture.HelmKataRef), []byte(strings.Repeat("1", 40))), []byte("0.3.0"), []byte("0.4.0"))
		require.NoError(t, os.WriteFile(file, data, 0o644))
	}

	f := &ghfake.Server{Releases: []*github.RepositoryRelease{ghfake.Rel("v0.20.0", false)}}
	gh := magevars.Vars{GitHubToken: ghfake.Token, GitHubAPIURL: ghfake.Start(t, f), GitHubRepository: "o/r"}
	r, out = w.runner(gh)
	require.NoError(t, r.GitHubRelease(ctx, fixture.HelmVersion), out.String())
	plan := out.String()[strings.Index(out.String(), "github: create release"):]
	var shown []string
	for _, l := range strings.Split(strings.TrimSuffix(plan, "\n"), "\n")[1:] {
		if !strings.HasPrefix(l, "  | ") && l != "  |" {
			break
		}
		shown = append(shown, strings.TrimPrefix(strings.TrimPrefix(l, "  |"), " "))
	}
	require.Equal(t, helmNotes, strings.Join(shown, "\n"), "the plan shows the notes")
	require.Empty(t, f.Created)

	gh.Push = true
	r, out = w.runner(gh)
	require.NoError(t, r.GitHubRelease(ctx, fixture.HelmVersion), out.String())
	require.Len(t, f.Created, 1)
	require.Equal(t, helmNotes, f.Created[0]["body"])
}
