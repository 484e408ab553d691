package gitremote

import (
	"context"
	"errors"
	"fmt"
	"strings"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/storage/memory"

	"github.com/confidential-containers/release-tools/internal/redact"
)

// ErrNoCommit is returned, wrapped, for a commit a repository does not
// have.
var ErrNoCommit = errors.New("no such commit")

// HasCommit returns nil if the repository at url (a local path or
// file:// URL, read in place; or a remote, asked for that one commit)
// has the commit sha, an error wrapping [ErrNoCommit] if it does not, and
// another error if it could not be asked: a remote that cannot be reached,
// or whose server does not serve a commit by its hash. Its errors carry no
// credentials of url.
func HasCommit(ctx context.Context, url, sha string) (err error) {
	defer func() { err = redact.Error(err) }()
	h := plumbing.NewHash(sha)
	if h.String() != sha {
		return fmt.Errorf("%w: %q is not a full commit hash", ErrNoCommit, sha)
	}
	if local := OpenLocal(url); local != nil {
		if _, err := local.CommitObject(h); err != nil {
			if errors.Is(err, plumbing.ErrObjectNotFound) {
				return fmt.Errorf("%w: %s has no commit %s", ErrNoCommit, url, sha)
			}
			return fmt.Errorf("%s: commit %s: %w", url, sha, err)
		}
		return nil
	}
	remote := git.NewRemote(memory.NewStorage(), &config.RemoteConfig{Name: "origin", URLs: []string{url}})
	err = remote.FetchContext(ctx, &git.FetchOptions{
		RefSpecs: []config.RefSpec{config.RefSpec(sha + ":refs/heads/probe")},
		Depth:    1,
		Tags:     git.NoTags,
	})
	switch {
	case err == nil || errors.Is(err, git.NoErrAlreadyUpToDate):
		return nil
	case strings.Contains(err.Error(), "not our ref"), errors.Is(err, plumbing.ErrObjectNotFound):
		return fmt.Errorf("%w: %s has no commit %s", ErrNoCommit, url, sha)
	}
	return fmt.Errorf("ask %s for commit %s: %w", url, sha, err)
}
