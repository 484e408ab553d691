package targets

import (
	"context"
	"io"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/actions"
	"github.com/confidential-containers/release-tools/internal/magevars"
)

// TestOwnToken: with Actions' own token, what it cannot do is refused
// before anything is asked or written: the branch lock (administration),
// a release (GitHub starts no workflow for it); a release planned only is
// a warning. With RELEASE_TOOLS_TOKEN, or outside Actions, nothing.
func TestOwnToken(t *testing.T) {
	ctx := context.Background()
	own := actions.Env{On: true, OwnToken: true}
	stdout := os.Stdout
	t.Cleanup(func() { os.Stdout = stdout })
	os.Stdout, _ = os.Open(os.DevNull)

	r := &runner{Root: t.TempDir(), Out: io.Discard, Actions: own, Vars: magevars.Vars{Push: true}}
	require.ErrorContains(t, r.GitHubLock(ctx, true), "Actions' own GITHUB_TOKEN cannot do this: the branch lock needs the administration permission")
	require.ErrorContains(t, r.GitHubLock(ctx, false), "administration")
	require.ErrorContains(t, r.GitHubRelease(ctx, "v0.21.0"), "GitHub starts no workflow for a release GITHUB_TOKEN creates, so the release workflow (on: release) would not publish it; nothing created")
	require.ErrorIs(t, r.ownToken("release"), errOwnToken)
	r.Vars.Push = false
	require.NoError(t, r.ownToken("release"), "planned only: a warning")
	require.NoError(t, r.ownToken("pr"))
	for _, env := range []actions.Env{{On: true}, {}} {
		r := &runner{Actions: env, Vars: magevars.Vars{Push: true}}
		require.NoError(t, r.ownToken("lock"))
		require.NoError(t, r.ownToken("release"))
	}
}
