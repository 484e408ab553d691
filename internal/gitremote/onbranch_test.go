package gitremote

import (
	"io"
	"net/http/cgi"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"testing"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/gitfixture"
)

// TestOnRemoteBranch: over HTTP (git http-backend on loopback), the head
// of the remote's main is on it, a commit nobody has is ErrNoCommit, and
// a head the local repository has not fetched is ErrHeadNotFetched.
func TestOnRemoteBranch(t *testing.T) {
	backend, err := exec.LookPath("git")
	if err != nil {
		t.Skip("no git for git http-backend")
	}
	ctx := t.Context()
	base := t.TempDir()
	root, bare := filepath.Join(base, "work"), filepath.Join(base, "remote.git")
	repo, err := gitfixture.WithRemote(root, bare, map[string][]byte{"a.txt": []byte("a\n")}, "first")
	require.NoError(t, err)
	h, err := repo.Head()
	require.NoError(t, err)
	first := h.Hash().String()

	srv := httptest.NewServer(&cgi.Handler{Path: backend, Args: []string{"http-backend"}, Stderr: io.Discard,
		Env: []string{"GIT_PROJECT_ROOT=" + base, "GIT_HTTP_EXPORT_ALL=1"}})
	defer srv.Close()
	require.NoError(t, repo.DeleteRemote("origin"))
	_, err = repo.CreateRemote(&config.RemoteConfig{Name: "origin", URLs: []string{srv.URL + "/remote.git"}})
	require.NoError(t, err)

	head, err := OnRemoteBranch(ctx, repo, "origin", "main", first)
	require.NoError(t, err)
	require.Equal(t, first, head)
	_, err = OnRemoteBranch(ctx, repo, "origin", "main", "0000000000000000000000000000000000000000")
	require.ErrorIs(t, err, ErrNoCommit)

	// Someone else pushes to the remote's main: this repository lacks the head.
	other, err := gitfixture.Init(filepath.Join(base, "other"), map[string][]byte{"b.txt": []byte("b\n")}, "other")
	require.NoError(t, err)
	require.NoError(t, gitfixture.AddRemote(other, "origin", "file://"+bare))
	require.NoError(t, other.Push(&git.PushOptions{RemoteName: "origin", RefSpecs: []config.RefSpec{"+refs/heads/main:refs/heads/main"}}))
	_, err = OnRemoteBranch(ctx, repo, "origin", "main", first)
	require.ErrorIs(t, err, ErrHeadNotFetched)
	require.ErrorContains(t, err, "origin/main is at ")
}
