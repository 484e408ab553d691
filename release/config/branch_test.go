package config

import (
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// branchNames are names git takes and refuses, by each of its rules.
var branchNames = []string{
	"main", "release-0.13", "rel/β", "héllo/wörld", "a\xffb", "v1.0", "a.b", "x/HEAD", "head", "HEAD/x",
	"@", "a/@", "@a", "ref@", "a@b", "a{b}", "a/b.lock.c", "lock", "a.locked", "_x", "x-", "a,b", "a'b", "a\"b",
	"a#b", "a$b", "a!b", "a%b", "a&b", "a+b", "a=b", "a;b", "a<b>", "a|b", "a(b)", "a]b", "a}b", "a`b",
	"-x", "--all", "HEAD", "a..b", "a/.b", ".a", "a.", "a/", "/a", "a//b", "a.lock", "a.lock/b", "x/a.lock",
	"a@{b", "@{-1}", "a b", "a~1", "a^", "a:b", "a?", "a*", "a[b", "a\\b", "a\x01", "a\x7f", "a\tb",
	"a/..", "...", "a/../b", "a/.", "./a", ".lock", "a/.lock",
}

// TestCheckBranchAsGit: CheckBranch takes exactly the names `git
// check-ref-format --branch` takes, outside a repository.
func TestCheckBranchAsGit(t *testing.T) {
	git, err := exec.LookPath("git")
	require.NoError(t, err)
	dir := t.TempDir()
	for _, name := range branchNames {
		cmd := exec.Command(git, "check-ref-format", "--branch", name)
		cmd.Dir = dir
		cmd.Env = []string{"GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=" + filepath.Join(dir, "none"),
			"GIT_CEILING_DIRECTORIES=" + filepath.Dir(dir), "HOME=" + dir}
		out, gitErr := cmd.CombinedOutput()
		err := CheckBranch(name)
		if gitErr == nil {
			require.NoError(t, err, "git takes %q", name)
			require.Equal(t, name+"\n", string(out))
		} else {
			require.ErrorIs(t, err, ErrBadBranch, "git refuses %q: %s", name, out)
		}
	}
	require.NoError(t, CheckBranch("rel/β"))
	require.EqualError(t, CheckBranch("a..b"), `"a..b" contains '..', which git refuses in a branch name`)
	require.EqualError(t, CheckBranch("-x"), `"-x" starts with '-', which git refuses in a branch name`)
	require.EqualError(t, CheckBranch("a b"), `"a b" contains ' ', which git refuses in a branch name`)
}
