package e2e_test

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/fixture"
)

// TestCommitHooks: the tool's commits run the repository's pre-commit and
// commit-msg hooks from core.hooksPath, as git commit does. A pre-commit
// that fails stops image:unpin with its output shown, every file restored
// and main unmoved; once it passes (seeing the phase's staged files),
// commit-msg's trailer is in the commit. The link it prints (a pull
// request to open) names the remote the user's git talks to, never
// GITHUB_API_URL (the fake's loopback address, which printed
// https://127.0.0.1:<port>/.../compare/...); TestBranchNamesAsGit checks
// the link of a pull request opened, from GitHub's html_url.
func TestCommitHooks(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("the hooks are shell scripts")
	}
	w := newWorld(t, fixture.HelmPatch, []string{fixture.HelmKataVersion})
	hooks := t.TempDir()
	w.git(t, "config", "core.hooksPath", hooks)
	hook := func(name, script string) {
		require.NoError(t, os.WriteFile(filepath.Join(hooks, name), []byte("#!/bin/sh\n"+script), 0o755))
	}
	base := w.rev(t, "HEAD")

	hook("pre-commit", "echo 'yamllint: values.yaml: trailing spaces'\nexit 1\n")
	out, err := w.try(t, nil, "image:unpin")
	require.Error(t, err, out)
	require.Contains(t, out, "the pre-commit hook ("+filepath.Join(hooks, "pre-commit")+") refused the commit: exit status 1; it said:\nyamllint: values.yaml: trailing spaces")
	require.Contains(t, out, "restored")
	requireUnmoved(t, w, base)

	hook("pre-commit", "echo \"pre-commit checked $(git diff --cached --name-only | grep -c peerpods/values.yaml) values file\"\n")
	hook("commit-msg", "printf '\\nReviewed-by: Hook <hook@example.com>\\n' >> \"$1\"\n")
	out = w.mage(t, nil, "image:unpin")
	require.Contains(t, out, "pre-commit checked 1 values file")
	require.NotContains(t, out, "127.0.0.1")
	require.Contains(t, out, "then open a pull request from release/image-unpin into main on GitHub")
	require.Equal(t, base, w.rev(t, "HEAD~1"))
	require.Contains(t, w.git(t, "log", "-1", "--format=%B"), "\n\nReviewed-by: Hook <hook@example.com>")
	require.Empty(t, w.git(t, "status", "--porcelain"))
}
