package gitremote

import (
	"io"
	"net/http/cgi"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/gitfixture"
)

// TestHasCommit: a commit of the repository is found, read in place (a
// path, a file:// URL) or asked of a server over HTTP (git http-backend
// on loopback); the zero hash and a commit it lacks are ErrNoCommit; a
// server that cannot be reached is another error.
func TestHasCommit(t *testing.T) {
	ctx := t.Context()
	dir := filepath.Join(t.TempDir(), "kata")
	repo, err := gitfixture.Releases(dir, gitfixture.Release{Tag: "3.31.0", Files: map[string][]byte{"versions.yaml": []byte("a: 1\n")}})
	require.NoError(t, err)
	head, err := repo.Head()
	require.NoError(t, err)
	sha := head.Hash().String()
	missing := "0123456789abcdef0123456789abcdef01234567"
	zero := "0000000000000000000000000000000000000000"

	urls := []string{dir, "file://" + dir}
	if backend, err := exec.LookPath("git"); err == nil {
		require.NoError(t, exec.Command("git", "-C", dir, "config", "uploadpack.allowReachableSHA1InWant", "true").Run())
		srv := httptest.NewServer(&cgi.Handler{Path: backend, Args: []string{"http-backend"}, Stderr: io.Discard,
			Env: []string{"GIT_PROJECT_ROOT=" + filepath.Dir(dir), "GIT_HTTP_EXPORT_ALL=1"}})
		defer srv.Close()
		urls = append(urls, srv.URL+"/kata")
	}
	for _, url := range urls {
		require.NoError(t, HasCommit(ctx, url, sha), url)
		for _, bad := range []string{missing, zero} {
			err := HasCommit(ctx, url, bad)
			require.ErrorIs(t, err, ErrNoCommit, url)
			require.ErrorContains(t, err, bad)
		}
	}
	err = HasCommit(ctx, "http://127.0.0.1:1/kata", sha)
	require.Error(t, err)
	require.NotErrorIs(t, err, ErrNoCommit)
}
