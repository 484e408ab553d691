package verify_test

import (
	"context"
	"strings"
	"testing"
	"time"

	gogithub "github.com/google/go-github/v84/github"
	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/github"
	"github.com/confidential-containers/release-tools/internal/ghfake"
	"github.com/confidential-containers/release-tools/internal/ocifake"
	"github.com/confidential-containers/release-tools/oci"
	"github.com/confidential-containers/release-tools/release/config"
	"github.com/confidential-containers/release-tools/verify"
	"github.com/confidential-containers/release-tools/version"
)

const sha = "410154b63f1a3a5431de308f9834052b62e7e7d7"

// world is a fake GitHub with the run of a release event and a registry
// holding app:v1.0.0 for amd64 and arm64.
type world struct {
	gh    *ghfake.Server
	c     verify.Checker
	facts verify.Facts
}

func newWorld(t *testing.T, status, conclusion string) *world {
	t.Helper()
	f := &ghfake.Server{Runs: []*ghfake.WorkflowRun{ghfake.NewRun(9, "Release", "release", sha, status, conclusion, "build", "push")}}
	gh, err := github.New(context.Background(), github.Options{Token: ghfake.Token, APIURL: ghfake.Start(t, f), Owner: "o", Repo: "r"})
	require.NoError(t, err)
	reg, err := ocifake.Start()
	require.NoError(t, err)
	t.Cleanup(reg.Close)
	require.NoError(t, reg.PushIndex("quay.io/org/app:v1.0.0", "linux/amd64", "linux/arm64"))
	require.NoError(t, reg.PushImages("quay.io/org/tool:v1.0.0"))
	o := oci.Client(*reg.Client())
	v, err := version.Parse("v1.0.0", nil)
	require.NoError(t, err)
	return &world{gh: f, c: verify.Checker{GitHub: gh, Registry: &o, Published: []config.Artifact{
		{Ref: "quay.io/org/app:{version}", Platforms: []string{"linux/amd64", "linux/arm64"}},
		{Ref: "quay.io/org/tool:{version}"},
	}}, facts: verify.Facts{
		Version: v, Repo: "o/r", Commit: sha, TagCommit: sha,
		Release: &github.Release{Tag: "v1.0.0", URL: "https://github.com/o/r/releases/tag/v1.0.0"},
	}}
}

func findings(r *verify.Report) string {
	var b strings.Builder
	r.WriteTo(&b)
	return b.String()
}

func TestCheck(t *testing.T) {
	ctx := context.Background()
	t.Run("green", func(t *testing.T) {
		w := newWorld(t, "completed", "success")
		r := w.c.Check(ctx, w.facts)
		require.NoError(t, r.Err(), findings(r))
	})
	for _, tc := range []struct {
		name string
		edit func(w *world)
		want string
		err  error
	}{
		{"no release", func(w *world) { w.facts.Release = nil }, "FAILED: there is no GitHub release v1.0.0 on o/r", verify.ErrFailed},
		{"a draft", func(w *world) { w.facts.Release.Draft = true }, "FAILED: the GitHub release v1.0.0 is a draft", verify.ErrFailed},
		{"the tag elsewhere", func(w *world) { w.facts.TagCommit = strings.Repeat("a", 40) }, "FAILED: the GitHub release v1.0.0 is on aaaaaaaaaaaa (its tag), not on 410154b63f1a where the module tags are", verify.ErrFailed},
		{"a platform missing", func(w *world) { w.c.Published[0].Platforms = append(w.c.Published[0].Platforms, "linux/s390x") }, "FAILED: quay.io/org/app:v1.0.0 lacks the platforms linux/s390x (it has linux/amd64, linux/arm64)", verify.ErrFailed},
		{"a single image for a multi-arch one", func(w *world) { w.c.Published[1].Platforms = []string{"linux/amd64"} }, "FAILED: quay.io/org/tool:v1.0.0 is a single image", verify.ErrFailed},
		{"a registry not asked", func(w *world) { w.c.Registry = nil }, "NOT KNOWN: quay.io/org/app:v1.0.0: the registry was not asked", verify.ErrUnknown},
		{"no run yet", func(w *world) { w.gh.Runs = nil }, "NOT KNOWN: no workflow run of the release event on 410154b63f1a yet", verify.ErrUnknown},
		{"a cancelled run", func(w *world) {
			w.gh.Runs[0].Run.Conclusion = gogithub.Ptr("cancelled")
			w.gh.Runs[0].Jobs[1].Conclusion = gogithub.Ptr("cancelled")
		}, "FAILED: job push of Release: cancelled: https://github.com/o/r/actions/runs/9/job/902", verify.ErrFailed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, "completed", "success")
			tc.edit(w)
			r := w.c.Check(ctx, w.facts)
			require.ErrorIs(t, r.Err(), tc.err)
			require.Contains(t, findings(r), tc.want)
		})
	}
}

// Wait looks again while a job runs, waits out a rate limit GitHub
// announces, and ends when the runs finish.
func TestWait(t *testing.T) {
	w := newWorld(t, "in_progress", "")
	w.gh.SecondaryLimit = 1
	var progress strings.Builder
	w.c.Progress = &progress
	go func() {
		time.Sleep(1500 * time.Millisecond)
		w.gh.Mu.Lock()
		defer w.gh.Mu.Unlock()
		for _, j := range w.gh.Runs[0].Jobs {
			j.Status, j.Conclusion = gogithub.Ptr("completed"), gogithub.Ptr("success")
		}
		w.gh.Runs[0].Run.Status, w.gh.Runs[0].Run.Conclusion = gogithub.Ptr("completed"), gogithub.Ptr("success")
	}()
	r := w.c.Wait(context.Background(), w.facts, time.Minute, 200*time.Millisecond)
	require.NoError(t, r.Err(), findings(r))
	require.Contains(t, progress.String(), "verify: GitHub's rate limit: waiting")
	require.Contains(t, progress.String(), "verify: waiting for 2: build, push; next look in 200ms")
}

func TestWaitEnds(t *testing.T) {
	w := newWorld(t, "in_progress", "")
	r := w.c.Wait(context.Background(), w.facts, 300*time.Millisecond, 100*time.Millisecond)
	require.ErrorIs(t, r.Err(), verify.ErrUnknown)
	require.Contains(t, findings(r), "NOT KNOWN: still not finished after 300ms (WAIT_TIMEOUT)")
	require.Contains(t, findings(r), "NOT KNOWN: job build of Release is in progress")

	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	r = w.c.Wait(ctx, w.facts, time.Minute, 100*time.Millisecond)
	require.ErrorIs(t, r.Err(), verify.ErrUnknown)
	require.Contains(t, findings(r), "NOT KNOWN: the wait was interrupted")
}

func TestAnnounceOnce(t *testing.T) {
	w := newWorld(t, "completed", "success")
	r := w.c.Check(context.Background(), w.facts)
	require.NoError(t, r.Err())
	body := r.Announcement()
	require.Contains(t, body, "- Release: https://github.com/o/r/releases/tag/v1.0.0")
	issue, err := verify.ParseIssue("confidential-containers/confidential-containers#7")
	require.NoError(t, err)
	marker := verify.Marker("o/r", "v1.0.0")
	c, posted, err := verify.Announce(context.Background(), w.c.GitHub, issue, body, marker)
	require.NoError(t, err)
	require.True(t, posted)
	again, posted, err := verify.Announce(context.Background(), w.c.GitHub, issue, body, marker)
	require.NoError(t, err)
	require.False(t, posted)
	require.Equal(t, c.URL, again.URL)

	for _, bad := range []string{"o/r", "o/r#0", "o/r#x", "#3", "o/r/x#3"} {
		_, err := verify.ParseIssue(bad)
		require.ErrorContains(t, err, "want owner/repo#number", bad)
	}
}

// An exhausted primary rate limit (X-RateLimit-Remaining: 0) is waited
// out until X-RateLimit-Reset, then the runs are asked again.
func TestWaitPrimaryRateLimit(t *testing.T) {
	w := newWorld(t, "completed", "success")
	w.gh.RunsLimitedUntil = time.Now().Add(1500 * time.Millisecond)
	var progress strings.Builder
	w.c.Progress = &progress
	start := time.Now()
	r := w.c.Wait(context.Background(), w.facts, time.Minute, 100*time.Millisecond)
	require.NoError(t, r.Err(), findings(r))
	require.Contains(t, progress.String(), "verify: GitHub's rate limit: waiting")
	require.GreaterOrEqual(t, time.Since(start), time.Second, "waited for the reset")
}
