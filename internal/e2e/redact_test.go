package e2e_test

import (
	"net"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/fixture"
)

// TestNoCredentialsShown: KATA_REPO, or the origin, given as a URL that
// holds a token and cannot be reached, is named by the compiled frontend
// without the token, in its output and its error; nothing is written.
func TestNoCredentialsShown(t *testing.T) {
	t.Parallel()
	w := newWorld(t, fixture.HelmDepsSync, []string{fixture.HelmKataVersion})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close()) // nothing listens there
	const secret = "ghp_secret"
	base := w.rev(t, "HEAD")

	for _, url := range []string{"https://user:" + secret + "@" + addr + "/kata.git", "https://" + secret + "@" + addr + "/kata.git"} {
		out, err := w.try(t, []string{"KATA_REPO=" + url, "SKIP_REGISTRY=1"}, "deps:sync", fixture.HelmKataVersion)
		require.Error(t, err, out)
		require.NotContains(t, out, secret)
		require.Contains(t, out, "reading Kata Containers' versions.yaml at 3.31.0 from https://***@"+addr+"/kata.git")
		require.Equal(t, base, w.rev(t, "HEAD"))
		require.Empty(t, w.git(t, "status", "--porcelain"))
	}

	w.git(t, "remote", "set-url", "origin", "https://"+secret+"@"+addr+"/caa.git")
	out, _ := w.try(t, []string{"SKIP_REGISTRY=1"}, "status")
	require.NotContains(t, out, secret)
	require.Contains(t, out, "https://***@"+addr)
}
