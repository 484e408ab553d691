package pullrequest_test

import (
	"flag"
	"fmt"
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

// TestBodyFitsGitHub: a body is never over GitHub's 65,536 characters.
// A 5,001-file phase gave 104,421 even without its diffs: every file was
// listed. Without diffs a step names ten files; a body still too long is
// cut at a line and says how much was left out, a fence cut open closed.
func TestBodyFitsGitHub(t *testing.T) {
	var files strings.Builder
	files.WriteString("p: plan\n  * edit 5001 files\n")
	for i := range 5001 {
		fmt.Fprintf(&files, "    --- a/dir/file%04d.yaml\n    +++ b/dir/file%04d.yaml\n    -a: 1\n    +a: 2\n", i, i)
	}
	got := pullrequest.Body("t", files.String(), nil, nil)
	require.LessOrEqual(t, len(got), 65536)
	require.Contains(t, got, "dir/file0009.yaml, and 4991 more files, 20004 lines, is too long for this body")

	var steps strings.Builder
	steps.WriteString("p: plan\n")
	for i := range 5001 {
		fmt.Fprintf(&steps, "  * pin the image in src/some/long/path/to/a/provider/file%04d.yaml\n", i)
	}
	var cs []pullrequest.Commit
	for i := range 300 {
		cs = append(cs, pullrequest.Commit{SHA: fmt.Sprintf("%040d", i), Subject: "a commit"})
	}
	got = pullrequest.Body("t", steps.String(), cs, []pullrequest.Next{{What: "merge"}})
	require.LessOrEqual(t, len(got), 65536)
	require.Regexp(t, `\n\(\d+ more lines of this body are left out: GitHub takes at most 65,536 characters; the commits hold everything\)\n$`, got)

	got = pullrequest.Body("t", strings.Repeat("no plan line here ``` \n", 5000), nil, nil)
	require.LessOrEqual(t, len(got), 65536)
	require.Contains(t, got, "\n````\n\n(", "the open fence is closed before the note")
}
