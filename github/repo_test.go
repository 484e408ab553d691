package github_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/github"
)

func TestParseRemote(t *testing.T) {
	caa := github.Remote{Host: "github.com", Owner: "confidential-containers", Repo: "cloud-api-adaptor"}
	for remote, want := range map[string]github.Remote{
		"https://github.com/confidential-containers/cloud-api-adaptor":                        caa,
		"https://github.com/confidential-containers/cloud-api-adaptor.git":                    caa,
		"https://github.com/confidential-containers/cloud-api-adaptor/":                       caa,
		"https://x-access-token:t0k@github.com/confidential-containers/cloud-api-adaptor.git": caa,
		"git@github.com:confidential-containers/cloud-api-adaptor.git":                        caa,
		"github.com:confidential-containers/cloud-api-adaptor":                                caa,
		"ssh://git@github.com/confidential-containers/cloud-api-adaptor.git":                  caa,
		"ssh://git@GitHub.com:22/confidential-containers/cloud-api-adaptor.git":               caa,
		"git://github.com/confidential-containers/cloud-api-adaptor.git":                      caa,
		"https://ghe.example.com/Org-1/repo_name.v2.git":                                      {Host: "ghe.example.com", Owner: "Org-1", Repo: "repo_name.v2"},
	} {
		got, err := github.ParseRemote(remote)
		require.NoError(t, err, remote)
		require.Equal(t, want, got, remote)
	}
	for remote, msg := range map[string]string{
		"/tmp/remote.git":                      `remote "/tmp/remote.git" is a local path, not a GitHub URL`,
		"../remote":                            `is a local path`,
		"file:///tmp/remote.git":               `remote "file:///tmp/remote.git" is not on GitHub (a file:// URL)`,
		"https://github.com/o":                 `remote "https://github.com/o" does not name a GitHub repository (host/owner/repo)`,
		"https://github.com/o/r/tree/main":     `does not name a GitHub repository`,
		"https://github.com/-o/r":              `does not name a GitHub repository`,
		"git@github.com:o/..":                  `does not name a GitHub repository`,
		"https://u:s3cret@github.com/o":        `remote "https://***@github.com/o" does not name`,
		"https://u:s3cret@example.com:bad/o/r": `is not a URL`,
	} {
		_, err := github.ParseRemote(remote)
		require.ErrorContains(t, err, msg, remote)
		require.NotContains(t, err.Error(), "s3cret")
	}
}

func TestFromEnv(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	o, err := github.FromEnv(env(map[string]string{"GITHUB_TOKEN": token}), "git@github.com:confidential-containers/cloud-api-adaptor.git")
	require.NoError(t, err)
	require.Equal(t, github.Options{Token: token, Owner: "confidential-containers", Repo: "cloud-api-adaptor"}, o)

	// GITHUB_REPOSITORY wins over the remote, which may then be anything.
	o, err = github.FromEnv(env(map[string]string{"GITHUB_REPOSITORY": "o/r", "GITHUB_API_URL": "https://api.github.com"}), "file:///tmp/remote.git")
	require.NoError(t, err)
	require.Equal(t, github.Options{APIURL: "https://api.github.com", Owner: "o", Repo: "r"}, o)

	o, err = github.FromEnv(env(map[string]string{"GITHUB_API_URL": "https://ghe.example.com/api/v3"}), "https://ghe.example.com/o/r")
	require.NoError(t, err)
	require.Equal(t, "o", o.Owner)

	for _, tc := range []struct {
		env    map[string]string
		remote string
		want   string
	}{
		{map[string]string{"GITHUB_REPOSITORY": "o"}, "", `github: GITHUB_REPOSITORY="o": github: repository "o/" is not owner/repo`},
		{nil, "/tmp/remote.git", `is a local path, not a GitHub URL; or set GITHUB_REPOSITORY=owner/repo`},
		{nil, "https://ghe.example.com/o/r", `remote "https://ghe.example.com/o/r" is on ghe.example.com, not github.com: set GITHUB_API_URL to its API (https://ghe.example.com/api/v3)`},
	} {
		_, err := github.FromEnv(env(tc.env), tc.remote)
		require.ErrorContains(t, err, tc.want)
	}
}

func TestNew(t *testing.T) {
	for _, tc := range []struct {
		o    github.Options
		want string
	}{
		{github.Options{Owner: "o", Repo: "r"}, "github: no GitHub token: set GITHUB_TOKEN"},
		{github.Options{Token: token, Owner: "o"}, `repository "o/" is not owner/repo`},
		{github.Options{Token: token, Owner: "o", Repo: "r", APIURL: "ghe.example.com"}, `API URL "ghe.example.com" is not an http(s) URL`},
		{github.Options{Token: token, Owner: "o", Repo: "r", APIURL: "https://x:" + token + "@ghe.example.com/api/v3"}, `API URL "https://***@ghe.example.com/api/v3" carries credentials: give the token as GITHUB_TOKEN instead`},
	} {
		_, err := github.New(t.Context(), tc.o)
		require.ErrorContains(t, err, tc.want)
	}
	_, err := github.New(t.Context(), github.Options{Token: token, Owner: "o", Repo: "r"})
	require.ErrorIs(t, err, nil)
	_, err = github.New(t.Context(), github.Options{Owner: "o", Repo: "r"})
	require.ErrorIs(t, err, github.ErrNoToken)
}

// FuzzParseRemote: any input gives a valid owner/repo or an error, and a
// password in the URL is never quoted back.
func FuzzParseRemote(f *testing.F) {
	for _, s := range []string{"https://github.com/o/r.git", "git@github.com:o/r.git", "ssh://git@github.com:22/o/r", "https://u:pw@h/o/r", "/tmp/x", "a:b/c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := github.ParseRemote("https://u:S3CR3T@" + s)
		if err != nil {
			require.NotContains(t, err.Error(), "S3CR3T")
		} else {
			_, err := github.New(t.Context(), github.Options{Token: "t", Owner: r.Owner, Repo: r.Repo})
			require.NoError(t, err)
		}
		if r, err := github.ParseRemote(s); err == nil {
			require.NotEmpty(t, r.Host)
			_, err := github.New(t.Context(), github.Options{Token: "t", Owner: r.Owner, Repo: r.Repo})
			require.NoError(t, err)
		}
	})
}
