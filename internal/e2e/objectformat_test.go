package e2e_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestSHA256Refused: in a SHA-256 repository (which go-git cannot read)
// every target is refused before it starts, in one plain sentence;
// status exits 2 (cannot start), not 1 (inconsistent); nothing is written.
func TestSHA256Refused(t *testing.T) {
	t.Parallel()
	bin := frontend(t)
	root, home := t.TempDir(), t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(home, ".gitconfig"), []byte("[user]\n\tname = N\n\temail = n@example.com\n"), 0o644))
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "GIT_CONFIG_NOSYSTEM=1", "TMPDIR=" + t.TempDir()}
	git := func(args ...string) string {
		cmd := exec.Command("git", args...)
		cmd.Dir, cmd.Env = root, env
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "git %s: %s", strings.Join(args, " "), out)
		return strings.TrimSpace(string(out))
	}
	git("init", "-q", "--object-format=sha256", "-b", "main")
	require.NoError(t, os.WriteFile(filepath.Join(root, "versions.yaml"), []byte("a: 1\n"), 0o644))
	git("add", "-A")
	git("commit", "-q", "-m", "init")
	head := git("rev-parse", "HEAD")
	want := root + " is a SHA-256 repository (git init --object-format=sha256) and release-tools reads SHA-1 repositories only: run it in a SHA-1 clone of the project"

	for _, args := range [][]string{{"status"}, {"release", "v0.21.0", strings.Repeat("a", 40)}, {"deps:sync", "3.31.0"}, {"tags", "v0.21.0"}} {
		cmd := exec.CommandContext(t.Context(), bin, args...)
		cmd.Dir = root
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		t.Logf("$ mage %s\n%s", strings.Join(args, " "), out)
		var exit *exec.ExitError
		require.True(t, errors.As(err, &exit), "%s: %v", args[0], err)
		if args[0] == "status" {
			require.Equal(t, 2, exit.ExitCode(), "status cannot start: not 1, inconsistent")
		}
		require.Contains(t, string(out), want)
		require.NotContains(t, string(out), "objectformat", "go-git's own words")
	}
	require.Equal(t, head, git("rev-parse", "HEAD"))
	require.Empty(t, git("status", "--porcelain", "--untracked-files=all"))
}
