package publish

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/gitfixture"
)

// TestWorkflowsNote: a release's commit that changes .github/workflows
// since the previous release is said before the release is created; one
// that does not, nothing; a previous tag not here, not checked.
func TestWorkflowsNote(t *testing.T) {
	root := t.TempDir()
	repo, err := gitfixture.Init(root, map[string][]byte{".github/workflows/a.yaml": []byte("a\n"), "README": []byte("r\n")}, "first")
	require.NoError(t, err)
	first, err := repo.Head()
	require.NoError(t, err)
	_, err = repo.CreateTag("v0.1.0", first.Hash(), nil)
	require.NoError(t, err)
	same, err := gitfixture.Commit(repo, map[string][]byte{"README": []byte("r2\n")}, "readme")
	require.NoError(t, err)
	changed, err := gitfixture.Commit(repo, map[string][]byte{".github/workflows/b.yaml": []byte("b\n")}, "a workflow")
	require.NoError(t, err)

	note := func(prev, commit string) string {
		var b strings.Builder
		workflowsNote(context.Background(), root, prev, commit, &b)
		return b.String()
	}
	require.Empty(t, note("v0.1.0", same.String()))
	require.Empty(t, note("", changed.String()))
	require.Equal(t, "github: "+changed.String()[:12]+" changes .github/workflows since v0.1.0 (.github/workflows/b.yaml): the token needs the workflow permission (a fine-grained token's Workflows: write, a classic one's workflow scope), or GitHub answers 404 to creating the release's tag on it\n",
		note("v0.1.0", changed.String()))
	require.Contains(t, note("v0.0.9", changed.String()), "github: not checked whether "+changed.String()[:12]+" changes .github/workflows since v0.0.9")
}
