package targets

import (
	"bytes"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/charts"
	"github.com/confidential-containers/release-tools/charts/registry"
	"github.com/confidential-containers/release-tools/internal/fixture"
	"github.com/confidential-containers/release-tools/internal/gitfixture"
	"github.com/confidential-containers/release-tools/internal/magevars"
	"github.com/confidential-containers/release-tools/internal/nettest"
	"github.com/confidential-containers/release-tools/internal/ocifake"
	"github.com/confidential-containers/release-tools/internal/slow"
	"github.com/confidential-containers/release-tools/status"
	"github.com/confidential-containers/release-tools/steps"
	"github.com/confidential-containers/release-tools/tags"
)

// helmWorld is a repository from a v0.21 stage's before/ files, with a bare
// remote and a local Kata repository; fix edits the files first (the
// one-off comment fix of 02-release, which was no release step).
func helmWorld(t *testing.T, stage string, fix func(map[string][]byte)) world {
	t.Helper()
	return helmWorldKata(t, stage, fix, fixture.HelmKataVersion)
}

// helmWorldKata is [helmWorld] with a Kata repository holding each of the
// fixtures' Kata releases named.
func helmWorldKata(t *testing.T, stage string, fix func(map[string][]byte), kata ...string) world {
	t.Helper()
	slow.Git(t)
	w := world{root: t.TempDir(), remote: t.TempDir(), kata: t.TempDir(), reg: fakeRegistry(t)}
	files, err := fixture.Files(stage, "before")
	require.NoError(t, err)
	if fix != nil {
		fix(files)
	}
	_, err = gitfixture.WithRemote(w.root, w.remote, files, "before "+stage)
	require.NoError(t, err)
	releases, err := fixture.KataReleases(kata...)
	require.NoError(t, err)
	_, err = gitfixture.Releases(w.kata, releases...)
	require.NoError(t, err)
	return w
}

// kataCommit commits to the world's Kata repository after its releases (a
// later fix, as KATA_REF names) and returns the commit.
func (w world) kataCommit(t *testing.T, msg string) string {
	t.Helper()
	repo, err := git.PlainOpen(w.kata)
	require.NoError(t, err)
	h, err := gitfixture.Commit(repo, map[string][]byte{"fix.txt": []byte(msg + "\n")}, msg)
	require.NoError(t, err)
	return h.String()
}

// commentFix is the documentation fix made in 02-release beside the
// release's edits: dev-<commit> became <commit>-dev in three comments.
func commentFix(files map[string][]byte) {
	for name, data := range files {
		files[name] = bytes.ReplaceAll(data, []byte("Update to dev-<commit> at release time"), []byte("Update to <commit>-dev at release time"))
	}
}

// requireTree checks the work tree holds the stage's after/ files byte for
// byte, and none of its before/ files that after/ lacks; skip names files
// left out of the comparison.
func requireTree(t *testing.T, root, stage string, skip ...string) {
	t.Helper()
	after, err := fixture.Files(stage, "after")
	require.NoError(t, err)
	before, err := fixture.Files(stage, "before")
	require.NoError(t, err)
	for name, want := range after {
		if slices.Contains(skip, name) {
			continue
		}
		got, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(name)))
		require.NoError(t, err, name)
		require.Equal(t, string(want), string(got), name)
	}
	for name := range before {
		if _, ok := after[name]; !ok {
			require.NoFileExists(t, filepath.Join(root, filepath.FromSlash(name)))
		}
	}
}

func releaseTime(t *testing.T, s string) time.Time {
	t.Helper()
	tm, err := charts.ParseTime(s)
	require.NoError(t, err)
	return tm
}

// TestHelmCycle: the stage of the v0.21 cycle internal/e2e's TestHelmCycle
// does not run, the patch release, comes out byte for byte through the
// targets. (The post-release of v0.21.1 is TestHelmStatus's.)
func TestHelmCycle(t *testing.T) {
	ctx := t.Context()
	t.Run("release v0.21.1, the image pinned already", func(t *testing.T) {
		t.Parallel()
		w := helmWorld(t, fixture.HelmPatch, nil)
		r, out := w.runner(magevars.Vars{SkipGo: true, ReleaseTime: releaseTime(t, fixture.HelmPatchTime)})
		require.NoError(t, r.Release(ctx, fixture.HelmPatchVersion, fixture.HelmImageSHA), out.String())
		requireTree(t, w.root, fixture.HelmPatch)
		msgs := w.log(t, 2)
		require.True(t, strings.HasPrefix(msgs[0], "release: v0.21.1: the charts to 0.3.1\n"), msgs[0])
		require.Equal(t, "before "+fixture.HelmPatch, msgs[1])
		// The plan says the pin's commit will do nothing; it lists no "* commit" for it.
		require.Contains(t, out.String(), "  -   commit \"release: pin the cloud-api-adaptor image to "+fixture.HelmImageSHA+" for v0.21.1\": nothing to commit (the steps before it change nothing)\n")
		require.NotContains(t, out.String(), "  * commit \"release: pin")
	})
}

// TestHelmStatus: after the v0.21.1 tags and the post-release (its tree
// byte for byte), status finds nothing wrong; one place of the image left pinned, or a Chart.lock left
// over, fails and names the file.
func TestHelmStatus(t *testing.T) {
	ctx := t.Context()
	w := helmWorld(t, fixture.HelmPostrelease, nil)
	commit := w.head(t) // RELEASE_COMMIT must be on origin/main: the fixture's is not
	r, out := w.runner(magevars.Vars{Push: true})
	require.NoError(t, r.Tags(ctx, fixture.HelmPatchVersion), out.String())
	// The post-release of v0.21.1 comes out byte for byte (the stage
	// internal/e2e's TestHelmCycle does not run).
	r, out = w.runner(magevars.Vars{ReleaseDate: fixture.HelmReleaseDate, ReleaseCommit: commit})
	require.NoError(t, r.Postrelease(ctx, fixture.HelmPatchVersion), out.String())
	requireTree(t, w.root, fixture.HelmPostrelease, "CITATION.cff")
	requireCitation(t, w.root, fixture.HelmPostrelease, fixture.HelmReleaseCommit, commit)
	msgs := w.log(t, 2)
	require.True(t, strings.HasPrefix(msgs[0], "postrelease: v0.21.1\n"), msgs[0])
	requireClean(t, w.root)
	r, out = w.runner(magevars.Vars{})
	// Without a GitHub token the state is not known to be clean.
	require.ErrorIs(t, r.Status(ctx), status.ErrUnchecked, out.String())
	got := strings.Join(strings.Fields(out.String()), " ")
	for _, want := range []string{
		"layout Helm charts",
		"image src/cloud-providers/Makefile latest",
		"chart peerpods 0.3.1, appVersion v0.21.1 (src/cloud-api-adaptor/install/charts/peerpods)",
		"chart peerpods kata-deploy 0.0.0-dev",
		"1 check not made (so the state is not known to be clean): - the GitHub release and the open pull requests: no GITHUB_TOKEN",
	} {
		require.Contains(t, got, want)
	}
	require.NotContains(t, got, "no inconsistencies found")
	require.NotContains(t, got, "operator")

	repo, err := git.PlainOpen(w.root)
	require.NoError(t, err)
	values := "src/webhook/chart/values.yaml"
	data, err := os.ReadFile(filepath.Join(w.root, values))
	require.NoError(t, err)
	_, err = gitfixture.Commit(repo, map[string][]byte{
		values: bytes.Replace(data, []byte("tag: latest"), []byte("tag: "+fixture.HelmImageSHA), 1),
		"src/cloud-api-adaptor/install/charts/peerpods/Chart.lock": fixture.MustFile(fixture.HelmPostrelease, "before", "src/cloud-api-adaptor/install/charts/peerpods/Chart.lock"),
	}, "a pin missed, a lock left over")
	require.NoError(t, err)
	r, out = w.runner(magevars.Vars{})
	require.ErrorContains(t, r.Status(ctx), "inconsistent release state")
	require.Contains(t, out.String(), "the image is pinned to different tags ("+fixture.HelmImageSHA+": "+values+"; latest: ")
	require.Contains(t, out.String(), "fix: mage image:pin <imageSHA>, or mage image:unpin")
	require.Contains(t, out.String(), "src/cloud-api-adaptor/install/charts/peerpods/Chart.lock is left over: kata-deploy is back at 0.0.0-dev")
}

// TestHelmRegistry: deps:sync asks the registry for the kata-deploy chart
// at the Kata version: a version it lacks stops the phase before anything
// is written and names the nearest it has; so does a registry that answers
// 500 or never answers (within the timeout), or that cannot be reached,
// unless SKIP_REGISTRY=1, which the plan then says.
func TestHelmRegistry(t *testing.T) {
	ctx := t.Context()
	reg, stop, err := ocifake.Charts("kata-containers/kata-deploy-charts/kata-deploy", "3.30.0", "3.32.0")
	require.NoError(t, err)
	defer stop()
	w := helmWorld(t, fixture.HelmDepsSync, nil)
	r, out := w.runner(magevars.Vars{SkipGo: true})
	r.Registry = reg
	err = r.DepsSync(ctx, fixture.HelmKataVersion)
	require.ErrorIs(t, err, registry.ErrVersionNotFound, out.String())
	require.ErrorContains(t, err, "3.30.0")
	require.ErrorContains(t, err, "3.32.0")
	require.Equal(t, []string{"before " + fixture.HelmDepsSync}, w.log(t, 1))
	requireClean(t, w.root)

	failing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "oops", http.StatusInternalServerError)
	}))
	defer failing.Close()
	closed := closedPort(t)
	for _, tt := range []struct {
		name, addr, want string
		unreachable      bool
	}{
		{"500", strings.TrimPrefix(failing.URL, "http://"), "500 Internal Server Error", false},
		{"no answer", nettest.Silent(t), "no answer within 200ms", false},
		{"unreachable", closed, "connection refused", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r, out := w.runner(magevars.Vars{SkipGo: true})
			r.Registry = ocifake.To(tt.addr)
			r.Registry.Timeout = 200 * time.Millisecond
			r.Registry.Options = []remote.Option{remote.WithRetryStatusCodes()}
			start := time.Now()
			err := r.DepsSync(ctx, fixture.HelmKataVersion)
			require.ErrorContains(t, err, "check that the registry has kata-deploy 3.31.0: ", out.String())
			require.ErrorContains(t, err, tt.want)
			require.Less(t, time.Since(start), 10*time.Second)
			require.Equal(t, tt.unreachable, errors.Is(err, steps.ErrRegistryUnreachable), err)
			require.NotContains(t, out.String(), "skipped: ")
			require.Equal(t, []string{"before " + fixture.HelmDepsSync}, w.log(t, 1), "nothing committed")
			requireClean(t, w.root)
		})
	}

	// SKIP_REGISTRY=1 goes on without asking, and says so.
	r, out = w.runner(magevars.Vars{SkipGo: true, SkipRegistry: true, DryRun: true})
	r.Registry = ocifake.To(closed)
	require.NoError(t, r.DepsSync(ctx, fixture.HelmKataVersion), out.String())
	require.Contains(t, out.String(), "  -   check that the registry has kata-deploy 3.31.0: skipped: registry check off")
}

// closedPort is a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	return addr
}

func requireClean(t *testing.T, root string) {
	t.Helper()
	repo, err := git.PlainOpen(root)
	require.NoError(t, err)
	wt, err := repo.Worktree()
	require.NoError(t, err)
	st, err := wt.Status()
	require.NoError(t, err)
	require.True(t, st.IsClean(), st.String())
}

// TestChartsCheck: charts:check asks the registry, so SKIP_REGISTRY=1
// refuses it, and needs the version's tags. (The chart free before it is
// published, there with its digest after, and status's row of it are
// internal/e2e's TestHelmCycle, through the compiled frontend.)
func TestChartsCheck(t *testing.T) {
	ctx := t.Context()
	w := helmWorld(t, fixture.HelmPostrelease, nil)
	r, _ := w.runner(magevars.Vars{SkipRegistry: true})
	require.ErrorContains(t, r.ChartsCheck(ctx, fixture.HelmPatchVersion), "unset SKIP_REGISTRY")
	r, _ = w.runner(magevars.Vars{})
	require.ErrorIs(t, r.ChartsCheck(ctx, fixture.HelmPatchVersion), tags.ErrNoTags)
}

// TestChartsBump: charts:bump moves every chart, and the file://
// dependencies on them, to the chart version, leaves appVersion alone and
// regenerates Chart.lock; one commit.
func TestChartsBump(t *testing.T) {
	ctx := t.Context()
	w := helmWorld(t, fixture.HelmPostrelease, nil)
	r, out := w.runner(magevars.Vars{ReleaseTime: releaseTime(t, fixture.HelmPatchTime)})
	require.NoError(t, r.ChartsBump(ctx, "0.4.0"), out.String())
	peerpods := "src/cloud-api-adaptor/install/charts/peerpods/"
	for _, f := range []string{peerpods + "Chart.yaml", "src/peerpod-ctrl/chart/Chart.yaml", "src/webhook/chart/Chart.yaml", peerpods + "Chart.lock"} {
		before := fixture.MustFile(fixture.HelmPostrelease, "before", f)
		got, err := os.ReadFile(filepath.Join(w.root, f))
		require.NoError(t, err)
		want := strings.ReplaceAll(string(before), "0.3.1", "0.4.0")
		if strings.HasSuffix(f, "Chart.lock") {
			require.Contains(t, string(got), "  version: 0.4.0\n", f)
			require.NotContains(t, string(got), "0.3.1", f)
			continue
		}
		require.Equal(t, want, string(got), f)
	}
	require.True(t, strings.HasPrefix(w.log(t, 1)[0], "charts: move every chart to 0.4.0\n"))
	r, _ = w.runner(magevars.Vars{})
	require.ErrorContains(t, r.ChartsBump(ctx, "v0.4.0"), "0.4.0")
}
