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

// TestOneRunAtATime: 50 pairs of the same phase, each pair on one
// repository, all started together. In every pair one run is done and the
// other is refused (ErrBusy, naming the holder's pid and start time), and
// the tree, the branch, the index and the reflog are exactly as the winner
// left them. The winner's go step waits until the loser has returned, so
// the two always overlap (were the lock missing, both would wait and the
// test would fail).
func TestOneRunAtATime(t *testing.T) {
	const pairs = 50
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
// naming its pid and start time; one whose pid no longer runs on this
// host is called stale, with how to remove it. Neither is removed.
func TestRepoLockHeld(t *testing.T) {
	t.Parallel()
	dead := exec.Command("true")
	require.NoError(t, dead.Run())
	host, err := os.Hostname()
	require.NoError(t, err)
	for _, tc := range []struct {
		name, host string
		pid        int
		want       string
	}{
		{"live elsewhere", "build-7", 4242, `the run of "release" (pid 4242 on build-7, started 2026-11-27T10:00:00Z) holds %[1]s; wait for it to finish`},
		{"stale here", host, dead.Process.Pid, `but pid %[2]d is no longer running on this host: the lock is stale; remove it (rm %[1]s) and run again (a run killed while it applied leaves the files it wrote changed: see git status)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root, head := repo(t)
			name := filepath.Join(root, ".git", repolock.RepoLockFile)
			held := fmt.Sprintf("pid %d\nhost %s\nstarted 2026-11-27T10:00:00Z\nwhat release\n", tc.pid, tc.host)
			require.NoError(t, os.WriteFile(name, []byte(held), 0o644))
			p := &phase.Phase{Name: "p", Root: root, Git: openRepo(t, root), Steps: []phase.Step{set("b.yaml", "b: 2\n"), phase.Commit{Message: "m"}}}
			for _, dry := range []bool{false, true} {
				err := p.Run(t.Context(), phase.Options{DryRun: dry})
				require.ErrorIs(t, err, phase.ErrBusy)
				require.ErrorContains(t, err, fmt.Sprintf(tc.want, name, tc.pid))
			}
			require.Equal(t, "b: 1\n", read(t, root, "b.yaml"))
			require.Equal(t, head, branch(t, root))
			data, err := os.ReadFile(name)
			require.NoError(t, err)
			require.Equal(t, held, string(data))
		})
	}
}
