package gitrepo

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	git "github.com/go-git/go-git/v5"

	"github.com/confidential-containers/release-tools/internal/run"
)

// ErrUnsignedTag is returned, wrapped, for a tag that should carry a
// signature and does not (package tags's ErrUnsignedTag is this value).
var ErrUnsignedTag = errors.New("tag is not signed")

// setUpSigning says what to do when git cannot sign.
const setUpSigning = "set up signing (git config user.signingKey <key>; git config gpg.format ssh|openpgp) and check that git tag -s works by hand"

// SignTag creates the signed annotated tag name on commit, with message,
// in the repository at root (repo, opened) with `git tag -s`, which uses
// the user's signing setup (gpg.format, user.signingKey, gpg or ssh
// agents) where go-git cannot, then checks that the tag carries a
// signature: git 2.39 exits 0 and makes an unsigned tag when ssh-keygen
// fails. A tag made unsigned is deleted again with del (which deletes the
// tag name if it still holds was); if it cannot be, the error says so and
// wraps why. The error keeps git's stderr and says what to set up.
func SignTag(ctx context.Context, root string, repo *git.Repository, name, commit, message string, del func(name, was string) error) (string, error) {
	_, stderr, err := run.Stderr(ctx, root, run.OwnRepo(os.Environ()), "git", "tag", "-s", "-m", message, name, commit)
	if err != nil {
		return "", fmt.Errorf("%s: %w", setUpSigning, err)
	}
	ref, err := repo.Tag(name)
	if err != nil {
		return "", fmt.Errorf("tag %s: %w", name, err)
	}
	ok, err := TagSigned(repo, name)
	if err == nil && ok {
		return ref.Hash().String(), nil
	}
	deleted := "so it was deleted"
	derr := del(name, ref.Hash().String())
	if derr != nil {
		deleted = fmt.Sprintf("and it could not be deleted: %s remains locally unsigned (git tag -d %s)", name, name)
		derr = fmt.Errorf("delete local tag %s: %w", name, derr)
	}
	if err != nil { // not known to be signed or not: the tag made is removed all the same
		return "", errors.Join(err, derr)
	}
	err = fmt.Errorf("%w: git tag -s exited 0 but made it without a signature, %s; %s (gpg.program or gpg.ssh.program too, if set)", ErrUnsignedTag, deleted, setUpSigning)
	if s := strings.TrimSpace(stderr); s != "" {
		err = fmt.Errorf("%w; git said:\n%s", err, s)
	}
	return "", errors.Join(err, derr)
}

// CheckSigned refuses the local tags names (to push) that are not signed:
// pushing them would publish unsigned tags that can never be replaced.
func CheckSigned(repo *git.Repository, names []string) error {
	var unsigned []string
	for _, name := range names {
		ok, err := TagSigned(repo, name)
		if err != nil {
			return err
		}
		if !ok {
			unsigned = append(unsigned, name)
		}
	}
	if len(unsigned) == 0 {
		return nil
	}
	return fmt.Errorf("%w: %s already exist locally without a signature and would be pushed as they are: delete them (git tag -d %s) and re-run to create them signed",
		ErrUnsignedTag, strings.Join(unsigned, ", "), strings.Join(unsigned, " "))
}
