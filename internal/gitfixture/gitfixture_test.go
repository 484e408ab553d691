package gitfixture_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/gitfixture"
	"github.com/confidential-containers/release-tools/internal/slow"
)

func TestMain(m *testing.M) { gitfixture.Main(m) }

// TestWithRemoteAsGitSeesIt: the packed repository and its origin are what
// git itself would have made: a clean work tree, every object sound, main
// and origin/main at the commit, the files at HEAD.
func TestWithRemoteAsGitSeesIt(t *testing.T) {
	dir, remote := t.TempDir(), t.TempDir()
	files := map[string][]byte{"README.md": []byte("hello\n"), "src/a/go.mod": []byte("module a\n"), "src/b/x.yaml": []byte("k: v\n")}
	repo, err := gitfixture.WithRemote(dir, remote, files, "first")
	require.NoError(t, err)
	head, err := repo.Head()
	require.NoError(t, err)

	git := func(dir string, args ...string) string {
		t.Helper()
		out, err := exec.Command("git", append([]string{"-C", dir}, args...)...).CombinedOutput()
		require.NoError(t, err, "git %v: %s", args, out)
		return strings.TrimSpace(string(out))
	}
	require.Empty(t, git(dir, "status", "--porcelain"))
	git(dir, "fsck", "--strict")
	git(remote, "fsck", "--strict")
	h := head.Hash().String()
	require.Equal(t, h+"\n"+h+"\n"+h, git(dir, "rev-parse", "main", "origin/main", "HEAD"))
	require.Equal(t, h, git(remote, "rev-parse", "main"))
	require.Equal(t, "README.md\nsrc/a/go.mod\nsrc/b/x.yaml", git(dir, "ls-tree", "-r", "--name-only", "HEAD"))
	require.Equal(t, "module a", git(dir, "show", "HEAD:src/a/go.mod"))

	// A later commit (loose objects) on top of the pack.
	_, err = gitfixture.Commit(repo, map[string][]byte{"README.md": []byte("bye\n")}, "second")
	require.NoError(t, err)
	require.Empty(t, git(dir, "status", "--porcelain"))
	require.Equal(t, "bye", git(dir, "show", "HEAD:README.md"))
	git(dir, "fsck", "--strict")
}

// TestTemplateCopies: each copy of a template is a repository of its own
// whose origin is its own copy of the remote: a push from one copy lands
// in that copy's remote alone, and git finds the work tree clean.
func TestTemplateCopies(t *testing.T) {
	slow.Git(t)
	builds := 0
	tp := gitfixture.Template{Build: func(dirs ...string) error {
		builds++
		_, err := gitfixture.WithRemote(dirs[0], dirs[1], map[string][]byte{"src/a/go.mod": []byte("module a\n")}, "first")
		return err
	}}
	git := func(dir string, args ...string) string {
		t.Helper()
		out, err := exec.Command("git", append([]string{"-C", dir}, args...)...).CombinedOutput()
		require.NoError(t, err, "git %v: %s", args, out)
		return strings.TrimSpace(string(out))
	}
	var dirs, remotes []string
	for range 2 {
		dir, remote := t.TempDir(), t.TempDir()
		require.NoError(t, tp.Copy(dir, remote))
		dirs, remotes = append(dirs, dir), append(remotes, remote)
	}
	require.Equal(t, 1, builds)
	require.Equal(t, "file://"+remotes[1], git(dirs[1], "remote", "get-url", "origin"))
	require.Empty(t, git(dirs[1], "status", "--porcelain"))
	git(dirs[1], "fsck", "--strict")
	git(dirs[1], "tag", "t")
	git(dirs[1], "push", "-q", "origin", "t")
	require.Equal(t, git(dirs[1], "rev-parse", "HEAD"), git(remotes[1], "rev-parse", "t"))
	require.Empty(t, git(remotes[0], "tag"), "the other copy's remote is untouched")
	require.Error(t, tp.Copy(t.TempDir()), "one folder for a template of two")
}

// TestAddConfig: git reads what AddConfig writes, subsections, quotes and
// backslashes included, the last value of a key winning.
func TestAddConfig(t *testing.T) {
	slow.Git(t)
	file := t.TempDir() + "/config"
	require.NoError(t, gitfixture.AddConfig(file, "user.name", `A "B" \C`, "gpg.ssh.program", "/x y/signer", "user.name", "D"))
	out, err := exec.Command("git", "config", "--file", file, "--list").CombinedOutput()
	require.NoError(t, err, "%s", out)
	require.Equal(t, "user.name=A \"B\" \\C\ngpg.ssh.program=/x y/signer\nuser.name=D\n", string(out))
	require.Error(t, gitfixture.AddConfig(file, "nosection", "v"))
}
