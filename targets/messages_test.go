package targets

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/fixture"
	"github.com/confidential-containers/release-tools/internal/ghfake"
	"github.com/confidential-containers/release-tools/internal/magevars"
)

// TestMessages: the messages a release manager saw in a real cycle, put
// right.
func TestMessages(t *testing.T) {
	ctx := t.Context()

	// The PR's body says how many commits it has: the phase's one and the
	// two the local main had before it.
	t.Run("the merge step counts the PR's commits", func(t *testing.T) {
		t.Parallel()
		w := newWorld(t, fixture.KataSync)
		commitHere(t, w, "NOTES", "a first local commit")
		commitHere(t, w, "NOTES2", "a second local commit")
		f := &ghfake.Server{}
		r, out := w.runner(magevars.Vars{SkipGo: true, PR: true, GitHubToken: ghfake.Token, GitHubAPIURL: ghfake.Start(t, f), GitHubRepository: "o/r"})
		require.NoError(t, r.DepsSync(ctx, fixture.KataVersion), out.String())
		require.Len(t, f.CreatedPulls, 1)
		require.Contains(t, f.CreatedPulls[0].Body, "merge the PR with its 3 commits\n")
		require.NotContains(t, f.CreatedPulls[0].Body, "this commit")
	})

	// A proxy that answers 403 refused: it was reached. Then, on the same
	// world, PUSH=1 tags pushes the tags: no git commands to run by hand.
	t.Run("a proxy's 403 is a refusal; tags with PUSH=1 prints no commands by hand", func(t *testing.T) {
		t.Parallel()
		proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "forbidden", http.StatusForbidden)
		}))
		defer proxy.Close()
		w := helmWorld(t, fixture.HelmPostrelease, nil)
		r, out := w.runner(magevars.Vars{Push: true})
		r.Vars.GoProxy = proxy.URL
		err := r.Tags(ctx, fixture.HelmPatchVersion)
		require.ErrorContains(t, err, "refused by the proxy: "+proxy.URL+" answered 403 Forbidden")
		require.NotContains(t, err.Error()+out.String(), "unreachable")
		requireNoTags(t, w)

		r, out = w.runner(magevars.Vars{})
		require.NoError(t, r.Tags(ctx, fixture.HelmPatchVersion), out.String())
		require.Contains(t, out.String(), "by hand:\n")
		r, out = w.runner(magevars.Vars{Push: true})
		require.NoError(t, r.Tags(ctx, fixture.HelmPatchVersion), out.String())
		require.Contains(t, out.String(), "tags: pushed 5 tags to origin")
		require.NotContains(t, out.String(), "by hand")
		require.NotContains(t, out.String(), "git push")
	})
}
