package e2e_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/fixture"
)

// TestLinksFromGitHub: a link the tool prints comes from GitHub's answer
// (html_url) or from the remote the user's git talks to, never from
// GITHUB_API_URL (here the fake's loopback address, which printed
// https://127.0.0.1:<port>/.../compare/...).
func TestLinksFromGitHub(t *testing.T) {
	t.Parallel()
	w := newWorld(t, fixture.HelmPatch, []string{fixture.HelmKataVersion})
	out := w.mage(t, nil, "image:unpin")
	require.NotContains(t, out, "127.0.0.1")
	require.Contains(t, out, "then open a pull request from release/image-unpin into main on GitHub")

	w.git(t, "reset", "-q", "--hard", "HEAD~1")
	out = w.mage(t, []string{"PR=1"}, "image:unpin")
	require.NotContains(t, out, "127.0.0.1")
	require.Contains(t, out, "into main: https://github.com/confidential-containers/cloud-api-adaptor/pull/1")
}
