package pullrequest_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/pullrequest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func TestBody(t *testing.T) {
	cs := []pullrequest.Commit{{SHA: "0123456789abcdef0123456789abcdef01234567", Subject: "release: pin the image"}}
	next := []pullrequest.Next{{What: "merge this pull request"}, {Command: "tags v0.21.0", What: "plan the module tags"}}
	for _, tc := range []struct{ name, plan string }{
		{"plan", "  ... asking the registry (waits on the network)\n" + plan + "release v0.21.0: done\n"},
		{"backticks", "p: plan\n  * edit\n    +a ``` fence\n"},
		{"no-plan", "something else\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := pullrequest.Body("release v0.21.0", tc.plan, cs, next)
			golden := filepath.Join("testdata", tc.name+".md")
			if *update {
				require.NoError(t, os.WriteFile(golden, []byte(got), 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err)
			require.Equal(t, string(want), got)
		})
	}
}

func TestBodyTooLongLeavesTheDiffsOut(t *testing.T) {
	huge := "p: plan\n  * edit go.sum\n    --- a/go.sum\n    +++ b/go.sum\n" + strings.Repeat("    +x\n", 70000)
	got := pullrequest.Body("t", huge, nil, nil)
	require.Less(t, len(got), 1000)
	require.Contains(t, got, "(the diff of go.sum, 70002 lines, is too long for this body: see the commits)")
	require.NotContains(t, got, "<details>")
}
