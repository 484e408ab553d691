package tags_test

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/repolock"
	"github.com/confidential-containers/release-tools/tags"
)

// TestTagsOneRunAtATime: 3 pairs of `PUSH=1 tags v0.13.0`, each pair on
// one repository with a bare remote, all started together; the remote
// takes a moment over each push (a pre-receive hook), so the runs of a
// pair overlap. Every time, the local tags and the remote's are the same
// five on the same commit: a run that loses is refused (the repository
// lock: ErrBusy), or finds its plan stale, or has nothing left to do,
// and never deletes the tags the other made.
func TestTagsOneRunAtATime(t *testing.T) {
	const pairs = 3 // more pairs add processes, not cases
	repos := make([]fixtureRepo, pairs)
	for i := range repos {
		repos[i] = newRepo(t)
		hook(t, repos[i], "sleep 0.2\n")
	}
	results := make([][2]error, pairs)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range pairs {
		for j := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				p, err := tags.NewPlan(context.Background(), openRepo(t, repos[i].dir), repos[i].dir, ver(t, "v0.13.0"), opts)
				if err == nil {
					err = p.Apply(context.Background())
				}
				results[i][j] = err
			}()
		}
	}
	began := time.Now()
	close(start)
	wg.Wait()
	refused := 0
	for i, r := range results {
		head := repos[i].head(t)
		want := map[string]string{}
		for _, name := range caaOrder {
			want[name] = head
		}
		require.Equal(t, want, tagsOf(t, repos[i].remote), "pair %d: the remote", i)
		require.Equal(t, want, tagsOf(t, repos[i].dir), "pair %d: local (%v)", i, r)
		require.NoFileExists(t, filepath.Join(repos[i].dir, ".git", repolock.RepoLockFile))
		for _, err := range r {
			if errors.Is(err, repolock.ErrBusy) || errors.Is(err, tags.ErrPlanStale) {
				refused++
				continue
			}
			require.NoError(t, err, "pair %d", i)
		}
	}
	t.Logf("%d pairs in %s; %d runs refused", pairs, time.Since(began).Round(time.Millisecond), refused)
}
