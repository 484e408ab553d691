package phase_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/gitfixture"
	"github.com/confidential-containers/release-tools/internal/gitrepo"
	"github.com/confidential-containers/release-tools/internal/slow"
	"github.com/confidential-containers/release-tools/phase"
)

// The phase's commits and its clean check go through git, so that what
// the user configures git for (the index, line endings, filters, signing)
// applies. These tests configure git as users do and compare with git.

// gitRepo makes a repository with the git command, with config (key,
// value pairs) set before files are committed on main.
func gitRepo(t *testing.T, files map[string]string, config ...string) string {
	t.Helper()
	slow.Git(t)
	root := t.TempDir()
	gitfixture.Git(t, root, "init", "-q", "-b", "main")
	config = append([]string{"user.name", gitfixture.Name, "user.email", gitfixture.Email, "commit.gpgsign", "false"}, config...)
	require.NoError(t, gitfixture.AddConfig(filepath.Join(root, ".git", "config"), config...))
	for p, data := range files {
		name := filepath.Join(root, filepath.FromSlash(p))
		require.NoError(t, os.MkdirAll(filepath.Dir(name), 0o755))
		require.NoError(t, os.WriteFile(name, []byte(data), 0o644))
	}
	gitfixture.Git(t, root, "add", "-A")
	gitfixture.Git(t, root, "commit", "-q", "-m", "init")
	return root
}

// replace is an edit of one value in place: old becomes new in path,
// every other byte (line endings included) stays.
func replace(path, old, new string) phase.Edit {
	return phase.Edit{Name: "set " + path, Plan: func(_ context.Context, t *phase.Tree) (string, error) {
		_, err := t.Edit(path, func(b []byte) ([]byte, error) {
			if !strings.Contains(string(b), old) {
				return nil, fmt.Errorf("%s: no %q", path, old)
			}
			return []byte(strings.Replace(string(b), old, new, 1)), nil
		})
		return "", err
	}}
}

// values is a hand-kept YAML file of n lines, one of them "tag: v1".
func values(n int) string {
	var b strings.Builder
	for i := range n - 1 {
		fmt.Fprintf(&b, "key%d: value %d\n", i, i)
	}
	return b.String() + "tag: v1\n"
}

// TestStagedDeletionRefused: a file whose deletion is staged (git rm
// --cached: it stays in the work tree) makes the tree not clean, as git
// status says; the phase is refused, naming it, and does not commit the
// deletion. (The commit used to be built from the whole index, and the
// clean check skipped a file the work tree has untracked.)
func TestStagedDeletionRefused(t *testing.T) {
	t.Parallel()
	root := gitRepo(t, map[string]string{"CITATION.cff": "cff-version: 1.2.0\n", "values.yaml": values(3)})
	head := gitfixture.Git(t, root, "rev-parse", "HEAD")
	gitfixture.Git(t, root, "rm", "-q", "--cached", "CITATION.cff")
	p := &phase.Phase{Name: "p", Root: root, Git: openRepo(t, root), Steps: []phase.Step{replace("values.yaml", "v1", "v2"), phase.Commit{Message: "bump"}}}
	err := p.Run(t.Context(), phase.Options{})
	require.ErrorIs(t, err, phase.ErrDirty)
	var dirty *gitrepo.DirtyError
	require.ErrorAs(t, err, &dirty)
	require.Equal(t, []string{"CITATION.cff"}, dirty.Files)
	require.True(t, dirty.Staged)
	require.Equal(t, head, gitfixture.Git(t, root, "rev-parse", "HEAD"))
	require.Equal(t, values(3), read(t, root, "values.yaml"))
	require.Equal(t, "D  CITATION.cff\n?? CITATION.cff", gitfixture.Git(t, root, "status", "--porcelain"), "the user's index is left alone")
}

// TestStagedMeanwhileNotCommitted: a change the user stages while the
// phase runs is not the phase's: the commit is HEAD's tree plus exactly
// the phase's files, and the change stays staged. (The index used to be
// read at the start and written back whole, unstaging it.)
func TestStagedMeanwhileNotCommitted(t *testing.T) {
	t.Parallel()
	root := gitRepo(t, map[string]string{"a/go.mod": "module a\n", "values.yaml": values(3), "notes.txt": "n\n"})
	p := &phase.Phase{Name: "p", Root: root, Git: openRepo(t, root), Steps: []phase.Step{
		replace("values.yaml", "v1", "v2"),
		phase.Go{Dir: "a"},
		phase.Commit{Message: "bump"},
	}}
	require.NoError(t, p.Run(t.Context(), phase.Options{Go: goFunc(func(string) error {
		require.NoError(t, os.WriteFile(filepath.Join(root, "notes.txt"), []byte("mine\n"), 0o644))
		gitfixture.Git(t, root, "add", "notes.txt")
		return nil
	})}))
	require.Equal(t, "values.yaml", gitfixture.Git(t, root, "diff", "--name-only", "HEAD~1", "HEAD"))
	require.Equal(t, "M  notes.txt", gitfixture.Git(t, root, "status", "--porcelain"))
}

// TestFlaggedRefused: a file the phase would write that is marked
// skip-worktree or assume-unchanged, with a local change git status does
// not show, is refused before anything is written, naming the flag and
// the command that clears it, in a dry run too. (The local change used to
// be committed along with the phase's.)
func TestFlaggedRefused(t *testing.T) {
	t.Parallel()
	for _, flag := range []string{"skip-worktree", "assume-unchanged"} {
		t.Run(flag, func(t *testing.T) {
			t.Parallel()
			root := gitRepo(t, map[string]string{"values.yaml": values(3)})
			head := gitfixture.Git(t, root, "rev-parse", "HEAD")
			gitfixture.Git(t, root, "update-index", "--"+flag, "values.yaml")
			local := strings.Replace(values(3), "value 0", "my local value", 1)
			require.NoError(t, os.WriteFile(filepath.Join(root, "values.yaml"), []byte(local), 0o644))
			require.Equal(t, "", gitfixture.Git(t, root, "status", "--porcelain"), "git status hides the change")
			p := &phase.Phase{Name: "p", Root: root, Git: openRepo(t, root), Steps: []phase.Step{replace("values.yaml", "v1", "v2"), phase.Commit{Message: "bump"}}}
			for _, dry := range []bool{true, false} {
				err := p.Run(t.Context(), phase.Options{DryRun: dry})
				require.ErrorIs(t, err, phase.ErrFlagged)
				require.ErrorContains(t, err, "values.yaml is marked "+flag+": git status shows none of their local changes, and a commit would take them along: clear the flags (git update-index --no-"+flag+" values.yaml)")
				var se *phase.StepError
				require.False(t, errors.As(err, &se), "refused before applying: %v", err)
			}
			require.Equal(t, head, gitfixture.Git(t, root, "rev-parse", "HEAD"))
			require.Equal(t, local, read(t, root, "values.yaml"))
		})
	}
}

// TestLineEndings: with core.autocrlf=true, or a .gitattributes that
// asks for CRLF in the work tree, a checkout is clean (as git status says)
// and a phase's edit of one value commits one changed line, normalised as
// git add would. (The work tree's bytes used to be committed as they are,
// every line changed, or the clean tree refused as dirty.)
func TestLineEndings(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		files  map[string]string
		config []string
	}{
		{"core.autocrlf", map[string]string{}, []string{"core.autocrlf", "true"}},
		{".gitattributes eol=crlf", map[string]string{".gitattributes": "*.yaml text eol=crlf\n"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			files := map[string]string{"a/go.mod": "module a\n"}
			for i := range 5 {
				files[fmt.Sprintf("chart%d/values.yaml", i)] = values(100)
			}
			for p, data := range tc.files {
				files[p] = data
			}
			root := gitRepo(t, files)
			require.NoError(t, gitfixture.AddConfig(filepath.Join(root, ".git", "config"), tc.config...))
			// Check the files out again, with CRLF.
			for i := range 5 {
				require.NoError(t, os.Remove(filepath.Join(root, fmt.Sprintf("chart%d", i), "values.yaml")))
			}
			gitfixture.Git(t, root, "checkout", "--", ".")
			require.Contains(t, read(t, root, "chart0/values.yaml"), "tag: v1\r\n")
			require.Equal(t, "", gitfixture.Git(t, root, "status", "--porcelain"))

			var steps []phase.Step
			for i := range 5 {
				steps = append(steps, replace(fmt.Sprintf("chart%d/values.yaml", i), "tag: v1", "tag: v2"))
			}
			p := &phase.Phase{Name: "p", Root: root, Git: openRepo(t, root), Steps: append(steps, phase.Commit{Message: "bump"})}
			var out strings.Builder
			require.NoError(t, p.Run(t.Context(), phase.Options{Out: &out}), out.String())
			var want []string
			for i := range 5 {
				want = append(want, fmt.Sprintf("1\t1\tchart%d/values.yaml", i))
			}
			require.Equal(t, strings.Join(want, "\n"), gitfixture.Git(t, root, "diff", "--numstat", "HEAD~1", "HEAD"))
			require.Equal(t, strings.Replace(values(100), "v1", "v2", 1), gitfixture.Git(t, root, "show", "HEAD:chart0/values.yaml")+"\n", "stored with LF")
			require.Contains(t, read(t, root, "chart0/values.yaml"), "tag: v2\r\n")
			require.Equal(t, "", gitfixture.Git(t, root, "status", "--porcelain"))
		})
	}
}

// TestCleanFilter: a file with a clean filter (as git-lfs has) is clean
// when git status says so, and is committed as the filter cleans it.
// (The work tree's bytes used to be hashed and committed as they are.)
func TestCleanFilter(t *testing.T) {
	t.Parallel()
	root := gitRepo(t, map[string]string{".gitattributes": "*.txt filter=upper\n", "b.txt": "b: 1\n"},
		"filter.upper.clean", "tr a-z A-Z", "filter.upper.smudge", "cat")
	require.Equal(t, "B: 1", gitfixture.Git(t, root, "show", "HEAD:b.txt"))
	require.Equal(t, "b: 1\n", read(t, root, "b.txt"))
	p := &phase.Phase{Name: "p", Root: root, Git: openRepo(t, root), Steps: []phase.Step{replace("b.txt", "1", "2"), phase.Commit{Message: "bump"}}}
	require.NoError(t, p.Run(t.Context(), phase.Options{}))
	require.Equal(t, "B: 2", gitfixture.Git(t, root, "show", "HEAD:b.txt"))
	require.Equal(t, "", gitfixture.Git(t, root, "status", "--porcelain"))
}

// TestSignedCommits: with commit.gpgsign=true and an ssh signing key, the
// phase's commits are signed, as git commit would sign them, and git
// verify-commit accepts them. (They used to be unsigned.)
func TestSignedCommits(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("ssh-keygen"); err != nil {
		t.Skip("ssh-keygen not found:", err)
	}
	key := filepath.Join(t.TempDir(), "key")
	out, err := exec.Command("ssh-keygen", "-t", "ed25519", "-N", "", "-C", "test", "-f", key, "-q").CombinedOutput()
	require.NoError(t, err, "%s", out)
	pub, err := os.ReadFile(key + ".pub")
	require.NoError(t, err)
	allowed := filepath.Join(t.TempDir(), "allowed_signers")
	require.NoError(t, os.WriteFile(allowed, []byte(gitfixture.Email+" "+string(pub)), 0o644))
	root := gitRepo(t, map[string]string{"values.yaml": values(3)})
	require.NoError(t, gitfixture.AddConfig(filepath.Join(root, ".git", "config"),
		"gpg.format", "ssh", "user.signingkey", key, "gpg.ssh.allowedSignersFile", allowed, "commit.gpgsign", "true"))
	p := &phase.Phase{Name: "p", Root: root, Git: openRepo(t, root), Steps: []phase.Step{
		replace("values.yaml", "v1", "v2"), phase.Commit{Message: "first"},
		replace("values.yaml", "v2", "v3"), phase.Commit{Message: "second"},
	}}
	require.NoError(t, p.Run(t.Context(), phase.Options{}))
	for _, c := range []string{"HEAD", "HEAD~1"} {
		out := gitfixture.Git(t, root, "verify-commit", "-v", c)
		require.Contains(t, out, `Good "git" signature for `+gitfixture.Email, c)
	}
}
