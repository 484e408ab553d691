package gitrepo

import (
	"context"
	"fmt"
	"os"

	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/confidential-containers/release-tools/internal/run"
)

// gitIn runs git in the work tree at root and returns its standard output.
// Its environment is the process's less the variables that would point
// git at another repository or index ([run.OwnRepo]: a hook or `git rebase
// -x` sets GIT_DIR), plus extra ("GIT_INDEX_FILE=..."), which wins over
// anything inherited.
func gitIn(root string, extra []string, args ...string) ([]byte, error) {
	env := append(run.OwnRepo(os.Environ()), extra...)
	return run.Cmd(context.Background(), root, env, "git", args...)
}

// identity is the environment that makes git record who as the author and
// committer of a commit and in a reflog entry.
func identity(who *object.Signature) []string {
	date := fmt.Sprintf("@%d %s", who.When.Unix(), who.When.Format("-0700"))
	return []string{
		"GIT_AUTHOR_NAME=" + who.Name, "GIT_AUTHOR_EMAIL=" + who.Email, "GIT_AUTHOR_DATE=" + date,
		"GIT_COMMITTER_NAME=" + who.Name, "GIT_COMMITTER_EMAIL=" + who.Email, "GIT_COMMITTER_DATE=" + date,
	}
}

// argMax bounds the bytes of paths given to one git process, well below
// the system's limits on a command line (2 MiB on Linux, 1 MiB on macOS).
const argMax = 128 << 10

// batches splits paths into runs of at most argMax bytes, so that a
// thousand files take one git process, not a thousand.
func batches(paths []string) [][]string {
	var out [][]string
	n := 0
	for i, p := range paths {
		if i == 0 || n+len(p)+1 > argMax {
			out = append(out, nil)
			n = 0
		}
		out[len(out)-1] = append(out[len(out)-1], p)
		n += len(p) + 1
	}
	return out
}
