package magevars

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestReadVars(t *testing.T) {
	env := func(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }
	v, err := Read(env(nil))
	require.NoError(t, err)
	require.Equal(t, Vars{}, v)
	v, err = Read(env(map[string]string{"GOPROXY": "off"}))
	require.NoError(t, err)
	require.Equal(t, "off", v.GoProxy)

	v, err = Read(env(map[string]string{"DRY_RUN": "1", "SKIP_GO": "true", "RELEASE_DATE": "2025-03-28", "TAG_COMMIT": "410154b", "RELEASE_BRANCH": "release-0.13"}))
	require.NoError(t, err)
	require.True(t, v.DryRun && v.SkipGo)
	require.Equal(t, "release-0.13", v.Branch)
	v, err = Read(env(map[string]string{"RELEASE_BRANCH": "rel/β", "RELEASE_REMOTE": "upstream-ü", "PR_REMOTE": "my.fork"}))
	require.NoError(t, err, "names git takes")
	require.Equal(t, [3]string{"rel/β", "upstream-ü", "my.fork"}, [3]string{v.Branch, v.Remote, v.PRRemote})
	v, err = Read(env(map[string]string{"ALLOW_DOWNGRADE": "1", "CHART_VERSION": "0.10.0"}))
	require.NoError(t, err)
	require.True(t, v.AllowDowngrade)
	require.Equal(t, "0.10.0", v.ChartVersion)

	v, err = Read(env(map[string]string{"SIGN": "1", "GITHUB_TOKEN": "ghp_secret", "GITHUB_API_URL": "https://ghe.example/api/v3", "GITHUB_REPOSITORY": "o/r"}))
	require.NoError(t, err)
	require.True(t, v.Sign)
	require.Equal(t, [3]string{"ghp_secret", "https://ghe.example/api/v3", "o/r"}, [3]string{string(v.GitHubToken), v.GitHubAPIURL, v.GitHubRepository})
	require.NotContains(t, fmt.Sprintf("%v %+v %#v", v, v, v), "ghp_secret")

	for kv, want := range map[[2]string]string{
		{"DRY_RUN", "yes"}:             `DRY_RUN="yes": use 1 or 0`,
		{"PUSH", "2"}:                  `PUSH="2": use 1 or 0`,
		{"RELEASE_DATE", "28/03/25"}:   `RELEASE_DATE="28/03/25": want YYYY-MM-DD`,
		{"RELEASE_COMMIT", "410154b"}:  `want a full commit SHA`,
		{"TAG_COMMIT", "main"}:         `want a commit hash`,
		{"OPERATOR_REF", "a b"}:        `not a git reference`,
		{"OPERATOR_REF", "../../x"}:    `not a git reference`,
		{"KATA_REF", "cf82bb3"}:        `KATA_REF="cf82bb3": want a full commit SHA`,
		{"KATA_REF_NOTE", "a # b"}:     `want one short line without #`,
		{"CHART_VERSION", "v0.3.0"}:    `CHART_VERSION="v0.3.0": want a chart version such as 0.3.1 (no v)`,
		{"RELEASE_TIME", "2026-05-26"}: `RELEASE_TIME="2026-05-26": want RFC 3339`,
		{"SKIP_REGISTRY", "y"}:         `SKIP_REGISTRY="y": use 1 or 0`,
		{"ALLOW_TIDY_DROPS", "2"}:      `ALLOW_TIDY_DROPS="2": use 1 or 0`,
		{"ALLOW_DOWNGRADE", "yes"}:     `ALLOW_DOWNGRADE="yes": use 1 or 0`,
		{"WAIT", "yes"}:                `WAIT="yes": use 1 or 0`,
		{"WAIT_TIMEOUT", "2"}:          `WAIT_TIMEOUT="2": want a positive duration such as 90m or 2h`,
		{"WAIT_TIMEOUT", "-1h"}:        `WAIT_TIMEOUT="-1h": want a positive duration`,
		{"ANNOUNCE", "123"}:            `ANNOUNCE="123": want owner/repo#number`,
		// Numbers helm would refuse, or a release could not bump.
		{"CHART_VERSION", "99999999999999999999.0.0"}: `CHART_VERSION="99999999999999999999.0.0": invalid chart version: "99999999999999999999.0.0": 99999999999999999999 is too large`,
		{"CHART_VERSION", "0.03.1"}:                   `CHART_VERSION="0.03.1": invalid chart version: "0.03.1" is not SemVer 2`,
	} {
		_, err := Read(env(map[string]string{kv[0]: kv[1]}))
		require.ErrorContains(t, err, want)
	}
	_, err = Read(env(map[string]string{"DRY_RUN": "1", "PUSH": "1"}))
	require.ErrorContains(t, err, "contradict")

	v, err = Read(env(map[string]string{"PR": "1", "PR_DRAFT": "1", "PR_REMOTE": "fork"}))
	require.NoError(t, err)
	require.True(t, v.PR && v.PRDraft)
	require.Equal(t, "fork", v.PRRemote)
	for kv, want := range map[[2]string]string{
		{"DRY_RUN", "1"}:     "DRY_RUN=1 and PR=1 contradict each other",
		{"NO_COMMIT", "1"}:   "NO_COMMIT=1 and PR=1 contradict each other",
		{"PR_REMOTE", "a b"}: `PR_REMOTE="a b": want a remote name`,
		// Read by git as an option, these were taken.
		{"PR_REMOTE", "--all"}:     `PR_REMOTE="--all": want a remote name`,
		{"RELEASE_REMOTE", "-x"}:   `RELEASE_REMOTE="-x": want a remote name`,
		{"RELEASE_BRANCH", "-x"}:   `RELEASE_BRANCH="-x": want a branch name`,
		{"RELEASE_BRANCH", "a..b"}: `RELEASE_BRANCH="a..b": want a branch name`,
	} {
		_, err := Read(env(map[string]string{"PR": "1", kv[0]: kv[1]}))
		require.ErrorContains(t, err, want)
	}
}

// TestReadActions: RELEASE_TOOLS_TOKEN, the workflows' secret, goes over
// GITHUB_TOKEN (Actions' own); RELEASE_AUTHOR is "Name <email>".
func TestReadActions(t *testing.T) {
	env := func(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }
	v, err := Read(env(map[string]string{"GITHUB_TOKEN": "ghs_actions", "RELEASE_TOOLS_TOKEN": "ghp_secret", "RELEASE_AUTHOR": "Jane Doe <jane@example.com>"}))
	require.NoError(t, err)
	require.Equal(t, "ghp_secret", string(v.GitHubToken))
	require.Equal(t, "Jane Doe <jane@example.com>", v.Author.String())
	v, err = Read(env(map[string]string{"GITHUB_TOKEN": "ghs_actions", "RELEASE_TOOLS_TOKEN": ""}))
	require.NoError(t, err)
	require.Equal(t, "ghs_actions", string(v.GitHubToken))
	_, err = Read(env(map[string]string{"RELEASE_AUTHOR": "jane@example.com"}))
	require.ErrorContains(t, err, `RELEASE_AUTHOR="jane@example.com": want "Name <email>", such as "Jane Doe <jane@example.com>"`)
}
