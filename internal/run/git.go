package run

import (
	"context"
	"os"
	"slices"
	"strings"
)

// Git runs git with args in the repository at dir, in the process's
// environment less [RepoVars], so that git acts on dir's repository even
// when run from a hook or `git rebase -x`, which set GIT_DIR. It returns
// git's standard output; on failure the error is an [*Error].
func Git(ctx context.Context, dir string, args ...string) ([]byte, error) {
	return Cmd(ctx, dir, OwnRepo(os.Environ()), "git", args...)
}

// RepoVars are the variables that tell git which repository to act on
// (git rev-parse --local-env-vars, less the configuration ones).
var RepoVars = []string{
	"GIT_DIR", "GIT_WORK_TREE", "GIT_IMPLICIT_WORK_TREE", "GIT_COMMON_DIR", "GIT_INDEX_FILE",
	"GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_GRAFT_FILE",
	"GIT_NO_REPLACE_OBJECTS", "GIT_REPLACE_REF_BASE", "GIT_PREFIX", "GIT_SHALLOW_FILE",
}

// OwnRepo is env without [RepoVars], so that git finds the repository
// from the directory it runs in.
func OwnRepo(env []string) []string {
	out := make([]string, 0, len(env))
	for _, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		if !slices.Contains(RepoVars, k) {
			out = append(out, kv)
		}
	}
	return out
}
