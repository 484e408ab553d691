package gitrepo

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/confidential-containers/release-tools/internal/gitfixture"
	"github.com/confidential-containers/release-tools/internal/slow"
	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/stretchr/testify/require"
)

// gitInit makes a repository with the git command, files committed on main.
func gitInit(t *testing.T, files map[string]string, config ...string) (string, *git.Repository) {
	t.Helper()
	slow.Git(t)
	root := t.TempDir()
	gitfixture.Git(t, root, "init", "-q", "-b", "main")
	config = append([]string{"user.name", "N", "user.email", "n@example.com", "commit.gpgsign", "false"}, config...)
	require.NoError(t, gitfixture.AddConfig(filepath.Join(root, ".git", "config"), config...))
	for p, data := range files {
		name := filepath.Join(root, filepath.FromSlash(p))
		require.NoError(t, os.MkdirAll(filepath.Dir(name), 0o755))
		require.NoError(t, os.WriteFile(name, []byte(data), 0o644))
	}
	gitfixture.Git(t, root, "add", "-A")
	gitfixture.Git(t, root, "commit", "-q", "-m", "init")
	repo, err := Open(root)
	require.NoError(t, err)
	return root, repo
}

// TestCheckCleanIsGitStatus: the clean check says what git status says,
// staged changes included, with line endings converted as configured,
// and names the files; it writes nothing, not even the refreshed file
// times git status would write into the index.
func TestCheckCleanIsGitStatus(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		config []string
		change func(t *testing.T, root string)
		files  []string // nil: clean
		staged bool
	}{
		{"touched, same bytes", nil, func(t *testing.T, root string) {
			later := time.Now().Add(time.Minute)
			require.NoError(t, os.Chtimes(filepath.Join(root, "a.yaml"), later, later))
		}, nil, false},
		{"deletion staged, file kept", nil, func(t *testing.T, root string) {
			gitfixture.Git(t, root, "rm", "-q", "--cached", "CITATION.cff")
		}, []string{"CITATION.cff"}, true},
		{"modified, a space in the name", nil, func(t *testing.T, root string) {
			require.NoError(t, os.WriteFile(filepath.Join(root, "with space.yaml"), []byte("x\n"), 0o644))
		}, []string{"with space.yaml"}, false},
		{"CRLF checkout with core.autocrlf", []string{"core.autocrlf", "true"}, func(t *testing.T, root string) {
			require.NoError(t, os.Remove(filepath.Join(root, "a.yaml")))
			gitfixture.Git(t, root, "checkout", "--", "a.yaml")
			data, err := os.ReadFile(filepath.Join(root, "a.yaml"))
			require.NoError(t, err)
			require.Equal(t, "a: 1\r\n", string(data))
		}, nil, false},
		{"skip-worktree with a local edit: git status hides it", nil, func(t *testing.T, root string) {
			gitfixture.Git(t, root, "update-index", "--skip-worktree", "a.yaml")
			require.NoError(t, os.WriteFile(filepath.Join(root, "a.yaml"), []byte("a: local\n"), 0o644))
		}, nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			root, repo := gitInit(t, map[string]string{"a.yaml": "a: 1\n", "CITATION.cff": "c\n", "with space.yaml": "w\n"}, tc.config...)
			tc.change(t, root)
			index := filepath.Join(root, ".git", "index")
			before, err := os.Stat(index)
			require.NoError(t, err)
			err = CheckClean(repo, root)
			after, serr := os.Stat(index)
			require.NoError(t, serr)
			require.Equal(t, before.ModTime(), after.ModTime(), "the index is not written")
			if tc.files == nil {
				require.NoError(t, err)
				require.Equal(t, "", gitfixture.Git(t, root, "status", "--porcelain", "--untracked-files=no"))
			} else {
				var dirty *DirtyError
				require.ErrorAs(t, err, &dirty)
				require.ErrorIs(t, err, ErrDirty)
				require.Equal(t, tc.files, dirty.Files)
				require.Equal(t, tc.staged, dirty.Staged)
			}
		})
	}
}

// TestCheckFlags: a path marked skip-worktree or assume-unchanged (or
// both) is refused, naming the flag and how to clear it; other paths,
// untracked ones and ones that do not exist pass.
func TestCheckFlags(t *testing.T) {
	t.Parallel()
	root, _ := gitInit(t, map[string]string{"a.yaml": "a\n", "b.yaml": "b\n", "c.yaml": "c\n", "d.yaml": "d\n"})
	gitfixture.Git(t, root, "update-index", "--skip-worktree", "a.yaml", "c.yaml")
	gitfixture.Git(t, root, "update-index", "--assume-unchanged", "b.yaml", "c.yaml")
	require.NoError(t, CheckFlags(root, []string{"d.yaml", "new/file.yaml", "*.yaml"}))
	require.NoError(t, CheckFlags(root, nil))
	err := CheckFlags(root, []string{"a.yaml", "b.yaml", "c.yaml", "d.yaml"})
	require.ErrorIs(t, err, ErrFlagged)
	require.EqualError(t, err, "a.yaml is marked skip-worktree, b.yaml is marked assume-unchanged, c.yaml is marked skip-worktree, c.yaml is marked assume-unchanged: "+
		"git status shows none of their local changes, and a commit would take them along: clear the flags "+
		"(git update-index --no-skip-worktree a.yaml c.yaml; git update-index --no-assume-unchanged b.yaml c.yaml), check git status, and run again")
}

// TestCommitIsHeadPlusPaths: a commit is the branch's tree plus exactly
// the paths given, whatever the index holds (a staged deletion, a staged
// edit), and a file the phase created is committed even when .gitignore
// names it; landing moves only those paths' index entries, so what the
// user staged stays staged.
func TestCommitIsHeadPlusPaths(t *testing.T) {
	t.Parallel()
	root, repo := gitInit(t, map[string]string{".gitignore": "*.lock\n", "a.yaml": "a: 1\n", "CITATION.cff": "c\n", "notes.txt": "n\n"})
	gitfixture.Git(t, root, "rm", "-q", "--cached", "CITATION.cff")
	require.NoError(t, os.WriteFile(filepath.Join(root, "notes.txt"), []byte("mine\n"), 0o644))
	gitfixture.Git(t, root, "add", "notes.txt")
	require.NoError(t, os.WriteFile(filepath.Join(root, "a.yaml"), []byte("a: 2\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(root, "Chart.lock"), []byte("lock\n"), 0o644))

	c, err := NewCommits(repo, root)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	_, err = c.Commit([]string{"a.yaml", "Chart.lock"}, "m\n", &object.Signature{Name: "N", Email: "n@example.com", When: time.Now()})
	require.NoError(t, err)
	moved, err := c.Land()
	require.NoError(t, err)
	require.True(t, moved)
	require.Equal(t, "A\tChart.lock\nM\ta.yaml", gitfixture.Git(t, root, "diff", "--name-status", "HEAD~1", "HEAD"))
	require.Equal(t, "D  CITATION.cff\nM  notes.txt", gitfixture.Git(t, root, "status", "--porcelain", "--untracked-files=no"))
}
