package e2e_test

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/fixture"
)

// run is the frontend in dir with the world's environment and vars: its
// stdout, stderr and exit status.
func (w *world) run(t *testing.T, dir string, vars []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), w.bin, args...)
	cmd.Dir = dir
	cmd.Env = append(slices.Clip(w.env), vars...)
	var o, e strings.Builder
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		require.NoError(t, err)
	}
	t.Logf("$ (in %s) %s mage %s\nstdout:\n%s\nstderr:\n%s", dir, strings.Join(vars, " "), strings.Join(args, " "), o.String(), e.String())
	return o.String(), e.String(), cmd.ProcessState.ExitCode()
}

// TestStatusCannotRun: status exits 2 when it cannot run (a bad FORMAT, a
// bad variable, a directory that is no repository, an unreadable one),
// apart from 1 (inconsistent) and 3 (a check not made); under FORMAT=json
// its stdout is then one JSON object too, the error in it.
func TestStatusCannotRun(t *testing.T) {
	t.Parallel()
	w := newWorld(t, fixture.HelmPatch, []string{fixture.HelmKataVersion})

	stdout, stderr, code := w.run(t, w.root, []string{"FORMAT=yaml"}, "status")
	require.Equal(t, 2, code)
	require.Empty(t, stdout)
	require.Contains(t, stderr, `FORMAT="yaml": want text or json`)

	noRepo := t.TempDir()
	broken := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(broken, ".git"), []byte("gitdir: "+filepath.Join(broken, "gone")+"\n"), 0o644))
	for _, c := range []struct {
		name, dir string
		vars      []string
		want      string
	}{
		{"bad variable", w.root, []string{"RELEASE_BRANCH=a..b"}, `RELEASE_BRANCH="a..b": want a branch name`},
		{"no repository", noRepo, nil, noRepo},
		{"unreadable repository", broken, nil, broken},
	} {
		stdout, stderr, code := w.run(t, c.dir, append([]string{"FORMAT=json"}, c.vars...), "status")
		require.Equal(t, 2, code, c.name)
		var got map[string]any
		dec := json.NewDecoder(strings.NewReader(stdout))
		require.NoError(t, dec.Decode(&got), "%s: stdout is JSON: %q", c.name, stdout)
		require.False(t, dec.More(), "%s: one object", c.name)
		require.Equal(t, "error", got["outcome"], c.name)
		require.Contains(t, got["error"], c.want, c.name)
		require.Contains(t, stderr, c.want, c.name)
	}

	// A run that starts: its own outcome and exit status, never 2.
	stdout, _, code = w.run(t, w.root, []string{"FORMAT=json"}, "status")
	var got map[string]any
	require.NoError(t, json.Unmarshal([]byte(stdout), &got))
	require.Contains(t, []any{"clean", "inconsistent", "unchecked"}, got["outcome"])
	require.Contains(t, []int{0, 1, 3}, code)
}

// TestBranchNamesAsGit: a release branch git takes (rel/β) is taken
// through the whole chain, a phase proposed against it as a pull request
// whose link is GitHub's answer (html_url), never GITHUB_API_URL (the
// fake's loopback address); a name git refuses stops before anything
// runs, naming the variable; a variable whose name is one slip from one
// the tool reads is warned of.
func TestBranchNamesAsGit(t *testing.T) {
	t.Parallel()
	w := newWorld(t, fixture.HelmPatch, []string{fixture.HelmKataVersion})
	w.git(t, "checkout", "-q", "-b", "rel/β")
	w.git(t, "push", "-q", "origin", "rel/β")
	base := w.rev(t, "HEAD")

	_, stderr, code := w.run(t, w.root, []string{"RELEASE_BRANCH=rel/β.lock", "DRYRUN=1"}, "image:unpin")
	require.Equal(t, 1, code)
	require.Contains(t, stderr, "release-tools: warning: DRYRUN is set but not read: did you mean DRY_RUN?")
	require.Contains(t, stderr, `RELEASE_BRANCH="rel/β.lock": want a branch name: it has a component that ends with .lock`)
	requireUnmoved(t, w, base)

	out := w.mage(t, []string{"RELEASE_BRANCH=rel/β", "PR=1"}, "image:unpin")
	require.Contains(t, out, "rel/β")
	require.NotContains(t, out, "127.0.0.1")
	require.Contains(t, out, "into rel/β: https://github.com/confidential-containers/cloud-api-adaptor/pull/1")
	require.Equal(t, base, w.rev(t, "HEAD~1"))
	w.gh.Mu.Lock()
	defer w.gh.Mu.Unlock()
	require.Len(t, w.gh.CreatedPulls, 1)
	require.Equal(t, "rel/β", w.gh.CreatedPulls[0].Base)
	pushed, _, _ := strings.Cut(w.git(t, "ls-remote", "origin", "refs/heads/"+w.gh.CreatedPulls[0].Head), "\t")
	require.Equal(t, w.rev(t, "HEAD"), pushed)
}
