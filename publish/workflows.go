package publish

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/confidential-containers/release-tools/internal/run"
)

// workflowsDir is where GitHub keeps a repository's workflows.
const workflowsDir = ".github/workflows"

// workflowsNote says on w, before the release is created, whether commit
// changes the workflows since the release prev (its tag, read here):
// GitHub may refuse a token without the workflow permission to create the
// release's tag on such a commit, answering 404. A check that could not
// be made (prev's tag or commit not here) is said so.
func workflowsNote(ctx context.Context, root, prev, commit string, w io.Writer) {
	if prev == "" {
		return
	}
	out, err := run.Git(ctx, root, "diff", "--name-only", "refs/tags/"+prev, commit, "--", workflowsDir)
	if err != nil {
		fmt.Fprintf(w, "github: not checked whether %s changes %s since %s (git fetch --tags first to check): if it does, the token needs the workflow permission\n", short(commit), workflowsDir, prev)
		return
	}
	files := strings.Fields(string(out))
	if len(files) == 0 {
		return
	}
	fmt.Fprintf(w, "github: %s changes %s since %s (%s): the token needs the workflow permission (a fine-grained token's Workflows: write, a classic one's workflow scope), or GitHub answers 404 to creating the release's tag on it\n",
		short(commit), workflowsDir, prev, strings.Join(files, ", "))
}

func short(sha string) string { return sha[:min(12, len(sha))] }
