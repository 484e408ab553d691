package e2e_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/fixture"
)

// actionsEnv is what a GitHub Actions runner gives a step of the
// kata-deps-sync workflow (adopt -workflows): GITHUB_ACTIONS, a step
// summary file, the repository, RUNNER_TEMP, Actions' own GITHUB_TOKEN
// (the world's) and no RELEASE_TOOLS_TOKEN, and no git identity: a HOME
// without a git config, an empty GIT_CONFIG_GLOBAL. It returns the
// variables and the summary file.
func actionsEnv(t *testing.T) ([]string, string) {
	t.Helper()
	home, tmp := t.TempDir(), t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(home, ".config", "go", "telemetry"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(home, ".config", "go", "telemetry", "mode"), []byte("off"), 0o644))
	global := filepath.Join(tmp, "gitconfig")
	require.NoError(t, os.WriteFile(global, nil, 0o644))
	summary := filepath.Join(tmp, "step_summary")
	require.NoError(t, os.WriteFile(summary, nil, 0o644))
	return []string{
		"CI=true", "GITHUB_ACTIONS=true", "GITHUB_STEP_SUMMARY=" + summary, "RUNNER_TEMP=" + tmp,
		"GITHUB_WORKFLOW=kata-deps-sync", "GITHUB_EVENT_NAME=schedule", "GITHUB_RUN_ID=1", "GITHUB_REF=refs/heads/main",
		"HOME=" + home, "GIT_CONFIG_GLOBAL=" + global, "RELEASE_TOOLS_TOKEN=",
	}, summary
}

// TestActionsDepsSync runs the kata-deps-sync workflow's command, PR=1
// deps:sync latest, through the compiled frontend as a runner would: one
// commit by github-actions[bot] with its sign-off, one pull request, its
// URL in the step summary, the warning that Actions' own token starts no
// CI. Run again (the same checkout, then a fresh one of main, as the next
// day's run has) it names the open pull request, pushes nothing and exits
// 0; once it is merged, kata-deploy is at the latest release already:
// nothing to do, exit 0, no pull request.
func TestActionsDepsSync(t *testing.T) {
	t.Parallel()
	w := newWorld(t, fixture.HelmDepsSync, []string{fixture.HelmKataVersion})
	w.oci.pushChart(t, kataDeploy+":"+fixture.HelmKataVersion)
	w.oci.pushChart(t, kataDeploy+":3.30.0")
	w.git(t, "config", "--unset", "user.name")
	w.git(t, "config", "--unset", "user.email")
	env, summary := actionsEnv(t)
	vars := append(env, "PR=1")
	base := w.rev(t, "HEAD")

	out := w.mage(t, vars, "deps:sync", "latest")
	require.Contains(t, out, "::group::deps:sync 3.31.0\n")
	require.Contains(t, out, "::endgroup::\n")
	require.Contains(t, out, "::warning::the pull request is opened with Actions' own GITHUB_TOKEN: GitHub starts no workflow for it")
	bot := "github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>"
	require.Equal(t, bot+"|"+bot, w.git(t, "log", "-1", "--format=%an <%ae>|%cn <%ce>"))
	require.Equal(t, "Signed-off-by: "+bot, w.git(t, "log", "-1", "--format=%(trailers:key=Signed-off-by,only)"))
	require.Equal(t, base, w.rev(t, "HEAD~1"), "one commit")
	head := w.rev(t, "HEAD")
	require.Equal(t, head, w.git(t, "ls-remote", "origin", "refs/heads/release/deps-sync-3.31.0")[:40])
	w.gh.Mu.Lock()
	require.Len(t, w.gh.Pulls, 1)
	url := w.gh.Pulls[0].GetHTMLURL()
	w.gh.Mu.Unlock()
	md, err := os.ReadFile(summary)
	require.NoError(t, err)
	require.Contains(t, string(md), "## ✅ deps:sync 3.31.0\n")
	require.Contains(t, string(md), "**Pull request:** [#1]("+url+") opened")
	require.Contains(t, string(md), "### Next\n")
	require.Contains(t, string(md), "`mage release <vX.Y.Z> <imageSHA>`")
	require.Contains(t, string(md), "deps:sync 3.31.0: plan\n")

	// Again, in the same checkout and in a fresh one of main: the open
	// pull request is named, nothing is pushed or opened.
	for _, fresh := range []bool{false, true} {
		if fresh {
			w.git(t, "reset", "-q", "--hard", base)
		}
		require.NoError(t, os.WriteFile(summary, nil, 0o644))
		out = w.mage(t, vars, "deps:sync", "latest")
		if fresh {
			require.Contains(t, out, "deps:sync 3.31.0: the pull request #1 from confidential-containers:release/deps-sync-3.31.0 is open already: nothing to do, nothing pushed ("+url+")\n")
			require.NotContains(t, out, ": plan\n")
		} else {
			require.Contains(t, out, "pr: #1 from confidential-containers:release/deps-sync-3.31.0 is open at "+head[:12]+" already: nothing pushed or opened ("+url+")\n")
		}
		require.Equal(t, head, w.git(t, "ls-remote", "origin", "refs/heads/release/deps-sync-3.31.0")[:40])
		w.gh.Mu.Lock()
		require.Len(t, w.gh.Pulls, 1)
		require.Len(t, w.gh.CreatedPulls, 1)
		w.gh.Mu.Unlock()
		md, err = os.ReadFile(summary)
		require.NoError(t, err)
		if fresh {
			require.Contains(t, string(md), "## ✅ deps:sync 3.31.0\n\ndeps:sync 3.31.0: the pull request #1")
		} else {
			require.Contains(t, string(md), "**Pull request:** [#1]("+url+") open already, up to date")
		}
	}

	// Merged: the next run finds kata-deploy at the latest release.
	w.push(t, head, plumbing.Main)
	w.git(t, "merge", "-q", "--ff-only", head)
	w.gh.Merge(1, head)
	require.NoError(t, os.WriteFile(summary, nil, 0o644))
	out = w.mage(t, vars, "deps:sync", "latest")
	require.Contains(t, out, "nothing to do")
	require.Equal(t, head, w.rev(t, "HEAD"))
	w.gh.Mu.Lock()
	require.Len(t, w.gh.Pulls, 1)
	w.gh.Mu.Unlock()
	md, err = os.ReadFile(summary)
	require.NoError(t, err)
	require.Contains(t, string(md), "nothing to do")

	// A bad RELEASE_AUTHOR is refused before anything, annotated.
	out, err = w.try(t, append(vars, "RELEASE_AUTHOR=nobody"), "deps:sync", "latest")
	require.Error(t, err)
	require.Contains(t, out, `::error::bad variables: [RELEASE_AUTHOR="nobody": want "Name <email>"`)
}

// TestActionsDepsSyncRace: two scheduled runs at once, each on its own
// fresh checkout of main (as two runners would, were the workflows'
// concurrency group not there): one pull request, and both exit 0; the
// run that lost names the other's pull request.
func TestActionsDepsSyncRace(t *testing.T) {
	t.Parallel()
	w := newWorld(t, fixture.HelmDepsSync, []string{fixture.HelmKataVersion})
	w.oci.pushChart(t, kataDeploy+":"+fixture.HelmKataVersion)
	env, _ := actionsEnv(t)
	roots := []string{t.TempDir(), t.TempDir()}
	for _, root := range roots {
		cmd := exec.Command("git", "clone", "-q", "file://"+filepath.ToSlash(w.remote), root)
		cmd.Env = w.env
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, string(out))
	}
	outs := make([]string, len(roots))
	errs := make([]error, len(roots))
	var wg sync.WaitGroup
	for i, root := range roots {
		wg.Go(func() {
			cmd := exec.CommandContext(t.Context(), w.bin, "deps:sync", "latest")
			cmd.Dir = root
			cmd.Env = append(append(slices.Clip(w.env), env...), "PR=1")
			out, err := cmd.CombinedOutput()
			outs[i], errs[i] = string(out), err
		})
	}
	wg.Wait()
	for i := range roots {
		t.Logf("run %d:\n%s", i, outs[i])
		require.NoError(t, errs[i], outs[i])
	}
	w.gh.Mu.Lock()
	defer w.gh.Mu.Unlock()
	require.Len(t, w.gh.Pulls, 1)
	require.Len(t, w.gh.CreatedPulls, 1)
	require.Contains(t, outs[0]+outs[1], "pr: opened pull request #1 from confidential-containers:release/deps-sync-3.31.0 into main")
	require.Contains(t, outs[0]+outs[1], "deps:sync 3.31.0: another run proposed it at the same time: the pull request #1 from confidential-containers:release/deps-sync-3.31.0 is open: nothing to do")
}
