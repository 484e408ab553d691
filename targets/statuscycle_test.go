package targets

import (
	"encoding/json"
	"strings"
	"testing"

	git "github.com/go-git/go-git/v5"
	"github.com/stretchr/testify/require"

	gogithub "github.com/google/go-github/v84/github"

	"github.com/confidential-containers/release-tools/internal/caatest"
	"github.com/confidential-containers/release-tools/internal/fixture"
	"github.com/confidential-containers/release-tools/internal/ghfake"
	"github.com/confidential-containers/release-tools/internal/gitfixture"
	"github.com/confidential-containers/release-tools/internal/magevars"
	"github.com/confidential-containers/release-tools/internal/ocifake"
	"github.com/confidential-containers/release-tools/internal/slow"
	"github.com/confidential-containers/release-tools/status"
	"github.com/confidential-containers/release-tools/status/cycle"
)

// statusJSON is status's FORMAT=json report as a script reads it.
type statusJSON struct {
	Outcome string `json:"outcome"`
	Cycle   struct {
		Phase   string `json:"phase"`
		Summary string `json:"summary"`
		Next    []struct{ Command, What string }
	} `json:"cycle"`
	Facts    []struct{ Name, Value string }
	Problems []struct {
		What  string
		Fixes []string
	}
	Unchecked []string
}

func (s statusJSON) next() []string {
	var out []string
	for _, n := range s.Cycle.Next {
		out = append(out, n.Command)
	}
	return out
}

func (s statusJSON) fact(name string) string {
	for _, f := range s.Facts {
		if f.Name == name {
			return f.Value
		}
	}
	return ""
}

// cycleWorld is a v0.21 world whose v0.20.0 is tagged on origin and
// released on a GitHub in the process, with a registry the test can push
// the published chart to.
type cycleWorld struct {
	world
	oci  *ocifake.Registry
	gh   *ghfake.Server
	vars magevars.Vars // GitHub's
}

func newCycleWorld(t *testing.T) cycleWorld {
	t.Helper()
	slow.Git(t)
	w := helmWorld(t, fixture.HelmDepsSync, commentFix)
	oci, err := ocifake.Start()
	require.NoError(t, err)
	t.Cleanup(oci.Close)
	require.NoError(t, oci.PushImages(fixture.HelmImages...))
	require.NoError(t, oci.Push("kata-containers/kata-deploy-charts/kata-deploy", fixture.HelmKataVersion))
	require.NoError(t, oci.Push("confidential-containers/cloud-api-adaptor/charts/peerpods", "0.2.0"))
	w.reg = oci.Client()
	var names []string
	for _, m := range []string{"cloud-api-adaptor", "cloud-providers", "csi-wrapper", "peerpod-ctrl", "webhook"} {
		names = append(names, "src/"+m+"/v0.20.0")
	}
	caatest.Tag(t, w.root, names...)
	repo, err := git.PlainOpen(w.root)
	require.NoError(t, err)
	require.NoError(t, gitfixture.Push(repo, "origin", "refs/tags/*:refs/tags/*"))
	gh := &ghfake.Server{Releases: []*gogithub.RepositoryRelease{ghfake.Rel("v0.20.0", false)}}
	return cycleWorld{world: w, oci: oci, gh: gh, vars: magevars.Vars{GitHubToken: ghfake.Token, GitHubAPIURL: ghfake.Start(t, gh), GitHubRepository: "o/r"}}
}

// with is the GitHub variables with v's others.
func (w cycleWorld) with(v magevars.Vars) magevars.Vars {
	v.GitHubToken, v.GitHubAPIURL, v.GitHubRepository = w.vars.GitHubToken, w.vars.GitHubAPIURL, w.vars.GitHubRepository
	return v
}

// status runs status with FORMAT=json and reads its report; err is its
// error.
func (w cycleWorld) status(t *testing.T) (statusJSON, error) {
	t.Helper()
	r, out := w.runner(w.with(magevars.Vars{Format: "json"}))
	err := r.Status(t.Context())
	var s statusJSON
	require.NoError(t, json.Unmarshal([]byte(out.String()), &s), out.String())
	return s, err
}

// merge pushes the local main to origin's: the pull request merged.
func (w cycleWorld) merge(t *testing.T) {
	t.Helper()
	repo, err := git.PlainOpen(w.root)
	require.NoError(t, err)
	require.NoError(t, gitfixture.Push(repo, "origin", "refs/heads/main:refs/heads/main"))
}

// requireCycle checks the phase and the next commands status names.
func requireCycle(t *testing.T, s statusJSON, phase cycle.Phase, next ...string) {
	t.Helper()
	require.Equal(t, string(phase), s.Cycle.Phase, s.Cycle.Summary)
	got := s.next()
	require.GreaterOrEqual(t, len(got), len(next), "%q", got)
	for i, n := range next {
		require.True(t, strings.HasPrefix(got[i], n), "next[%d] is %q, want %q (all: %q)", i, got[i], n, got)
	}
}

// TestStatusCycle walks the v0.21 cycle stage by stage through the
// targets and checks, at each stage, the phase and the next commands
// status names: deps:sync, its merge, release, its merge, PUSH=1 tags,
// github:release, the chart published, postrelease, its merge (clean: exit
// status 0), then origin moved on (behind).
func TestStatusCycle(t *testing.T) {
	ctx := t.Context()
	w := newCycleWorld(t)
	v := fixture.HelmVersion

	s, _ := w.status(t)
	requireCycle(t, s, cycle.PhaseDevelopment, "mage deps:sync <kataVersion>")

	r, out := w.runner(magevars.Vars{SkipGo: true, ReleaseTime: releaseTime(t, fixture.HelmDepsSyncTime)})
	require.NoError(t, r.DepsSync(ctx, fixture.HelmKataVersion), out.String())
	s, _ = w.status(t)
	requireCycle(t, s, cycle.PhaseDepsSynced, "merge main's 1 commit into origin/main through a pull request", "mage release v0.21.0 <imageSHA>")
	require.Equal(t, "main is ahead of origin/main by 1 commit (not merged)", s.fact("branch"))
	w.merge(t)
	s, _ = w.status(t)
	requireCycle(t, s, cycle.PhaseDepsSynced, "mage release v0.21.0 <imageSHA>")

	r, out = w.runner(magevars.Vars{SkipGo: true, ReleaseTime: releaseTime(t, fixture.HelmReleaseTime)})
	require.NoError(t, r.Release(ctx, v, fixture.HelmImageSHA), out.String())
	s, _ = w.status(t)
	requireCycle(t, s, cycle.PhaseReleasing, "merge main's 2 commits", "mage tags v0.21.0", "PUSH=1 mage tags v0.21.0")
	w.merge(t)
	s, _ = w.status(t)
	requireCycle(t, s, cycle.PhaseReleasing, "mage tags v0.21.0", "PUSH=1 mage tags v0.21.0")

	r, out = w.runner(magevars.Vars{Push: true})
	require.NoError(t, r.Tags(ctx, v), out.String())
	s, err := w.status(t)
	requireCycle(t, s, cycle.PhaseReleased, "PUSH=1 mage github:release v0.21.0", "mage postrelease v0.21.0")
	require.ErrorIs(t, err, status.ErrInconsistent, "no GitHub release for a tagged version")

	r, out = w.runner(w.with(magevars.Vars{Push: true}))
	require.NoError(t, r.GitHubRelease(ctx, v), out.String())
	s, err = w.status(t)
	requireCycle(t, s, cycle.PhaseReleased, "wait for the release workflow to publish peerpods 0.3.0", "mage postrelease v0.21.0")
	require.ErrorIs(t, err, status.ErrInconsistent, "released, but the chart not published")
	require.Contains(t, s.Problems[0].What, "the GitHub release v0.21.0 exists, but peerpods 0.3.0 is not published")

	require.NoError(t, w.oci.Push("confidential-containers/cloud-api-adaptor/charts/peerpods", "0.3.0"))
	s, err = w.status(t)
	requireCycle(t, s, cycle.PhaseReleased, "mage postrelease v0.21.0")
	require.Len(t, s.Cycle.Next, 1)
	require.NoError(t, err, s.Problems)

	r, out = w.runner(magevars.Vars{ReleaseDate: fixture.HelmReleaseDate})
	require.NoError(t, r.Postrelease(ctx, v), out.String())
	s, _ = w.status(t)
	requireCycle(t, s, cycle.PhaseDevelopment, "merge main's 1 commit", "mage deps:sync <kataVersion>")
	w.merge(t)
	s, err = w.status(t)
	requireCycle(t, s, cycle.PhaseDevelopment, "mage deps:sync <kataVersion>")
	require.NoError(t, err, "every check made and passed: %v %v", s.Problems, s.Unchecked)
	require.Equal(t, status.OutcomeClean, s.Outcome)
	require.Equal(t, "3.31.0 read from file://"+w.kata, s.fact("kata versions.yaml"))

	// The text report says the same, and "no inconsistencies found".
	r, out = w.runner(w.with(magevars.Vars{}))
	require.NoError(t, r.Status(ctx))
	require.Contains(t, out.String(), "cycle: development: between releases; the latest is v0.21.0, its post-release done")
	require.Contains(t, out.String(), "\n  next: mage deps:sync <kataVersion>")
	require.Contains(t, out.String(), "\nno inconsistencies found\n")

	// Someone merges elsewhere: main is behind origin/main, said first.
	pushElsewhere(t, w.world, "NOTES", "a later merge")
	s, _ = w.status(t)
	require.Equal(t, "main is behind origin/main by 1 commit", s.fact("branch"))
	requireCycle(t, s, cycle.PhaseDevelopment, "git pull --ff-only origin main", "mage deps:sync <kataVersion>")
}
