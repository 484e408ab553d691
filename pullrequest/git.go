package pullrequest

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"

	"github.com/confidential-containers/release-tools/internal/run"
)

// Commit is a commit of the pull request: its hash and subject.
type Commit struct {
	SHA, Subject string
}

// git runs git in the repository at root and returns its output, trimmed.
func git(ctx context.Context, root string, args ...string) (string, error) {
	out, err := run.Git(ctx, root, args...)
	return strings.TrimSpace(string(out)), err
}

// head is the commit HEAD points at.
func head(ctx context.Context, root string) (string, error) {
	return git(ctx, root, "rev-parse", "--verify", "HEAD^{commit}")
}

// remoteBranches returns the commit each branch points at on remote, ""
// for a branch the remote does not have, asking the remote once.
func remoteBranches(ctx context.Context, root, remote string, branches ...string) ([]string, error) {
	args := []string{"ls-remote", "--heads", remote}
	for _, b := range branches {
		args = append(args, "refs/heads/"+b)
	}
	out, err := git(ctx, root, args...)
	if err != nil {
		return nil, fmt.Errorf("ask %s for branch %s: %w", remote, strings.Join(branches, " and "), err)
	}
	at := make([]string, len(branches))
	for _, l := range strings.Split(out, "\n") {
		sha, name, ok := strings.Cut(l, "\t")
		for i, b := range branches {
			if ok && name == "refs/heads/"+b {
				at[i] = sha
			}
		}
	}
	return at, nil
}

// remoteBranch returns the commit branch points at on remote, "" when the
// remote has no such branch.
func remoteBranch(ctx context.Context, root, remote, branch string) (string, error) {
	at, err := remoteBranches(ctx, root, remote, branch)
	if err != nil {
		return "", err
	}
	return at[0], nil
}

// fetchIfMissing fetches branch from remote unless commit is here already.
func fetchIfMissing(ctx context.Context, root, remote, branch, commit string) error {
	if _, err := git(ctx, root, "cat-file", "-e", commit+"^{commit}"); err == nil {
		return nil
	}
	if _, err := git(ctx, root, "fetch", "--no-tags", "--quiet", remote, "refs/heads/"+branch); err != nil {
		return fmt.Errorf("fetch branch %s of %s: %w", branch, remote, err)
	}
	return nil
}

// isAncestor reports whether commit a is an ancestor of b (or b itself).
func isAncestor(ctx context.Context, root, a, b string) (bool, error) {
	_, err := git(ctx, root, "merge-base", "--is-ancestor", a, b)
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() == 1 {
		return false, nil
	}
	return err == nil, err
}

// commits lists the commits of to that from does not have, oldest first.
func commits(ctx context.Context, root, from, to string) ([]Commit, error) {
	out, err := git(ctx, root, "log", "--reverse", "--format=%H%x09%s", from+".."+to)
	if err != nil {
		return nil, err
	}
	var cs []Commit
	for _, l := range strings.Split(out, "\n") {
		if sha, subject, ok := strings.Cut(l, "\t"); ok {
			cs = append(cs, Commit{SHA: sha, Subject: subject})
		}
	}
	return cs, nil
}

// push pushes commit to branch of remote, never forced: git refuses it
// unless it is a fast-forward (or the branch is new).
func push(ctx context.Context, root, remote, commit, branch string) error {
	if _, err := git(ctx, root, "push", "--quiet", remote, commit+":refs/heads/"+branch); err != nil {
		return fmt.Errorf("push %s to branch %s of %s: %w", short(commit), branch, remote, err)
	}
	return nil
}

// checkBranch refuses a name git would not take as a branch.
func checkBranch(ctx context.Context, root, branch string) error {
	if branch == "" || strings.HasPrefix(branch, "-") {
		return fmt.Errorf("%q is not a branch name", branch)
	}
	if _, err := git(ctx, root, "check-ref-format", "refs/heads/"+branch); err != nil {
		return fmt.Errorf("%q is not a branch name", branch)
	}
	return nil
}

func short(sha string) string { return sha[:min(12, len(sha))] }

func list(cs []Commit) string {
	var b strings.Builder
	for _, c := range cs {
		fmt.Fprintf(&b, "\n  %s %s", short(c.SHA), c.Subject)
	}
	return b.String()
}

// Head is the commit HEAD of the repository at root points at.
func Head(ctx context.Context, root string) (string, error) {
	h, err := head(ctx, root)
	if err != nil {
		return "", fmt.Errorf("pullrequest: %w", err)
	}
	return h, nil
}
