package gitrepo

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/gitfixture"
)

// writeHook writes an executable shell hook.
func writeHook(t *testing.T, dir, name, script string) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("the hooks are shell scripts")
	}
	require.NoError(t, os.MkdirAll(dir, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\n"+script), 0o755))
}

// TestHooksRunAsGitCommit: with core.hooksPath relative to the work tree,
// pre-commit sees the phase's staged paths through GIT_INDEX_FILE and what
// it stages is committed; commit-msg's change to the message is kept;
// what they print goes to Out; a hook that is not executable is skipped
// with git's hint.
func TestHooksRunAsGitCommit(t *testing.T) {
	t.Parallel()
	root, repo := gitInit(t, map[string]string{"a.yaml": "a: 1\n", "b.txt": "b\n"}, "core.hooksPath", "hooks")
	hooks := filepath.Join(root, "hooks")
	writeHook(t, hooks, "pre-commit", `echo "pre-commit saw $(git diff --cached --name-only)"
echo formatted > b.txt && git add b.txt
`)
	writeHook(t, hooks, "commit-msg", `printf '\nReviewed-by: Hook <hook@example.com>\n' >> "$1"`+"\n")
	require.NoError(t, os.WriteFile(filepath.Join(hooks, "prepare-commit-msg"), []byte("#!/bin/sh\nexit 1\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(root, "a.yaml"), []byte("a: 2\n"), 0o644))

	c, err := NewCommits(repo, root)
	require.NoError(t, err)
	defer c.Close()
	var out strings.Builder
	c.Out = &out
	h, err := c.Commit([]string{"a.yaml"}, "release: a\n\nSigned-off-by: N <n@example.com>\n", &object.Signature{Name: "N", Email: "n@example.com", When: time.Now()})
	require.NoError(t, err)
	require.Contains(t, out.String(), "pre-commit saw a.yaml\n")
	require.Contains(t, out.String(), "hint: The '"+filepath.Join(hooks, "prepare-commit-msg")+"' hook was ignored because it's not set as executable.")
	require.Equal(t, "release: a\n\nSigned-off-by: N <n@example.com>\n\nReviewed-by: Hook <hook@example.com>", gitfixture.Git(t, root, "log", "-1", "--format=%B", h.String()))
	require.Equal(t, "formatted", gitfixture.Git(t, root, "show", h.String()+":b.txt"))
	moved, err := c.Land()
	require.NoError(t, err)
	require.True(t, moved)
}

// TestFailingHookCommitsNothing: a pre-commit or commit-msg hook that
// exits non-zero is a *HookError with what it printed, and nothing is
// committed; the hooks directory is .git/hooks without core.hooksPath.
func TestFailingHookCommitsNothing(t *testing.T) {
	t.Parallel()
	for _, hook := range []string{"pre-commit", "commit-msg"} {
		t.Run(hook, func(t *testing.T) {
			root, repo := gitInit(t, map[string]string{"a.yaml": "a: 1\n"})
			writeHook(t, filepath.Join(root, ".git", "hooks"), hook, "echo 'lint: a.yaml is not formatted' >&2\nexit 3\n")
			require.NoError(t, os.WriteFile(filepath.Join(root, "a.yaml"), []byte("a: 2\n"), 0o644))
			c, err := NewCommits(repo, root)
			require.NoError(t, err)
			defer c.Close()
			_, err = c.Commit([]string{"a.yaml"}, "m\n", &object.Signature{Name: "N", Email: "n@example.com", When: time.Now()})
			require.ErrorIs(t, err, ErrHook)
			var he *HookError
			require.ErrorAs(t, err, &he)
			require.Equal(t, hook, he.Hook)
			require.EqualError(t, err, "commit hook failed: the "+hook+" hook ("+filepath.Join(root, ".git", "hooks", hook)+") refused the commit: exit status 3; it said:\nlint: a.yaml is not formatted")
			require.False(t, c.Pending())
		})
	}
}
