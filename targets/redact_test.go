package targets

import (
	"context"
	"testing"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/fixture"
	"github.com/confidential-containers/release-tools/internal/ghfake"
	"github.com/confidential-containers/release-tools/internal/gitfixture"
	"github.com/confidential-containers/release-tools/internal/magevars"
	"github.com/confidential-containers/release-tools/status"
)

const secret = "ghp_secret"

// secretURLs are URLs of a loopback port nothing listens on, holding a
// token as a password and as a user name (which Go's own URL errors do
// not redact).
func secretURLs(t *testing.T, path string) map[string]string {
	t.Helper()
	addr := closedPort(t)
	return map[string]string{
		"user:token": "https://user:" + secret + "@" + addr + path,
		"token":      "https://" + secret + "@" + addr + path,
	}
}

// setURL points the remote name of the repository at root to url.
func setURL(t *testing.T, root, name, url string) {
	t.Helper()
	repo, err := git.PlainOpen(root)
	require.NoError(t, err)
	c, err := repo.Config()
	require.NoError(t, err)
	if rc := c.Remotes[name]; rc != nil {
		rc.URLs = []string{url}
	} else {
		c.Remotes[name] = &config.RemoteConfig{Name: name, URLs: []string{url}}
	}
	require.NoError(t, repo.SetConfig(c))
}

// requireNoSecret checks that neither what a target printed nor the error
// it returned shows the token, and that the failure names the host.
func requireNoSecret(t *testing.T, out string, err error) {
	t.Helper()
	all := out
	if err != nil {
		all += "\n" + err.Error()
	}
	require.NotContains(t, all, secret)
	require.Contains(t, all, "127.0.0.1:")
}

// TestNoCredentialsShown: a remote or a pull request's push remote whose
// URL holds a token, and cannot be reached, is named in what the targets
// print and in their errors without the token. (GOPROXY holding one is
// TestProxyTargets's, on its tagged world; KATA_REPO holding one is
// internal/e2e's TestNoCredentialsShown, through the compiled frontend.) Each world is shared by the forms of the URL, one
// after the other: the refused runs leave it as it was, or are reset.
func TestNoCredentialsShown(t *testing.T) {
	ctx := context.Background()
	urls := secretURLs(t, "/o/r.git")
	t.Run("origin", func(t *testing.T) {
		t.Parallel()
		w := helmWorld(t, fixture.HelmPostrelease, nil)
		for form, url := range urls {
			setURL(t, w.root, "origin", url)
			t.Run("status/"+form, func(t *testing.T) {
				r, out := w.runner(magevars.Vars{})
				err := r.Status(ctx) // the remote not reached: a check not made, not a pass
				require.ErrorIs(t, err, status.ErrUnchecked, out.String())
				requireNoSecret(t, out.String(), err)
				require.Contains(t, out.String(), "origin not reached (tags: list the tags of origin: Get \"https://***@127.0.0.1:")
			})
			t.Run("tags/"+form, func(t *testing.T) {
				r, out := w.runner(magevars.Vars{})
				err := r.Tags(ctx, fixture.HelmPatchVersion)
				require.Error(t, err)
				requireNoSecret(t, out.String(), err)
			})
		}
	})
	t.Run("pull request push", func(t *testing.T) {
		t.Parallel()
		w := helmWorld(t, fixture.HelmDepsSync, nil)
		for form, url := range urls {
			t.Run("PR_REMOTE/"+form, func(t *testing.T) {
				setURL(t, w.root, "fork", url)
				f := &ghfake.Server{}
				r, out := w.runner(magevars.Vars{SkipGo: true, SkipRegistry: true, PR: true, PRRemote: "fork",
					GitHubToken: ghfake.Token, GitHubAPIURL: ghfake.Start(t, f), GitHubRepository: "confidential-containers/cloud-api-adaptor"})
				err := r.DepsSync(ctx, fixture.HelmKataVersion)
				require.Error(t, err)
				requireNoSecret(t, out.String(), err)
				require.Empty(t, f.CreatedPulls)
				w.reset(t)
			})
		}
		for form, url := range urls {
			t.Run("pushurl/"+form, func(t *testing.T) {
				gitfixture.Git(t, w.root, "config", "remote.origin.pushurl", url)
				f := &ghfake.Server{}
				r, out := w.runner(magevars.Vars{SkipGo: true, SkipRegistry: true, PR: true,
					GitHubToken: ghfake.Token, GitHubAPIURL: ghfake.Start(t, f), GitHubRepository: "o/r"})
				err := r.DepsSync(ctx, fixture.HelmKataVersion)
				require.Error(t, err)
				requireNoSecret(t, out.String(), err)
				w.reset(t)
			})
		}
	})
}
