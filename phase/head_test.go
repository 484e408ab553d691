package phase_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/gitfixture"
	"github.com/confidential-containers/release-tools/phase"
)

// TestNoCommits: a repository just made by git init is said to have no
// commits yet, not "reference not found".
func TestNoCommits(t *testing.T) {
	root := t.TempDir()
	_, err := git.PlainInitWithOptions(root, &git.PlainInitOptions{InitOptions: git.InitOptions{DefaultBranch: plumbing.Main}})
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(root, "b.yaml"), []byte("b: 1\n"), 0o644))
	p := &phase.Phase{Name: "test", Root: root, Git: openRepo(t, root), Steps: []phase.Step{set("b.yaml", "b: 2\n"), phase.Commit{Message: "m"}}}
	for _, dry := range []bool{true, false} {
		err = p.Run(context.Background(), phase.Options{DryRun: dry})
		require.ErrorIs(t, err, phase.ErrNoCommits)
		require.ErrorContains(t, err, "has no commits yet")
		require.NotContains(t, err.Error(), "reference not found")
	}
}

// TestGarbageHead: a .git/HEAD that is neither a ref nor a hash is named,
// not read as the zero hash (every tracked file "uncommitted").
func TestGarbageHead(t *testing.T) {
	root, _ := repo(t)
	require.NoError(t, os.WriteFile(filepath.Join(root, ".git", "HEAD"), []byte("garbage\n"), 0o644))
	p := &phase.Phase{Name: "test", Root: root, Git: openRepo(t, root), Steps: []phase.Step{set("b.yaml", "b: 2\n")}}
	err := p.Run(context.Background(), phase.Options{DryRun: true})
	require.ErrorIs(t, err, phase.ErrBadHead)
	require.ErrorContains(t, err, `HEAD is unreadable: `+filepath.Join(root, ".git", "HEAD")+` holds "garbage"`)
	require.NotErrorIs(t, err, phase.ErrDirty)
}

// TestLinkedWorkTree: a phase runs in a work tree made by git worktree
// add (its .git a file): the tree is clean, the commit lands on the work
// tree's branch, and the main work tree's branch stays.
func TestLinkedWorkTree(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git command")
	}
	root, head := repo(t)
	wt := filepath.Join(t.TempDir(), "wt")
	gitfixture.Git(t, root, "worktree", "add", "-q", "-b", "release", wt)
	p := &phase.Phase{Name: "test", Root: wt, Git: openRepo(t, wt), Steps: []phase.Step{set("b.yaml", "b: 2\n"), phase.Commit{Message: "m"}}}
	var out strings.Builder
	require.NoError(t, p.Run(context.Background(), phase.Options{Out: &out}), out.String())
	require.Equal(t, "", gitfixture.Git(t, wt, "status", "--porcelain"))
	require.Equal(t, "m", gitfixture.Git(t, wt, "log", "-1", "--format=%s", "release"))
	require.Equal(t, head.String(), gitfixture.Git(t, root, "rev-parse", "main"))
	require.Contains(t, gitfixture.Git(t, wt, "reflog", "-1", "release"), "release@{0}")
}
