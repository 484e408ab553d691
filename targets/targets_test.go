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

	"github.com/confidential-containers/release-tools/goproxy"
	"github.com/confidential-containers/release-tools/internal/fixture"
	"github.com/confidential-containers/release-tools/internal/gitfixture"
	"github.com/confidential-containers/release-tools/internal/magevars"
	"github.com/confidential-containers/release-tools/internal/slow"
	"github.com/confidential-containers/release-tools/release"
	"github.com/confidential-containers/release-tools/status"
	"github.com/confidential-containers/release-tools/tags"
)

// stageRunner builds a repository from a stage's before/ files.
func stageRunner(t *testing.T, stage string, vars magevars.Vars) (*runner, *strings.Builder) {
	t.Helper()
	slow.Git(t)
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
	return &runner{Root: root, Vars: vars, Out: out, Registry: fakeRegistry(t), raceWait: raceWait}, out
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

// TestSingleSteps runs single-step targets for what only the targets do:
// the values they take from variables, the next commands they print, the
// fixes their errors carry. The files each target writes are the owning
// packages' golden tests (versions, overlays, gomod) and, through the
// compiled frontend, internal/e2e's TestStep* tests.
func TestSingleSteps(t *testing.T) {
	ctx := context.Background()
	// One world for what reads, then citation:update and release, which
	// commit one after the other (a main ahead of origin/main is fine).
	t.Run("tags, status, citation:update, release", func(t *testing.T) {
		r, out := stageRunner(t, fixture.ReleaseAggr, magevars.Vars{KataRepo: filepath.Join(t.TempDir(), "none")})
		// tags on requires of another version (the go.mod files at v0.12.0).
		err := r.Tags(ctx, fixture.Version)
		require.ErrorIs(t, err, tags.ErrVersionMismatch)
		require.ErrorContains(t, err, "move them to v0.13.0, merge, and tag the merged commit")
		require.Equal(t, []release.Fix{{Action: release.ActionBumpRequires, Args: []string{"v0.13.0"}}}, release.Fixes(err), "mage gomod:bump v0.13.0")

		// status: no GitHub token, no Kata repository: no problem, but
		// not clean.
		out.Reset()
		require.ErrorIs(t, r.Status(ctx), status.ErrUnchecked)
		require.NotContains(t, out.String(), "no inconsistencies found")
		require.Contains(t, out.String(), "2 checks not made")

		// citation:update takes RELEASE_DATE and RELEASE_COMMIT (which
		// must be on origin/main: the fixture's is not). The stage's
		// CITATION.cff is the citation stage's.
		require.Equal(t, string(fixture.MustFile(fixture.Citation, "before", "CITATION.cff")), string(readFile(t, r.Root, "CITATION.cff")))
		commit, err := gitfixture.Head(r.Root)
		require.NoError(t, err)
		r.Vars.ReleaseDate, r.Vars.ReleaseCommit = fixture.ReleaseDate, commit
		require.NoError(t, r.CitationUpdate(ctx, fixture.Version))
		requireCitation(t, r.Root, fixture.Citation, fixture.ReleaseCommit, commit)

		// release prints the next commands.
		out.Reset()
		r.Vars.SkipGo = true
		require.NoError(t, r.Release(ctx, fixture.Version, fixture.ImageSHA))
		require.Contains(t, out.String(), "PUSH=1 mage tags v0.13.0")
	})
	t.Run("NO_COMMIT edits without committing", func(t *testing.T) {
		r, out := stageRunner(t, fixture.PinOperator, magevars.Vars{NoCommit: true})
		require.NoError(t, r.OperatorPin(ctx, fixture.OperatorRef))
		require.Contains(t, out.String(), "commit: skipped (commits off)")
		requireAfter(t, r.Root, fixture.PinOperator, versionsYAML)
		require.Error(t, r.OperatorUnpin(ctx), "the uncommitted edit makes the tree dirty")
	})
}

// TestProxyTargets: proxy:check before tagging, proxy:warm after, against a
// module proxy in the test process; then, on the same tagged world, a
// GOPROXY whose URL holds a token and cannot be reached is named in what
// they print and in their errors without the token.
func TestProxyTargets(t *testing.T) {
	ctx := context.Background()
	r, out := stageRunner(t, fixture.Citation, magevars.Vars{Push: true})
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

	for form, url := range secretURLs(t, "/o/r.git") {
		t.Run("GOPROXY with a token/"+form, func(t *testing.T) {
			out.Reset()
			r.Vars.GoProxy = strings.TrimSuffix(url, "/o/r.git") + ",direct"
			err := r.ProxyCheck(ctx, fixture.Version)
			require.ErrorIs(t, err, goproxy.ErrUnreachable)
			requireNoSecret(t, out.String(), err)
			out.Reset()
			err = r.ProxyWarm(ctx, fixture.Version)
			require.ErrorIs(t, err, goproxy.ErrUnreachable)
			requireNoSecret(t, out.String(), err)
			require.Contains(t, out.String(), "on https://***@127.0.0.1:")
			out.Reset()
			r.Vars.GoProxy = "off," + url
			require.NoError(t, r.ProxyCheck(ctx, fixture.Version))
			require.Contains(t, out.String(), "proxy: goproxy: no module proxy in GOPROXY: GOPROXY=\"off,https://")
			requireNoSecret(t, out.String(), nil)
		})
	}
}
