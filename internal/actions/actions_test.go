package actions_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/github"
	"github.com/confidential-containers/release-tools/internal/actions"
	"github.com/confidential-containers/release-tools/pullrequest"
)

func TestParseAuthor(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want actions.Author
		err  string
	}{
		{"Jane Doe <jane@example.com>", actions.Author{Name: "Jane Doe", Email: "jane@example.com"}, ""},
		{"Doe, Jane <jane@example.com>", actions.Author{Name: "Doe, Jane", Email: "jane@example.com"}, ""},
		{actions.Bot.String(), actions.Bot, ""},
		{"jane@example.com", actions.Author{}, `"jane@example.com": want "Name <email>", such as`},
		{"<jane@example.com>", actions.Author{}, `want "Name <email>"`},
		{"Jane Doe", actions.Author{}, `want "Name <email>"`},
		{"Jane <jane@example.com> trailing", actions.Author{}, `want "Name <email>"`},
		{"Jane\nSigned-off-by: x <x@y.z>", actions.Author{}, `want "Name <email>" on one line`},
		{"Jane <jane@example.com\x14>", actions.Author{}, `want "Name <email>" on one line, without control characters`},
		{"Jane\v <jane@example.com>", actions.Author{}, `without control characters`},
		{"Jane\tDoe <jane@example.com>", actions.Author{}, `without control characters`},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := actions.ParseAuthor(tc.in)
			if tc.err != "" {
				require.ErrorContains(t, err, tc.err)
				require.True(t, errors.Is(err, actions.ErrBadAuthor))
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}

func TestRead(t *testing.T) {
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	require.Equal(t, actions.Env{}, actions.Read(env("GITHUB_TOKEN", "t", "GITHUB_STEP_SUMMARY", "/s")))
	require.Equal(t, actions.Env{On: true, Summary: "/s", OwnToken: true}, actions.Read(env("GITHUB_ACTIONS", "true", "GITHUB_TOKEN", "t", "GITHUB_STEP_SUMMARY", "/s")))
	require.Equal(t, actions.Env{On: true}, actions.Read(env("GITHUB_ACTIONS", "true", "GITHUB_TOKEN", "t", "RELEASE_TOOLS_TOKEN", "u")))
}

func TestCommands(t *testing.T) {
	var b strings.Builder
	actions.Error(&b, "deps:sync: 100% failed\nsecond line\r")
	actions.Warning(&b, "w")
	actions.Group(&b, "deps:sync 3.31.0")
	actions.EndGroup(&b)
	require.Equal(t, "::error::deps:sync: 100%25 failed%0Asecond line%0D\n::warning::w\n::group::deps:sync 3.31.0\n::endgroup::\n", b.String())
}

func TestSummary(t *testing.T) {
	path := filepath.Join(t.TempDir(), "summary")
	s := &actions.Summary{Title: "deps:sync 3.31.0"}
	s.Write([]byte("deps:sync 3.31.0: plan\n  ~~~ a line with a fence\n"))
	s.Proposed(&pullrequest.Result{Outcome: pullrequest.Opened, Pull: &github.Pull{Number: 7, URL: "https://github.com/o/r/pull/7", Head: "o:release/deps-sync-3.31.0"}},
		[]pullrequest.Next{{What: "merge the PR"}, {Command: "mage release <vX.Y.Z> <imageSHA>", What: "when the release is due"}})
	require.NoError(t, s.Append(path, nil))
	require.NoError(t, (&actions.Summary{}).Append(path, errors.New("bad variables")))
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, "## ✅ deps:sync 3.31.0\n\n"+
		"**Pull request:** [#7](https://github.com/o/r/pull/7) opened (`o:release/deps-sync-3.31.0`)\n\n"+
		"### Next\n\n1. merge the PR\n2. `mage release <vX.Y.Z> <imageSHA>`: when the release is due\n\n"+
		"`mage` stands for `go -C .mage tool mage -w ..`, run from the repository's root.\n\n"+
		"<details><summary>The plan and the results</summary>\n\n~~~~text\ndeps:sync 3.31.0: plan\n  ~~~ a line with a fence\n~~~~\n\n</details>\n\n"+
		"## ❌ release-tools failed\n\n### Error\n\n~~~text\nbad variables\n~~~\n\n", string(got))
	require.NoError(t, s.Append("", nil), "outside a step: nothing")
}
