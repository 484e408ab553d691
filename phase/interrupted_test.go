package phase_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/gitfixture"
	"github.com/confidential-containers/release-tools/internal/repolock"
	"github.com/confidential-containers/release-tools/phase"
)

// killedPhase edits b.yaml, then its go command writes a/go.mod and hangs,
// for the test to kill it there.
func killedPhase(t testing.TB, root string) *phase.Phase {
	return &phase.Phase{Name: "p", Root: root, Git: openRepo(t, root), Steps: []phase.Step{
		set("b.yaml", "b: 2\n"),
		phase.Go{Dir: "a"},
		phase.Commit{Message: "m"},
	}}
}

func hangingGo(dir string) error {
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module a\n\ngo 1.26\n"), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "..", "killme"), nil, 0o644); err != nil {
		return err
	}
	time.Sleep(time.Minute)
	return errors.New("not killed")
}

// TestHelperKilledRun is the run TestInterrupted kills; it does nothing
// unless started by it.
func TestHelperKilledRun(t *testing.T) {
	root := os.Getenv("PHASE_KILLED_ROOT")
	if root == "" {
		t.Skip("helper process")
	}
	_ = killedPhase(t, root).Run(context.Background(), phase.Options{Go: goFunc(hangingGo)})
}

// TestInterrupted: a run killed with SIGKILL while it applied leaves the
// files it wrote changed (and its lock, which is stale). The re-run does
// not just say "commit or stash them": they are exactly the files the
// phase writes, so it says a run may have been interrupted and how to put
// them back.
func TestInterrupted(t *testing.T) {
	root, _ := repo(t)
	g, err := git.PlainOpen(root)
	require.NoError(t, err)
	head, err := gitfixture.Commit(g, map[string][]byte{"c.txt": []byte("c\n")}, "a file the phase does not write")
	require.NoError(t, err)
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperKilledRun$")
	// The killed run's temporary folders (its Main folder, the phase's
	// index) are left behind: they go in this test's.
	cmd.Env = append(os.Environ(), "PHASE_KILLED_ROOT="+root, "TMPDIR="+t.TempDir())
	require.NoError(t, cmd.Start())
	deadline := time.Now().Add(30 * time.Second)
	for {
		if _, err := os.Stat(filepath.Join(root, "killme")); err == nil {
			break
		}
		require.True(t, time.Now().Before(deadline), "the run never reached its go command")
		time.Sleep(10 * time.Millisecond)
	}
	require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
	_ = cmd.Wait()
	require.NoError(t, os.Remove(filepath.Join(root, "killme")))
	require.Equal(t, head, branch(t, root))

	// The killed run's lock is stale: the next run says so and goes on.
	require.FileExists(t, filepath.Join(root, ".git", repolock.RepoLockFile))
	var out strings.Builder
	err = killedPhase(t, root).Run(context.Background(), phase.Options{DryRun: true, Out: &out})
	require.Contains(t, out.String(), "a run that writes will take over the stale lock")
	require.ErrorIs(t, err, phase.ErrDirty)
	require.EqualError(t, err, "p: uncommitted changes in a/go.mod, b.yaml, files this phase writes: a previous run may have been interrupted; "+
		"if so, put them back with git checkout -- a/go.mod b.yaml (or git stash), then run again")
	var ie *phase.InterruptedError
	require.ErrorAs(t, err, &ie)

	// Another change too: the general advice.
	require.NoError(t, os.WriteFile(filepath.Join(root, "a", "go.mod"), []byte("module a\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(root, "c.txt"), []byte("changed\n"), 0o644))
	err = killedPhase(t, root).Run(context.Background(), phase.Options{DryRun: true})
	require.ErrorIs(t, err, phase.ErrDirty)
	require.EqualError(t, err, "p: uncommitted changes in b.yaml, c.txt: commit or stash them first")
	require.False(t, errors.As(err, &ie))

	// After git checkout -- <files>, the run goes through.
	require.NoError(t, exec.Command("git", "-C", root, "checkout", "--", "b.yaml", "c.txt").Run())
	require.NoError(t, killedPhase(t, root).Run(context.Background(), phase.Options{Go: goFunc(func(string) error { return nil })}))
	require.Equal(t, "b: 2\n", read(t, root, "b.yaml"))
}
