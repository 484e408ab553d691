package release_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/caatest"
	"github.com/confidential-containers/release-tools/internal/fixture"
	"github.com/confidential-containers/release-tools/phase"
	"github.com/confidential-containers/release-tools/release"
	"github.com/confidential-containers/release-tools/release/config"
)

// maxGit is the most git processes a two-commit phase may start (issue
// 23): the clean check (status), the flags check (ls-files), the
// configuration read once, per commit the staging (update-index) and the
// commit (commit-tree), and the one compare-and-swap of the branch
// (update-ref). Hooks, when the repository has any, are not git: they
// are counted apart, and the git they start themselves is theirs.
const maxGit = 8

// TestReleaseStartsFewGit: the release phase on the v0.21 fixture (two
// commits) starts at most maxGit git processes.
func TestReleaseStartsFewGit(t *testing.T) {
	r := caatest.New(t, fixture.HelmRelease)
	starts := countGit(t)
	runHelmRelease(t, r)
	got := starts()
	t.Logf("%d git processes:\n%s", len(got), strings.Join(got, "\n"))
	require.LessOrEqual(t, len(got), maxGit, "git processes started by the release phase:\n%s", strings.Join(got, "\n"))
}

// BenchmarkReleaseGit is the release phase on the v0.21 fixture, with
// the git processes it starts per run reported as git/op.
func BenchmarkReleaseGit(b *testing.B) {
	b.ReportAllocs()
	var n int
	for range b.N {
		b.StopTimer()
		r := caatest.New(b, fixture.HelmRelease)
		starts := countGit(b)
		b.StartTimer()
		runHelmRelease(b, r)
		b.StopTimer()
		n += len(starts())
		b.StartTimer()
	}
	b.ReportMetric(float64(n)/float64(b.N), "git/op")
}

func runHelmRelease(tb testing.TB, r caatest.Repo) {
	tb.Helper()
	p, err := newRepo(tb, r.Root, config.CAA()).Release(fixture.V(fixture.HelmVersion), fixture.HelmImageSHA, release.Inputs{})
	require.NoError(tb, err)
	require.NoError(tb, p.Run(context.Background(), phase.Options{SkipGo: true}))
}

// countGit puts first on PATH a git that notes each start (its first
// two arguments) and runs the real one; starts returns the notes so far
// and forgets them.
func countGit(tb testing.TB) (starts func() []string) {
	tb.Helper()
	if runtime.GOOS == "windows" {
		tb.Skip("the counting git is a shell script")
	}
	real, err := exec.LookPath("git")
	require.NoError(tb, err)
	dir := tb.TempDir()
	log := filepath.Join(dir, "starts")
	script := fmt.Sprintf("#!/bin/sh\nprintf '%%s %%s\\n' \"$1\" \"$2\" >> '%s'\nexec '%s' \"$@\"\n", log, real)
	require.NoError(tb, os.WriteFile(filepath.Join(dir, "git"), []byte(script), 0o755))
	tb.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	return func() []string {
		data, _ := os.ReadFile(log)
		os.Remove(log)
		return strings.Split(string(bytes.TrimSpace(data)), "\n")
	}
}
