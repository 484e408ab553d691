package adoptrun_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rhysd/actionlint"
	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/adopt"
	"github.com/confidential-containers/release-tools/internal/adoptrun"
)

// TestWorkflows: adopt -workflows in a tree adopted already writes the
// two workflows alone, and they pass actionlint as cloud-api-adaptor's
// actionlint.yaml runs it (shellcheck on the run: scripts too when it is
// installed); run again, it refuses and writes nothing. In a tree not
// adopted yet it writes .mage/ and the workflows.
func TestWorkflows(t *testing.T) {
	getenv := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}("RELEASE_TOOLS_VERSION", "v0.3.0", "SKIP_GO", "1")
	ctx := context.Background()

	root := t.TempDir()
	var out strings.Builder
	require.NoError(t, adoptrun.Run{Root: root, Out: &out}.Main(ctx, getenv, ""))
	gomod, err := os.ReadFile(filepath.Join(root, adopt.Dir, "go.mod"))
	require.NoError(t, err)
	out.Reset()
	require.NoError(t, adoptrun.Run{Root: root, Out: &out, Workflows: true}.Main(ctx, getenv, ""), out.String())
	require.Contains(t, out.String(), "adopt: wrote .github/workflows/kata-deps-sync.yaml\nadopt: wrote .github/workflows/release-tools.yaml\n")
	require.Contains(t, out.String(), "add the secret RELEASE_TOOLS_TOKEN")
	again, err := os.ReadFile(filepath.Join(root, adopt.Dir, "go.mod"))
	require.NoError(t, err)
	require.Equal(t, string(gomod), string(again), ".mage/ left alone")

	shellcheck, _ := exec.LookPath("shellcheck")
	t.Logf("shellcheck: %q", shellcheck)
	var lint strings.Builder
	l, err := actionlint.NewLinter(&lint, &actionlint.LinterOptions{Shellcheck: shellcheck, WorkingDir: root})
	require.NoError(t, err)
	for name, want := range adopt.Workflows() {
		p := filepath.Join(root, filepath.FromSlash(name))
		got, err := os.ReadFile(p)
		require.NoError(t, err)
		require.Equal(t, string(want), string(got))
		errs, err := l.LintFile(p, nil)
		require.NoError(t, err)
		require.Empty(t, errs, "%s:\n%s", name, lint.String())
	}

	// Again: refused, nothing written.
	sync := filepath.Join(root, ".github", "workflows", "kata-deps-sync.yaml")
	require.NoError(t, os.WriteFile(sync, []byte("mine"), 0o644))
	err = adoptrun.Run{Root: root, Out: &out, Workflows: true}.Main(ctx, getenv, "")
	require.ErrorIs(t, err, adopt.ErrWorkflowExists)
	require.ErrorContains(t, err, ".github/workflows/kata-deps-sync.yaml, .github/workflows/release-tools.yaml; nothing written")
	got, err := os.ReadFile(sync)
	require.NoError(t, err)
	require.Equal(t, "mine", string(got))

	// A tree not adopted yet: .mage/ and the workflows; with a workflow
	// there already, neither.
	fresh := t.TempDir()
	out.Reset()
	require.NoError(t, adoptrun.Run{Root: fresh, Out: &out, Workflows: true}.Main(ctx, getenv, ""), out.String())
	for _, name := range append(adopt.Names(adopt.Workflows()), ".mage/go.mod") {
		require.FileExists(t, filepath.Join(fresh, filepath.FromSlash(name)))
	}
	taken := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(taken, ".github", "workflows"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(taken, ".github", "workflows", "release-tools.yaml"), nil, 0o644))
	err = adoptrun.Run{Root: taken, Out: &out, Workflows: true}.Main(ctx, getenv, "")
	require.ErrorIs(t, err, adopt.ErrWorkflowExists)
	require.NoDirExists(t, filepath.Join(taken, adopt.Dir))
}
