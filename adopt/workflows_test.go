package adopt_test

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/confidential-containers/release-tools/adopt"
)

var (
	pinned = regexp.MustCompile(`^[\w.-]+/[\w./-]+@[0-9a-f]{40}$`)
	expr   = regexp.MustCompile(`\$\{\{`)
)

// TestWorkflowsZizmorRules checks the rules of zizmor's auditor persona
// that cloud-api-adaptor's zizmor.yaml enforces: every action pinned to a
// full commit with its version in a comment, permissions: {} at the top
// and declared and commented per job, persist-credentials: false on
// checkout, no ${{ }} inside a run: script, a concurrency group, every
// workflow and job named.
func TestWorkflowsZizmorRules(t *testing.T) {
	for name, data := range adopt.Workflows() {
		t.Run(name, func(t *testing.T) {
			var doc yaml.Node
			require.NoError(t, yaml.Unmarshal(data, &doc))
			var w struct {
				Name        string
				Permissions map[string]string
				Concurrency struct {
					Group            string
					CancelInProgress *bool `yaml:"cancel-in-progress"`
				}
				Jobs map[string]struct {
					Name        string
					Permissions yaml.Node
					Steps       []struct {
						Name string
						Uses string
						With map[string]any
						Run  string
					}
				}
			}
			require.NoError(t, doc.Decode(&w))
			require.NotEmpty(t, w.Name)
			require.NotNil(t, w.Permissions, "permissions: {} at the top")
			require.Empty(t, w.Permissions)
			require.Equal(t, "release-tools", w.Concurrency.Group)
			require.NotNil(t, w.Concurrency.CancelInProgress)
			require.False(t, *w.Concurrency.CancelInProgress, "a run is never cancelled half-way")
			require.NotEmpty(t, w.Jobs)
			for id, job := range w.Jobs {
				require.NotEmpty(t, job.Name, id)
				require.Equal(t, yaml.MappingNode, job.Permissions.Kind, "%s: permissions declared", id)
				for i := 0; i < len(job.Permissions.Content); i += 2 {
					k, v := job.Permissions.Content[i], job.Permissions.Content[i+1]
					require.Contains(t, []string{"read", "write"}, v.Value, "%s: %s", id, k.Value)
					require.NotEmpty(t, v.LineComment, "%s: permission %s says why", id, k.Value)
				}
				for _, s := range job.Steps {
					require.NotEmpty(t, s.Name, id)
					if s.Uses != "" {
						require.Regexp(t, pinned, s.Uses, "%s: %s: pinned to a commit", id, s.Name)
					}
					if strings.HasPrefix(s.Uses, "actions/checkout@") {
						require.Equal(t, false, s.With["persist-credentials"], "%s: %s", id, s.Name)
					}
					require.NotRegexp(t, expr, s.Run, "%s: %s: no expression in a script", id, s.Name)
				}
			}
			// Each pin carries its version as a comment.
			for _, line := range strings.Split(string(data), "\n") {
				if _, uses, ok := strings.Cut(line, "uses: "); ok {
					require.Regexp(t, `@[0-9a-f]{40} # v\d+\.\d+\.\d+$`, uses)
				}
			}
		})
	}
}

// TestWorkflowsRelease: the release-tools workflow offers the phases and
// runs the documented command with PR=1 unless it only plans.
func TestWorkflowsRelease(t *testing.T) {
	data := string(adopt.Workflows()[".github/workflows/release-tools.yaml"])
	for _, p := range []string{"status", "deps:sync", "release", "tags", "github:release", "postrelease"} {
		require.Contains(t, data, "          - "+p+"\n")
	}
	require.Contains(t, data, "export PR=1 PUSH=1\n")
	require.Contains(t, data, adopt.Command+` "$TARGET" "${args[@]}"`)
	require.Contains(t, data, "RELEASE_TOOLS_TOKEN: ${{ secrets.RELEASE_TOOLS_TOKEN }}\n")
	sync := string(adopt.Workflows()[".github/workflows/kata-deps-sync.yaml"])
	require.Contains(t, sync, "PR: \"1\"\n")
	require.Contains(t, sync, "run: "+adopt.Command+" deps:sync latest\n")
	require.Contains(t, sync, "  schedule:\n")
}

// TestWriteWorkflows: the workflows are written beside the files already
// there, and never over one: then none is written.
func TestWriteWorkflows(t *testing.T) {
	root := t.TempDir()
	other := filepath.Join(root, ".github", "workflows", "other.yaml")
	require.NoError(t, os.MkdirAll(filepath.Dir(other), 0o755))
	require.NoError(t, os.WriteFile(other, []byte("x"), 0o644))
	require.NoError(t, adopt.WriteWorkflows(root, adopt.Workflows()))
	for name, data := range adopt.Workflows() {
		got, err := os.ReadFile(filepath.Join(root, name))
		require.NoError(t, err)
		require.Equal(t, string(data), string(got))
	}

	root = t.TempDir()
	sync := filepath.Join(root, ".github", "workflows", "kata-deps-sync.yaml")
	require.NoError(t, os.MkdirAll(filepath.Dir(sync), 0o755))
	require.NoError(t, os.WriteFile(sync, []byte("mine"), 0o644))
	err := adopt.WriteWorkflows(root, adopt.Workflows())
	require.True(t, errors.Is(err, adopt.ErrWorkflowExists), "%v", err)
	require.ErrorContains(t, err, ".github/workflows/kata-deps-sync.yaml")
	require.NoFileExists(t, filepath.Join(root, ".github", "workflows", "release-tools.yaml"))
	got, err := os.ReadFile(sync)
	require.NoError(t, err)
	require.Equal(t, "mine", string(got))
}
