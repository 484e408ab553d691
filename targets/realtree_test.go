package targets

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/fixture"
	"github.com/confidential-containers/release-tools/internal/magevars"
	"github.com/confidential-containers/release-tools/phase"
)

// The scenarios of issue 17 on the v0.21 trees: what git keeps out of the
// next commit, line endings, a merge in progress and a symlinked go.sum.

// gitIn runs git in dir and returns its output, trimmed.
func gitIn(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "git %s: %s", strings.Join(args, " "), out)
	return strings.TrimSpace(string(out))
}

// TestReleaseRefusesStagedDeletion: after git rm --cached CITATION.cff,
// release v0.21.0 is refused, naming the file, and commits nothing: the
// pin commit used to delete CITATION.cff from the repository.
func TestReleaseRefusesStagedDeletion(t *testing.T) {
	t.Parallel()
	w := helmWorld(t, fixture.HelmRelease, commentFix)
	head := w.head(t)
	gitIn(t, w.root, "rm", "-q", "--cached", "CITATION.cff")
	r, out := w.runner(magevars.Vars{SkipGo: true, ReleaseTime: releaseTime(t, fixture.HelmReleaseTime)})
	err := r.Release(t.Context(), fixture.HelmVersion, fixture.HelmImageSHA)
	require.ErrorIs(t, err, phase.ErrDirty, out.String())
	require.ErrorContains(t, err, "CITATION.cff")
	require.Equal(t, head, w.head(t))
	require.Equal(t, "CITATION.cff", gitIn(t, w.root, "ls-tree", "--name-only", "HEAD", "CITATION.cff"))
	require.Equal(t, "D  CITATION.cff\n?? CITATION.cff", gitIn(t, w.root, "status", "--porcelain"), "the user's index is left alone")
}

// TestReleaseRefusesSkipWorktree: a values file marked skip-worktree with
// a local edit (git status shows none) is refused before anything is
// written: the edit used to be committed with the pin.
func TestReleaseRefusesSkipWorktree(t *testing.T) {
	t.Parallel()
	w := helmWorld(t, fixture.HelmRelease, commentFix)
	head := w.head(t)
	gitIn(t, w.root, "update-index", "--skip-worktree", webhookValues)
	name := filepath.Join(w.root, filepath.FromSlash(webhookValues))
	data, err := os.ReadFile(name)
	require.NoError(t, err)
	local := append(data, []byte("# my local note\n")...)
	require.NoError(t, os.WriteFile(name, local, 0o644))
	require.Empty(t, gitIn(t, w.root, "status", "--porcelain"))

	r, out := w.runner(magevars.Vars{SkipGo: true, ReleaseTime: releaseTime(t, fixture.HelmReleaseTime)})
	err = r.Release(t.Context(), fixture.HelmVersion, fixture.HelmImageSHA)
	require.ErrorIs(t, err, phase.ErrFlagged, out.String())
	require.ErrorContains(t, err, webhookValues+" is marked skip-worktree")
	require.Equal(t, head, w.head(t))
	got, err := os.ReadFile(name)
	require.NoError(t, err)
	require.Equal(t, string(local), string(got))
}

// TestImagePinCRLF: in a CRLF checkout (core.autocrlf=true), image:pin
// commits one changed line in each file it edits, and the tree is clean
// after: the work tree's CRLF bytes used to be stored as they were, every
// line changed.
func TestImagePinCRLF(t *testing.T) {
	t.Parallel()
	w := helmWorld(t, fixture.HelmRelease, commentFix)
	gitIn(t, w.root, "config", "core.autocrlf", "true")
	// Check every file out again, with CRLF line endings.
	for _, f := range strings.Split(gitIn(t, w.root, "ls-files"), "\n") {
		require.NoError(t, os.Remove(filepath.Join(w.root, filepath.FromSlash(f))))
	}
	gitIn(t, w.root, "checkout", "--", ".")
	data, err := os.ReadFile(filepath.Join(w.root, filepath.FromSlash(webhookValues)))
	require.NoError(t, err)
	require.Contains(t, string(data), "\r\n", "a CRLF checkout")
	require.Empty(t, gitIn(t, w.root, "status", "--porcelain"))

	r, out := w.runner(magevars.Vars{})
	require.NoError(t, r.OverlaysPin(t.Context(), fixture.HelmImageSHA), out.String())
	numstat := gitIn(t, w.root, "show", "--format=", "--numstat", "HEAD")
	lines := strings.Split(numstat, "\n")
	require.Len(t, lines, 6, numstat) // the five chart values files and the Makefile
	for _, l := range lines {
		require.True(t, strings.HasPrefix(l, "1\t1\t"), numstat)
	}
	require.Empty(t, gitIn(t, w.root, "status", "--porcelain"))
	data, err = os.ReadFile(filepath.Join(w.root, filepath.FromSlash(webhookValues)))
	require.NoError(t, err)
	require.Contains(t, string(data), "tag: "+fixture.HelmImageSHA+"\r\n")
}

// TestPostreleaseRefusesMerge: a merge in progress stops postrelease,
// naming it; nothing is committed (the user's next git commit used to
// become a merge commit with the phase's commit as a parent).
func TestPostreleaseRefusesMerge(t *testing.T) {
	t.Parallel()
	w := helmWorld(t, fixture.HelmPostrelease, nil)
	commit := w.head(t)
	gitIn(t, w.root, "checkout", "-q", "-b", "other")
	require.NoError(t, os.WriteFile(filepath.Join(w.root, "NOTES"), []byte("notes\n"), 0o644))
	gitIn(t, w.root, "add", "NOTES")
	gitIn(t, w.root, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "notes")
	gitIn(t, w.root, "checkout", "-q", "main")
	gitIn(t, w.root, "merge", "-q", "--no-ff", "--no-commit", "other")
	r, out := w.runner(magevars.Vars{ReleaseDate: fixture.HelmReleaseDate, ReleaseCommit: commit})
	err := r.Postrelease(t.Context(), fixture.HelmPatchVersion)
	require.ErrorIs(t, err, phase.ErrInProgress, out.String())
	require.ErrorContains(t, err, "a merge is in progress (")
	require.Equal(t, commit, w.head(t))
	require.FileExists(t, filepath.Join(w.root, ".git", "MERGE_HEAD"))
	require.Equal(t, "A  NOTES", gitIn(t, w.root, "status", "--porcelain"))
}

// TestDepsSyncRefusesSymlinkedGoSum: a go.sum that is a symbolic link to
// a file outside the repository stops deps:sync, on the default go
// command path, before the go command runs: go mod tidy used to write
// through the link and the commit to record the link to an emptied blob.
// (Not parallel: the go command's environment is the process's.)
func TestDepsSyncRefusesSymlinkedGoSum(t *testing.T) {
	w := helmWorld(t, fixture.HelmDepsSync, nil)
	for k, v := range map[string]string{"GOPROXY": "file://" + filepath.ToSlash(t.TempDir()), "GOSUMDB": "off", "GOFLAGS": "-mod=mod", "GOMODCACHE": t.TempDir()} {
		t.Setenv(k, v)
	}
	sum := "src/cloud-api-adaptor/go.sum"
	outside := filepath.Join(t.TempDir(), "go.sum")
	data := []byte("example.com/m v1.0.0 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n")
	require.NoError(t, os.WriteFile(outside, data, 0o644))
	require.NoError(t, os.RemoveAll(filepath.Join(w.root, filepath.FromSlash(sum)))) // the fixture has none
	require.NoError(t, os.Symlink(outside, filepath.Join(w.root, filepath.FromSlash(sum))))
	gitIn(t, w.root, "add", sum)
	gitIn(t, w.root, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "go.sum elsewhere")
	gitIn(t, w.root, "push", "-q", "origin", "main")
	head := w.head(t)

	r, out := w.runner(magevars.Vars{SkipRegistry: true})
	require.Nil(t, r.Go, "the default go command path")
	err := r.DepsSync(t.Context(), fixture.HelmKataVersion)
	require.ErrorIs(t, err, phase.ErrOutside, out.String())
	require.ErrorContains(t, err, "is a symbolic link")
	require.NotContains(t, out.String(), "go get", "the go command never runs")
	require.Equal(t, head, w.head(t))
	got, err := os.ReadFile(outside)
	require.NoError(t, err)
	require.Equal(t, string(data), string(got), "the file outside is left alone")
	require.Empty(t, gitIn(t, w.root, "status", "--porcelain"))
}
