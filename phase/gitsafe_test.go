package phase_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/gitfixture"
	"github.com/confidential-containers/release-tools/internal/run"
	"github.com/confidential-containers/release-tools/phase"
)

// TestGitLocksRefused: with git's index.lock or the branch's lock present
// (another git command running), a committing phase is refused before it
// writes anything, naming the lock file and what to do.
func TestGitLocksRefused(t *testing.T) {
	t.Parallel()
	for _, lock := range []string{"index.lock", "refs/heads/main.lock"} {
		root, head := repo(t)
		name := filepath.Join(root, ".git", filepath.FromSlash(lock))
		require.NoError(t, os.WriteFile(name, nil, 0o644))
		p := &phase.Phase{Name: "p", Root: root, Git: openRepo(t, root), Steps: []phase.Step{set("b.yaml", "b: 2\n"), phase.Commit{Message: "m"}}}
		err := p.Run(t.Context(), phase.Options{})
		require.ErrorIs(t, err, phase.ErrLocked, lock)
		var se *phase.StepError
		require.False(t, errors.As(err, &se), "refused before applying: %v", err)
		require.ErrorContains(t, err, name+" exists: another git command is running in this repository; wait for it to finish, or, if no git command is running, remove the stale lock (rm "+name+")")
		require.Equal(t, "b: 1\n", read(t, root, "b.yaml"), lock)
		require.Equal(t, head, branch(t, root), lock)
		require.FileExists(t, name)
	}
}

// TestReflogUndoesAPhase: the phase's branch move is in the reflog, like
// git commit's, so `git reset --hard main@{1}` undoes the phase.
func TestReflogUndoesAPhase(t *testing.T) {
	t.Parallel()
	root, head := repo(t)
	p := &phase.Phase{Name: "p", Root: root, Git: openRepo(t, root), Steps: []phase.Step{set("b.yaml", "b: 2\n"), phase.Commit{Message: "bump b\n\nwhy"}}}
	require.NoError(t, p.Run(t.Context(), phase.Options{}))
	out, err := run.Cmd(t.Context(), root, nil, "git", "reflog", "--format=%gd %gs")
	require.NoError(t, err)
	require.Equal(t, "HEAD@{0} commit: bump b\n", string(out))
	_, err = run.Cmd(t.Context(), root, nil, "git", "reset", "--hard", "main@{1}")
	require.NoError(t, err)
	require.Equal(t, head, branch(t, root))
	require.Equal(t, "b: 1\n", read(t, root, "b.yaml"))
}

// TestBranchMovedDuringApply: the branch moves only from the commit the
// phase started on: if something moves it while the phase runs, the phase
// fails, its files are put back, and the other commit stays.
func TestBranchMovedDuringApply(t *testing.T) {
	t.Parallel()
	root, _ := repo(t)
	var theirs string
	p := &phase.Phase{Name: "p", Root: root, Git: openRepo(t, root), Steps: []phase.Step{
		set("b.yaml", "b: 2\n"),
		phase.Go{Dir: "a"},
		phase.Commit{Message: "mine"},
	}}
	err := p.Run(t.Context(), phase.Options{Go: goFunc(func(string) error {
		// Another process commits on main meanwhile.
		for _, args := range [][]string{{"commit", "--allow-empty", "-q", "-m", "theirs"}, {"rev-parse", "HEAD"}} {
			out, err := run.Cmd(context.Background(), root, nil, "git", args...)
			require.NoError(t, err)
			theirs = strings.TrimSpace(string(out))
		}
		return nil
	})})
	require.ErrorIs(t, err, phase.ErrMoved)
	require.ErrorContains(t, err, "move main from ")
	require.Equal(t, theirs, branch(t, root).String())
	require.Equal(t, "b: 1\n", read(t, root, "b.yaml"))
}

// TestDryRunLeavesGitAlone: a dry run writes nothing, .git included (no
// repository lock, no index).
func TestDryRunLeavesGitAlone(t *testing.T) {
	t.Parallel()
	root, _ := repo(t)
	require.NoError(t, os.WriteFile(filepath.Join(root, "untracked.txt"), []byte("u\n"), 0o644))
	before := hashTree(t, filepath.Join(root, ".git"))
	p := &phase.Phase{Name: "p", Root: root, Git: openRepo(t, root), Steps: []phase.Step{set("b.yaml", "b: 2\n"), set("untracked.txt", "v\n"), phase.Commit{Message: "m"}}}
	require.NoError(t, p.Run(t.Context(), phase.Options{DryRun: true}))
	require.Equal(t, before, hashTree(t, filepath.Join(root, ".git")))
	require.Equal(t, "b: 1\n", read(t, root, "b.yaml"))
}

// hashTree hashes the names, modes and contents of everything below dir.
func hashTree(t *testing.T, dir string) string {
	t.Helper()
	h, err := gitfixture.HashTree(dir, true)
	require.NoError(t, err)
	return h
}

// TestBranchMovedWhilePlanning: a commit made by someone else while the
// phase plans is not built on: the phase's commits were to go on the
// commit whose tree it checked, so landing fails and nothing is left.
func TestBranchMovedWhilePlanning(t *testing.T) {
	t.Parallel()
	root, _ := repo(t)
	var theirs string
	p := &phase.Phase{Name: "p", Root: root, Git: openRepo(t, root), Steps: []phase.Step{
		phase.Check{Name: "slow check", Run: func(context.Context, *phase.Tree) (string, error) {
			for _, args := range [][]string{{"commit", "--allow-empty", "-q", "-m", "theirs"}, {"rev-parse", "HEAD"}} {
				out, err := run.Cmd(context.Background(), root, nil, "git", args...)
				require.NoError(t, err)
				theirs = strings.TrimSpace(string(out))
			}
			return "fine", nil
		}},
		set("b.yaml", "b: 2\n"),
		phase.Commit{Message: "mine"},
	}}
	err := p.Run(t.Context(), phase.Options{})
	require.ErrorIs(t, err, phase.ErrMoved)
	require.Equal(t, theirs, branch(t, root).String())
	require.Equal(t, "b: 1\n", read(t, root, "b.yaml"))
}
