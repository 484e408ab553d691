package demo_test

import (
	"context"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/demo"
	"github.com/confidential-containers/release-tools/internal/slow"
)

var (
	demoOnce sync.Once
	demoOut  string
	demoErr  error
)

// run runs the demo once for the test binary, in a folder of its own, and
// returns what it printed: the tests each read a part of it.
func run(t *testing.T) string {
	t.Helper()
	slow.Git(t)
	demoOnce.Do(func() {
		dir, err := os.MkdirTemp("", "release-tools-demo-test-")
		if err != nil {
			demoErr = err
			return
		}
		defer os.RemoveAll(dir)
		var out strings.Builder
		demoErr = demo.Run(context.Background(), dir, &out)
		demoOut = out.String()
	})
	require.NoError(t, demoErr, demoOut)
	return demoOut
}

// TestDemo: both cycles run, every phase, with the go command run for
// real.
func TestDemo(t *testing.T) {
	out := run(t)
	for _, want := range []string{
		"demo: today's cycle: Helm charts (v0.21.0)",
		"== deps:sync 3.31.0", "ok  check that the registry has kata-deploy 3.31.0: oci://ghcr.io/kata-containers/kata-deploy-charts has kata-deploy 3.31.0",
		"== release v0.21.0", "move the charts to 0.3.0, appVersion v0.21.0", "== tags v0.21.0 (PUSH=1)",
		"charts: peerpods 0.3.0 is not published at oci://ghcr.io/confidential-containers/cloud-api-adaptor/charts/peerpods yet",
		"full release, marked latest; notes from v0.20.0",
		"charts: peerpods 0.3.0 is published at oci://ghcr.io/confidential-containers/cloud-api-adaptor/charts/peerpods (sha256:",
		"== postrelease v0.21.0", "unpin the kata-deploy chart (back to 0.0.0-dev) and remove its lock",
		"demo: the overlay cycle, up to v0.17.0 (v0.13.0)",
		"== deps:sync 3.15.0", "== prerelease v0.13.0-alpha.1", "== tags v0.13.0-alpha.1 (PUSH=1)",
		"== github:release v0.13.0-alpha.1 (PUSH=1)", "pre-release, not marked latest; notes from v0.12.0-alpha.1",
		"github: branch main of confidential-containers/cloud-api-adaptor was unlocked, is locked now",
		"== release v0.13.0", "== tags v0.13.0 (PUSH=1)",
		"full release, marked latest; notes from v0.12.0", "was locked, is unlocked now",
		"== postrelease v0.13.0",
		"no inconsistencies found", "demo: every phase done",
	} {
		require.Contains(t, out, want)
	}
	require.Equal(t, 2, strings.Count(out, "no inconsistencies found"), out)

	// The go command runs for real, offline, in every phase with a go
	// step: no SKIP_GO=1, nothing skipped.
	s := out
	const kata = "github.com/kata-containers/kata-containers/src/runtime"
	for _, want := range []string{
		"ok  go get " + kata + "@3.31.0 (in src/cloud-api-adaptor)",
		"ok  go get " + kata + "@3.31.0 (in src/csi-wrapper)",
		"ok  go get " + kata + "@3.15.0 (in src/cloud-api-adaptor)",
		"ok  go mod tidy (in src/peerpod-ctrl)",
		"demo: the go command runs for real, offline",
	} {
		require.Contains(t, s, want)
	}
	require.NotContains(t, s, "SKIP_GO")
	require.NotContains(t, s, "go mod tidy (in src/cloud-api-adaptor): skipped")
	require.Equal(t, 4, strings.Count(s, "ok  go mod tidy (in src/csi-wrapper)"), "deps:sync of each cycle, prerelease and release of the overlay cycle")
}

// TestDemoPullRequests: today's cycle proposes each phase's commits as a
// PR (PR=1), from a branch named for the phase and version, with the plan
// and what follows in its body; proposing again opens nothing.
func TestDemoPullRequests(t *testing.T) {
	s := run(t)
	const repo = "https://github.com/confidential-containers/cloud-api-adaptor/pull/"
	for i, pr := range []struct{ title, branch, step string }{
		{"deps:sync 3.31.0", "release/deps-sync-3.31.0", "  | - `*` set the Kata Containers references\n"},
		{"release v0.21.0", "release/v0.21.0", "  | - `*` move the charts to 0.3.0, appVersion v0.21.0\n"},
		{"postrelease v0.21.0", "release/postrelease-v0.21.0", "  | - `*` unpin the kata-deploy chart (back to 0.0.0-dev) and remove its lock\n"},
	} {
		n := strconv.Itoa(i + 1)
		head := "confidential-containers:" + pr.branch
		require.Contains(t, s, "== "+pr.title)
		require.Contains(t, s, "pr: opened pull request #"+n+" from "+head+" into main: "+repo+n+"\n")
		at := strings.Index(s, "demo: PR #"+n+" \""+pr.title+"\" from "+head+" into main; its body, diffs folded:\n")
		require.GreaterOrEqual(t, at, 0, s)
		body := s[at:]
		body = body[:strings.Index(body, "\n== ")]
		require.Contains(t, body, pr.step)
		require.Contains(t, body, "  |   <details><summary>diff of ")
		require.Contains(t, body, "  | ### Commits\n")
		require.Contains(t, s, "== the PR of "+pr.title)
		require.Regexp(t, `pr: #`+n+` from `+head+` is open at [0-9a-f]{12} already: nothing pushed or opened`, s)
	}
	require.Equal(t, 3, strings.Count(s, "pr: opened pull request"), "one PR per phase of today's cycle, none on the re-runs")
	require.Contains(t, s, "  | ### Once this is merged, in order\n  | 1. merge the PR\n  | 2. `PUSH=1 mage tags v0.21.0`\n")
}
