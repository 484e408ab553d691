package release_test

import (
	"context"
	"net/http/cgi"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	git "github.com/go-git/go-git/v5"
	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/caatest"
	"github.com/confidential-containers/release-tools/internal/fixture"
	"github.com/confidential-containers/release-tools/internal/gitfixture"
	"github.com/confidential-containers/release-tools/internal/run"
	"github.com/confidential-containers/release-tools/phase"
	"github.com/confidential-containers/release-tools/release"
	"github.com/confidential-containers/release-tools/release/config"
	"github.com/confidential-containers/release-tools/steps"
)

// pushElsewhere commits on main of another clone of the remote at dir and
// pushes it, as someone else's merge would.
func pushElsewhere(t *testing.T, dir, subject string) {
	t.Helper()
	other, err := git.PlainClone(t.TempDir(), false, &git.CloneOptions{URL: "file://" + dir})
	require.NoError(t, err)
	_, err = gitfixture.Commit(other, map[string][]byte{"NOTES": []byte(subject + "\n")}, subject)
	require.NoError(t, err)
	require.NoError(t, gitfixture.Push(other, "origin", "refs/heads/main:refs/heads/main"))
}

type build func(ctx context.Context, rel release.Repo, kata string) (*phase.Phase, error)

// TestEveryCommittingPhaseChecksUpstream: every Repo method that builds a
// phase (found by reflection, so a new one cannot be missed) is refused
// on a main behind origin/main, in a dry run, by its first step.
func TestEveryCommittingPhaseChecksUpstream(t *testing.T) {
	ctx := t.Context()
	chart := map[string]build{
		"DepsSync": func(ctx context.Context, rel release.Repo, kata string) (*phase.Phase, error) {
			return rel.DepsSync(ctx, kv(fixture.HelmKataVersion), release.Inputs{KataRepo: kata})
		},
		"Release": func(_ context.Context, rel release.Repo, _ string) (*phase.Phase, error) {
			return rel.Release(fixture.V(fixture.HelmVersion), fixture.HelmImageSHA, release.Inputs{})
		},
		"ChartsBump": func(_ context.Context, rel release.Repo, _ string) (*phase.Phase, error) {
			return rel.ChartsBump("0.4.0", release.Inputs{})
		},
		"Postrelease": func(_ context.Context, rel release.Repo, _ string) (*phase.Phase, error) {
			return rel.Postrelease(fixture.V(fixture.HelmVersion), release.Inputs{ReleaseDate: fixture.HelmReleaseDate, ReleaseCommit: fixture.HelmReleaseCommit})
		},
		"ImagePin": func(_ context.Context, rel release.Repo, _ string) (*phase.Phase, error) {
			return rel.ImagePin(fixture.HelmImageSHA, release.Inputs{})
		},
		"ImageUnpin": func(_ context.Context, rel release.Repo, _ string) (*phase.Phase, error) { return rel.ImageUnpin() },
		"GomodBump": func(_ context.Context, rel release.Repo, _ string) (*phase.Phase, error) {
			return rel.GomodBump(fixture.V(fixture.HelmVersion))
		},
		"CitationUpdate": func(_ context.Context, rel release.Repo, _ string) (*phase.Phase, error) {
			return rel.CitationUpdate(fixture.V(fixture.HelmVersion), release.Inputs{ReleaseDate: fixture.HelmReleaseDate, ReleaseCommit: fixture.HelmReleaseCommit})
		},
	}
	overlay := map[string]build{
		"Prerelease": func(ctx context.Context, rel release.Repo, _ string) (*phase.Phase, error) {
			return rel.Prerelease(ctx, fixture.V("v0.13.0-alpha.1"), release.Inputs{OperatorRef: fixture.OperatorRef})
		},
		"OperatorPin": func(_ context.Context, rel release.Repo, _ string) (*phase.Phase, error) {
			return rel.OperatorPin(fixture.OperatorRef)
		},
		"OperatorUnpin": func(_ context.Context, rel release.Repo, _ string) (*phase.Phase, error) {
			return rel.OperatorUnpin(), nil
		},
	}

	var covered, builders []string
	for name := range chart {
		covered = append(covered, name)
	}
	for name := range overlay {
		covered = append(covered, name)
	}
	phaseType := reflect.TypeOf((*phase.Phase)(nil))
	repoType := reflect.TypeOf(release.Repo{})
	for i := range repoType.NumMethod() {
		m := repoType.Method(i)
		for j := range m.Type.NumOut() {
			if m.Type.Out(j) == phaseType {
				builders = append(builders, m.Name)
			}
		}
	}
	slices.Sort(covered)
	slices.Sort(builders)
	require.Equal(t, builders, covered, "every Repo method that builds a phase is in this test")

	for stage, phases := range map[string]map[string]build{fixture.HelmRelease: chart, fixture.PinOperator: overlay} {
		r := caatest.New(t, stage)
		pushElsewhere(t, r.Remote, "someone's merge")
		rel := newRepo(t, r.Root, config.CAA())
		for name, b := range phases {
			p, err := b(ctx, rel, "file://"+r.Kata)
			require.NoError(t, err, name)
			require.Equal(t, "check the branch against origin/main", p.Steps[0].String(), name)
			require.True(t, slices.ContainsFunc(p.Steps, func(s phase.Step) bool { _, ok := s.(phase.Commit); return ok }), name)
			err = p.Run(ctx, phase.Options{DryRun: true, SkipGo: true})
			require.ErrorIs(t, err, steps.ErrBehind, name)
			require.ErrorContains(t, err, "main is 1 commit behind origin/main", name)
			require.Equal(t, []release.Fix{{Command: "git pull --ff-only origin main"}}, release.Fixes(err), name)
		}
	}
}

// TestUpstreamCheckRemote: no such remote, or no such branch on it, stops
// the phase with the git command that puts it right; a remote over the
// network is said to be waited on; its head not fetched is behind or
// diverged, fixed by a fetch; a remote that does not answer stops the
// phase (never skipped) and names the remote and the branch.
func TestUpstreamCheckRemote(t *testing.T) {
	ctx := t.Context()
	r := caatest.New(t, fixture.HelmRelease)
	run1 := func(cfg config.Config) (string, error) {
		t.Helper()
		p, err := newRepo(t, r.Root, cfg).ImageUnpin()
		require.NoError(t, err)
		var out strings.Builder
		err = p.Run(ctx, phase.Options{DryRun: true, Out: &out})
		return out.String(), err
	}

	cfg := config.CAA()
	cfg.Remote = "upstream"
	_, err := run1(cfg)
	require.ErrorIs(t, err, steps.ErrNoRemote)
	require.ErrorContains(t, err, `no such remote "upstream" in `+r.Root+": the release remote is the one whose main the phase's commits go to: add it (git remote add upstream <url>), or name another remote in the configuration")
	require.Equal(t, []release.Fix{{Command: "git remote add upstream <url>"}}, release.Fixes(err))

	cfg = config.CAA()
	cfg.Branch = "trunk"
	_, err = run1(cfg)
	require.ErrorIs(t, err, steps.ErrNoBranch)
	require.ErrorContains(t, err, "has no branch trunk: nothing to compare with; push it if the repository is new (git push origin trunk), or name the release branch in the configuration")

	gitBin, err := exec.LookPath("git")
	require.NoError(t, err)
	srv := httptest.NewServer(&cgi.Handler{Path: gitBin, Args: []string{"http-backend"},
		Env: []string{"GIT_PROJECT_ROOT=" + filepath.Dir(r.Remote), "GIT_HTTP_EXPORT_ALL=1"}})
	defer srv.Close()
	url := srv.URL + "/" + filepath.Base(r.Remote)
	_, err = run.Git(ctx, r.Root, "remote", "set-url", "origin", url)
	require.NoError(t, err)
	out, err := run1(config.CAA())
	require.NoError(t, err, out)
	require.Contains(t, out, "  ... reading branch main of origin ("+url+") (waits on the network)\n")
	require.Contains(t, out, "  ok  check the branch against origin/main: main is at origin/main (")

	pushElsewhere(t, r.Remote, "someone's merge")
	_, err = run1(config.CAA())
	require.ErrorIs(t, err, steps.ErrBehind)
	require.ErrorContains(t, err, "origin/main is at ")
	require.ErrorContains(t, err, "on origin now, a commit this repository has not fetched: main is behind or diverged from it; fetch it (git fetch origin), then rebase main on it (git rebase origin/main) or merge it (git merge origin/main), or run again to see how far apart they are")
	require.Equal(t, []release.Fix{{Command: "git fetch origin"}}, release.Fixes(err))

	srv.Close()
	out, err = run1(config.CAA())
	require.Error(t, err)
	require.NotErrorIs(t, err, steps.ErrBehind)
	require.ErrorContains(t, err, "list the branches of origin ("+url+")")
	require.ErrorContains(t, err, "cannot tell whether the branch has every commit of origin/main, and a phase does not commit on a branch that may be stale: check the network and the remote's URL (git remote get-url origin), then run again")
	require.NotContains(t, out, "skipped")
}
