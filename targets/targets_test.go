package targets

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/fixture"
	"github.com/confidential-containers/release-tools/internal/gitfixture"
	"github.com/confidential-containers/release-tools/release"
	"github.com/confidential-containers/release-tools/status"
	"github.com/confidential-containers/release-tools/tags"
)

func TestReadVars(t *testing.T) {
	env := func(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }
	v, err := readVars(env(nil))
	require.NoError(t, err)
	require.Equal(t, vars{}, v)
	v, err = readVars(env(map[string]string{"GOPROXY": "off"}))
	require.NoError(t, err)
	require.Equal(t, "off", v.GoProxy)

	v, err = readVars(env(map[string]string{"DRY_RUN": "1", "SKIP_GO": "true", "RELEASE_DATE": "2025-03-28", "TAG_COMMIT": "410154b", "RELEASE_BRANCH": "release-0.13"}))
	require.NoError(t, err)
	require.True(t, v.DryRun && v.SkipGo)
	require.Equal(t, "release-0.13", v.Branch)
	v, err = readVars(env(map[string]string{"ALLOW_DOWNGRADE": "1", "CHART_VERSION": "0.10.0"}))
	require.NoError(t, err)
	require.True(t, v.AllowDowngrade)
	require.Equal(t, "0.10.0", v.ChartVersion)

	v, err = readVars(env(map[string]string{"SIGN": "1", "GITHUB_TOKEN": "ghp_secret", "GITHUB_API_URL": "https://ghe.example/api/v3", "GITHUB_REPOSITORY": "o/r"}))
	require.NoError(t, err)
	require.True(t, v.Sign)
	require.Equal(t, [3]string{"ghp_secret", "https://ghe.example/api/v3", "o/r"}, [3]string{string(v.GitHubToken), v.GitHubAPIURL, v.GitHubRepository})
	require.NotContains(t, fmt.Sprintf("%v %+v %#v", v, v, v), "ghp_secret")

	for kv, want := range map[[2]string]string{
		{"DRY_RUN", "yes"}:             `DRY_RUN="yes": use 1 or 0`,
		{"PUSH", "2"}:                  `PUSH="2": use 1 or 0`,
		{"RELEASE_DATE", "28/03/25"}:   `RELEASE_DATE="28/03/25": want YYYY-MM-DD`,
		{"RELEASE_COMMIT", "410154b"}:  `want a full commit SHA`,
		{"TAG_COMMIT", "main"}:         `want a commit hash`,
		{"OPERATOR_REF", "a b"}:        `not a git reference`,
		{"OPERATOR_REF", "../../x"}:    `not a git reference`,
		{"KATA_REF", "cf82bb3"}:        `KATA_REF="cf82bb3": want a full commit SHA`,
		{"KATA_REF_NOTE", "a # b"}:     `want one short line without #`,
		{"CHART_VERSION", "v0.3.0"}:    `CHART_VERSION="v0.3.0": want a chart version such as 0.3.1 (no v)`,
		{"RELEASE_TIME", "2026-05-26"}: `RELEASE_TIME="2026-05-26": want RFC 3339`,
		{"SKIP_REGISTRY", "y"}:         `SKIP_REGISTRY="y": use 1 or 0`,
		{"ALLOW_TIDY_DROPS", "2"}:      `ALLOW_TIDY_DROPS="2": use 1 or 0`,
		{"ALLOW_DOWNGRADE", "yes"}:     `ALLOW_DOWNGRADE="yes": use 1 or 0`,
		// Numbers helm would refuse, or a release could not bump.
		{"CHART_VERSION", "99999999999999999999.0.0"}: `CHART_VERSION="99999999999999999999.0.0": invalid chart version: "99999999999999999999.0.0": 99999999999999999999 is too large`,
		{"CHART_VERSION", "0.03.1"}:                   `CHART_VERSION="0.03.1": invalid chart version: "0.03.1" is not SemVer 2`,
	} {
		_, err := readVars(env(map[string]string{kv[0]: kv[1]}))
		require.ErrorContains(t, err, want)
	}
	_, err = readVars(env(map[string]string{"DRY_RUN": "1", "PUSH": "1"}))
	require.ErrorContains(t, err, "contradict")

	v, err = readVars(env(map[string]string{"PR": "1", "PR_DRAFT": "1", "PR_REMOTE": "fork"}))
	require.NoError(t, err)
	require.True(t, v.PR && v.PRDraft)
	require.Equal(t, "fork", v.PRRemote)
	for kv, want := range map[[2]string]string{
		{"DRY_RUN", "1"}:     "DRY_RUN=1 and PR=1 contradict each other",
		{"NO_COMMIT", "1"}:   "NO_COMMIT=1 and PR=1 contradict each other",
		{"PR_REMOTE", "a b"}: `PR_REMOTE="a b": want a remote name`,
		// Read by git as an option, these were taken.
		{"PR_REMOTE", "--all"}:     `PR_REMOTE="--all": want a remote name`,
		{"RELEASE_REMOTE", "-x"}:   `RELEASE_REMOTE="-x": want a remote name`,
		{"RELEASE_BRANCH", "-x"}:   `RELEASE_BRANCH="-x": want a branch name`,
		{"RELEASE_BRANCH", "a..b"}: `RELEASE_BRANCH="a..b": want a branch name`,
	} {
		_, err := readVars(env(map[string]string{"PR": "1", kv[0]: kv[1]}))
		require.ErrorContains(t, err, want)
	}
}

// stageRunner builds a repository from a stage's before/ files.
func stageRunner(t *testing.T, stage string, vars vars) (*runner, *strings.Builder) {
	t.Helper()
	files, err := fixture.Files(stage, "before")
	require.NoError(t, err)
	root := t.TempDir()
	_, err = gitfixture.WithRemote(root, t.TempDir(), files, "before")
	require.NoError(t, err)
	if vars.Remote == "" {
		vars.Remote, vars.Branch = "origin", "main"
	}
	if vars.GoProxy == "" {
		vars.GoProxy = "off" // tests never ask proxy.golang.org
	}
	out := &strings.Builder{}
	return &runner{Root: root, Vars: vars, Out: out, Registry: fakeRegistry(t)}, out
}

func requireAfter(t *testing.T, root, stage string, names ...string) {
	t.Helper()
	for _, name := range names {
		got, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(name)))
		require.NoError(t, err)
		require.Equal(t, string(fixture.MustFile(stage, "after", name)), string(got), name)
	}
}

const versionsYAML = "src/cloud-api-adaptor/versions.yaml"

// TestSingleSteps runs each single-step target on the stage it reproduces.
func TestSingleSteps(t *testing.T) {
	ctx := context.Background()
	t.Run("operator:pin", func(t *testing.T) {
		r, _ := stageRunner(t, fixture.PinOperator, vars{})
		require.NoError(t, r.OperatorPin(ctx, fixture.OperatorRef))
		requireAfter(t, r.Root, fixture.PinOperator, versionsYAML)
	})
	t.Run("operator:unpin", func(t *testing.T) {
		r, _ := stageRunner(t, fixture.RevertOperator, vars{})
		require.NoError(t, r.OperatorUnpin(ctx))
		requireAfter(t, r.Root, fixture.RevertOperator, versionsYAML)
	})
	t.Run("overlays:pin", func(t *testing.T) {
		r, _ := stageRunner(t, fixture.PinImage, vars{})
		require.NoError(t, r.OverlaysPin(ctx, fixture.ImageSHA))
		names, err := fixture.Names(fixture.PinImage, "after")
		require.NoError(t, err)
		requireAfter(t, r.Root, fixture.PinImage, names...)
	})
	t.Run("overlays:unpin", func(t *testing.T) {
		r, _ := stageRunner(t, fixture.RevertImagePin, vars{})
		require.NoError(t, r.OverlaysUnpin(ctx))
		names, err := fixture.Names(fixture.RevertImagePin, "after")
		require.NoError(t, err)
		requireAfter(t, r.Root, fixture.RevertImagePin, names...)
	})
	t.Run("gomod:bump", func(t *testing.T) {
		r, out := stageRunner(t, fixture.GomodBump, vars{SkipGo: true})
		require.NoError(t, r.GomodBump(ctx, fixture.Version))
		names, err := fixture.Names(fixture.GomodBump, "after")
		require.NoError(t, err)
		requireAfter(t, r.Root, fixture.GomodBump, names...)
		require.Contains(t, out.String(), "skipped (go commands off)")
	})
	t.Run("citation:update", func(t *testing.T) {
		r, _ := stageRunner(t, fixture.Citation, vars{ReleaseDate: fixture.ReleaseDate})
		commit, err := gitfixtureHead(r.Root) // RELEASE_COMMIT must be on origin/main: the fixture's is not
		require.NoError(t, err)
		r.Vars.ReleaseCommit = commit
		require.NoError(t, r.CitationUpdate(ctx, fixture.Version))
		requireCitation(t, r.Root, fixture.Citation, fixture.ReleaseCommit, commit)
	})
	t.Run("release prints the next commands", func(t *testing.T) {
		r, out := stageRunner(t, fixture.ReleaseAggr, vars{SkipGo: true})
		require.NoError(t, r.Release(ctx, fixture.Version, fixture.ImageSHA))
		require.Contains(t, out.String(), "PUSH=1 mage tags v0.13.0")
	})
	t.Run("NO_COMMIT edits without committing", func(t *testing.T) {
		r, out := stageRunner(t, fixture.PinOperator, vars{NoCommit: true})
		require.NoError(t, r.OperatorPin(ctx, fixture.OperatorRef))
		require.Contains(t, out.String(), "commit: skipped (commits off)")
		requireAfter(t, r.Root, fixture.PinOperator, versionsYAML)
		require.Error(t, r.OperatorUnpin(ctx), "the uncommitted edit makes the tree dirty")
	})
	t.Run("status", func(t *testing.T) {
		// No GitHub token, no Kata repository: no problem, but not clean.
		r, out := stageRunner(t, fixture.ReleaseAggr, vars{KataRepo: filepath.Join(t.TempDir(), "none")})
		require.ErrorIs(t, r.Status(ctx), status.ErrUnchecked)
		require.NotContains(t, out.String(), "no inconsistencies found")
		require.Contains(t, out.String(), "2 checks not made")
	})
	t.Run("tags on requires of another version", func(t *testing.T) {
		r, _ := stageRunner(t, fixture.GomodBump, vars{}) // go.mod files at v0.12.0
		err := r.Tags(ctx, fixture.Version)
		require.ErrorIs(t, err, tags.ErrVersionMismatch)
		require.ErrorContains(t, err, "move them to v0.13.0, merge, and tag the merged commit")
		require.Equal(t, []release.Fix{{Action: release.ActionBumpRequires, Args: []string{"v0.13.0"}}}, release.Fixes(err), "mage gomod:bump v0.13.0")
	})
	t.Run("tags plan only without PUSH", func(t *testing.T) {
		r, out := stageRunner(t, fixture.Citation, vars{})
		require.NoError(t, r.Tags(ctx, fixture.Version))
		require.Contains(t, out.String(), "planned only; nothing created or pushed")
	})
}

// TestProxyTargets: proxy:check before tagging, proxy:warm after, against a
// module proxy in the test process.
func TestProxyTargets(t *testing.T) {
	ctx := context.Background()
	r, out := stageRunner(t, fixture.Citation, vars{Push: true})
	require.NoError(t, r.Tags(ctx, fixture.Version))
	head, err := os.ReadFile(filepath.Join(r.Root, ".git", "refs", "heads", "main"))
	require.NoError(t, err)
	commit := strings.TrimSpace(string(head))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		fmt.Fprintf(w, `{"Version":"v0.13.0","Origin":{"VCS":"git","Hash":%q}}`, commit)
	}))
	defer srv.Close()
	r.Vars.GoProxy = srv.URL + ",direct"
	require.NoError(t, r.ProxyCheck(ctx, fixture.Version))
	require.Contains(t, out.String(), "proxy done")
	require.NoError(t, r.ProxyWarm(ctx, fixture.Version))
	require.Contains(t, out.String(), "every module of v0.13.0 is served at "+commit)
}
