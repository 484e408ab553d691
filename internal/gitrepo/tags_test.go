package gitrepo

import (
	"testing"

	git "github.com/go-git/go-git/v5"
	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/gitfixture"
	"github.com/confidential-containers/release-tools/internal/slow"
)

// TestCreateDeleteTags: lightweight tags are made and deleted all or
// none: one that exists stops every creation, one that moved every
// deletion.
func TestCreateDeleteTags(t *testing.T) {
	slow.Git(t)
	root := t.TempDir()
	repo, err := gitfixture.Init(root, map[string][]byte{"a.txt": []byte("a\n")}, "init")
	require.NoError(t, err)
	first := head(t, repo)
	second, err := gitfixture.Commit(repo, map[string][]byte{"a.txt": []byte("b\n")}, "second")
	require.NoError(t, err)

	require.NoError(t, CreateTags(root, []string{"src/a/v1.0.0", "v1.0.0"}, first))
	tags := func() map[string]string {
		t.Helper()
		got, err := LocalTags(repo)
		require.NoError(t, err)
		return got
	}
	require.Equal(t, map[string]string{"src/a/v1.0.0": first, "v1.0.0": first}, tags())

	err = CreateTags(root, []string{"src/b/v1.0.0", "v1.0.0"}, second.String())
	require.ErrorContains(t, err, "refs/tags/v1.0.0")
	require.Equal(t, map[string]string{"src/a/v1.0.0": first, "v1.0.0": first}, tags(), "none made, none moved")

	err = DeleteTags(root, map[string]string{"src/a/v1.0.0": first, "v1.0.0": second.String()})
	require.ErrorContains(t, err, "refs/tags/v1.0.0")
	require.Equal(t, map[string]string{"src/a/v1.0.0": first, "v1.0.0": first}, tags(), "none deleted")

	require.NoError(t, DeleteTags(root, map[string]string{"src/a/v1.0.0": first, "v1.0.0": first}))
	require.Empty(t, tags())
}

func head(t *testing.T, repo *git.Repository) string {
	t.Helper()
	h, err := repo.Head()
	require.NoError(t, err)
	return h.Hash().String()
}
