package phase_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/gitrepo"
	"github.com/confidential-containers/release-tools/internal/repolock"
	"github.com/confidential-containers/release-tools/internal/run"
	"github.com/confidential-containers/release-tools/phase"
)

// TestOneRunAtATime: 2 pairs of the same phase, each pair on one
// repository, all started together. In every pair one run is done and the
// other is refused (ErrBusy, naming the holder's pid and start time), and
// the tree, the branch, the index and the reflog are exactly as the winner
// left them. The winner's go step waits until the loser has returned, so
// the two always overlap (were the lock missing, both would wait and the
// test would fail).
func TestOneRunAtATime(t *testing.T) {
	// Each pair overlaps by construction: more pairs add processes, not
	// cases. Two show that one repository's lock holds back no other's.
	const pairs = 2
	began := time.Now()
	roots := make([]string, pairs)
	heads := make([]plumbing.Hash, pairs)
	for i := range roots {
		roots[i], heads[i] = repo(t)
	}
	results := make([][2]error, pairs)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < pairs; i++ {
		returned := [2]chan struct{}{make(chan struct{}), make(chan struct{})}
		for j := 0; j < 2; j++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer close(returned[j])
				p := &phase.Phase{Name: fmt.Sprintf("run %d", j), Root: roots[i], Git: openRepo(t, roots[i]), Steps: []phase.Step{
					set("b.yaml", fmt.Sprintf("b: run %d\n", j)),
					phase.Go{Dir: "a"},
					phase.Commit{Message: fmt.Sprintf("run %d", j)},
				}}
				<-start
				results[i][j] = p.Run(context.Background(), phase.Options{Go: goFunc(func(string) error {
					select {
					case <-returned[1-j]:
					case <-time.After(3 * time.Second):
					}
					return nil
				})})
			}()
		}
	}
	close(start)
	wg.Wait()
	for i, r := range results {
		won := 0
		if r[0] != nil {
			won = 1
		}
		require.NoError(t, r[won], "pair %d", i)
		lost := r[1-won]
		require.ErrorIs(t, lost, phase.ErrBusy, "pair %d", i)
		var be *repolock.BusyError
		require.ErrorAs(t, lost, &be)
		require.Equal(t, os.Getpid(), be.PID)
		require.False(t, be.Stale)
		require.Contains(t, lost.Error(), fmt.Sprintf("pid %d on ", os.Getpid()))
		require.Contains(t, lost.Error(), "started "+be.Started.Format(time.RFC3339))
		require.WithinDuration(t, began, be.Started, time.Minute)

		root := roots[i]
		require.Equal(t, fmt.Sprintf("b: run %d\n", won), read(t, root, "b.yaml"), "pair %d", i)
		r, err := git.PlainOpen(root)
		require.NoError(t, err)
		c, err := r.CommitObject(branch(t, root))
		require.NoError(t, err)
		require.Equal(t, []plumbing.Hash{heads[i]}, c.ParentHashes, "pair %d: one commit on the start", i)
		require.True(t, strings.HasPrefix(c.Message, fmt.Sprintf("run %d\n", won)), "pair %d: %q", i, c.Message)
		require.NoError(t, gitrepo.CheckClean(r, root), "pair %d", i)
		require.NoFileExists(t, filepath.Join(root, ".git", repolock.RepoLockFile))
		out, err := run.Cmd(context.Background(), root, nil, "git", "reflog", "--format=%gs")
		require.NoError(t, err)
		require.Equal(t, fmt.Sprintf("commit: run %d\n", won), string(out), "pair %d", i)
	}
	t.Logf("%d pairs in %s", pairs, time.Since(began).Round(time.Millisecond))
}

// TestRepoLockHeld: a lock held by a run on another host is refused,
// naming its pid and start time, and left alone. One whose pid no longer
// runs on this host is stale: a dry run says a run that writes will take
// it over, and a run that writes takes it over with a notice naming the
// gone run, and gives it back when done.
func TestRepoLockHeld(t *testing.T) {
	t.Parallel()
	dead := exec.Command("true")
	require.NoError(t, dead.Run())
	host, err := os.Hostname()
	require.NoError(t, err)
	held := func(t *testing.T, root, host string, pid int) (string, string) {
		name := filepath.Join(root, ".git", repolock.RepoLockFile)
		data := fmt.Sprintf("pid %d\nhost %s\nstarted 2026-11-27T10:00:00Z\nwhat release\n", pid, host)
		require.NoError(t, os.WriteFile(name, []byte(data), 0o644))
		return name, data
	}
	steps := []phase.Step{set("b.yaml", "b: 2\n"), phase.Commit{Message: "m"}}

	t.Run("live elsewhere", func(t *testing.T) {
		root, head := repo(t)
		name, data := held(t, root, "build-7", 4242)
		p := &phase.Phase{Name: "p", Root: root, Git: openRepo(t, root), Steps: steps}
		for _, dry := range []bool{false, true} {
			err := p.Run(t.Context(), phase.Options{DryRun: dry})
			require.ErrorIs(t, err, phase.ErrBusy)
			require.ErrorContains(t, err, fmt.Sprintf(`the run of "release" (pid 4242 on build-7, started 2026-11-27T10:00:00Z) holds %s; wait for it to finish`, name))
		}
		require.Equal(t, "b: 1\n", read(t, root, "b.yaml"))
		require.Equal(t, head, branch(t, root))
		got, err := os.ReadFile(name)
		require.NoError(t, err)
		require.Equal(t, data, string(got))
	})
	t.Run("stale here", func(t *testing.T) {
		root, head := repo(t)
		name, data := held(t, root, host, dead.Process.Pid)
		gone := fmt.Sprintf(`the stale lock %s of the run of "release" (pid %d on %s, started 2026-11-27T10:00:00Z): that process is gone`, name, dead.Process.Pid, host)
		p := &phase.Phase{Name: "p", Root: root, Git: openRepo(t, root), Steps: steps}
		var out strings.Builder
		require.NoError(t, p.Run(t.Context(), phase.Options{DryRun: true, Out: &out}))
		require.Contains(t, out.String(), "p: notice: a run that writes will take over "+gone)
		got, err := os.ReadFile(name)
		require.NoError(t, err)
		require.Equal(t, data, string(got), "a dry run writes nothing")

		out.Reset()
		require.NoError(t, p.Run(t.Context(), phase.Options{Out: &out}))
		require.Contains(t, out.String(), "p: notice: took over "+gone)
		require.Equal(t, "b: 2\n", read(t, root, "b.yaml"))
		require.NotEqual(t, head, branch(t, root))
		require.NoFileExists(t, name)
		entries, err := os.ReadDir(filepath.Join(root, ".git"))
		require.NoError(t, err)
		for _, e := range entries {
			require.NotContains(t, e.Name(), repolock.RepoLockFile, "nothing of the lock is left")
		}
	})
}
