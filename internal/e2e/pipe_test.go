package e2e_test

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/fixture"
)

// TestStepClosedPipe: a run whose standard output is closed while it
// applies (mage image:unpin | head -1) does what Ctrl-C does: it stops,
// puts every file back, leaves main where it was and gives the repository
// lock back (it used to die of SIGPIPE holding the lock, with the files
// written). A lock whose process is gone from this host is taken over
// with a notice, by a dry run's word and by a run that writes.
func TestStepClosedPipe(t *testing.T) {
	t.Parallel()
	w := newWorld(t, fixture.HelmPatch, []string{fixture.HelmKataVersion})
	// A check that waits, so that the pipe closes while the phase applies.
	sync := t.TempDir()
	script := filepath.Join(sync, "wait.sh")
	require.NoError(t, os.WriteFile(script, []byte(fmt.Sprintf("touch %[1]s/started\nwhile [ ! -e %[1]s/go-on ]; do sleep 0.05; done\n", sync)), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(w.root, "release.yaml"), []byte("checks:\n  - sh "+script+"\n"), 0o644))
	w.git(t, "add", "release.yaml")
	w.git(t, "commit", "-qm", "a check that waits")
	head := w.merge(t)
	lock := filepath.Join(w.root, ".git", "release-tools.lock")

	cmd := exec.CommandContext(t.Context(), w.bin, "image:unpin")
	cmd.Dir, cmd.Env = w.root, slices.Clip(w.env)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	go io.Copy(io.Discard, stdout) // read, as head would, until the check runs
	for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(20 * time.Millisecond) {
		if _, err := os.Stat(filepath.Join(sync, "started")); err == nil {
			break
		}
		require.True(t, time.Now().Before(deadline), "the check never started")
	}
	require.FileExists(t, lock, "the run holds the lock while it applies")
	require.NotEmpty(t, w.git(t, "status", "--porcelain"), "the phase has written its files")
	require.NoError(t, stdout.Close()) // head exits
	require.NoError(t, os.WriteFile(filepath.Join(sync, "go-on"), nil, 0o644))
	err = cmd.Wait()
	t.Logf("stderr:\n%s", stderr.String())
	require.Error(t, err)
	require.NotContains(t, err.Error(), "broken pipe", "not killed by SIGPIPE")
	require.Contains(t, stderr.String(), "cancelled")
	require.NoFileExists(t, lock, "the lock is given back")
	requireUnmoved(t, w, head)

	// A lock left by a run that is gone from this host.
	dead := exec.Command("true")
	require.NoError(t, dead.Run())
	host, err := os.Hostname()
	require.NoError(t, err)
	started := time.Now().UTC().Format(time.RFC3339)
	require.NoError(t, os.WriteFile(lock, []byte(fmt.Sprintf("pid %d\nhost %s\nstarted %s\nwhat release v0.21.1\n", dead.Process.Pid, host, started)), 0o644))
	gone := fmt.Sprintf(`the stale lock %s of the run of "release v0.21.1" (pid %d on %s, started %s): that process is gone`, lock, dead.Process.Pid, host, started)
	out := w.mage(t, []string{"DRY_RUN=1"}, "image:unpin")
	require.Contains(t, out, "notice: a run that writes will take over "+gone)
	require.FileExists(t, lock, "a dry run writes nothing")
	out = w.mage(t, nil, "image:unpin")
	require.Contains(t, out, "notice: took over "+gone)
	require.NoFileExists(t, lock)
	require.Equal(t, head, w.rev(t, "HEAD~1"))
}
