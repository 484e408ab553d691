package gitrepo

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/gitfixture"
	"github.com/confidential-containers/release-tools/internal/slow"
)

// TestOpenRefusesSHA256: a SHA-256 repository is refused by Open and
// CheckObjectFormat in one sentence wrapping ErrObjectFormat (go-git
// cannot read it); a SHA-1 one and a directory that is no repository pass
// the check.
func TestOpenRefusesSHA256(t *testing.T) {
	slow.Git(t)
	t.Parallel()
	root := t.TempDir()
	gitfixture.Git(t, root, "init", "-q", "--object-format=sha256", "-b", "main")
	want := root + " is a SHA-256 repository (git init --object-format=sha256) and release-tools reads SHA-1 repositories only: run it in a SHA-1 clone of the project"
	_, err := Open(root)
	require.ErrorIs(t, err, ErrObjectFormat)
	require.EqualError(t, err, want)
	require.EqualError(t, CheckObjectFormat(root), want)

	sha1 := t.TempDir()
	gitfixture.Git(t, sha1, "init", "-q", "--object-format=sha1", "-b", "main")
	require.NoError(t, CheckObjectFormat(sha1))
	require.NoError(t, CheckObjectFormat(t.TempDir()))
}
