package tags

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/confidential-containers/release-tools/internal/gitrepo"
	"github.com/confidential-containers/release-tools/internal/run"
)

// setUpSigning says what to do when git cannot sign.
const setUpSigning = "set up signing (git config user.signingKey <key>; git config gpg.format ssh|openpgp) and check that git tag -s works by hand"

// signTag creates the signed annotated tag name on the plan's commit with
// `git tag -s`, which uses the user's signing setup (gpg.format,
// user.signingKey, gpg or ssh agents) where go-git cannot, then checks
// that the tag carries a signature: git 2.39 exits 0 and makes an unsigned
// tag when ssh-keygen fails. A tag made unsigned is deleted again; if it
// cannot be, the error says so and wraps why. The error keeps git's
// stderr and says what to set up.
func (p *Plan) signTag(ctx context.Context, name string) (string, error) {
	_, stderr, err := run.Stderr(ctx, p.dir, run.OwnRepo(os.Environ()), "git", "tag", "-s", "-m", p.message(), name, p.Commit)
	if err != nil {
		return "", fmt.Errorf("%s: %w", setUpSigning, err)
	}
	ref, err := p.repo.Tag(name)
	if err != nil {
		return "", fmt.Errorf("tag %s: %w", name, err)
	}
	ok, err := gitrepo.TagSigned(p.repo, name)
	if err == nil && ok {
		return ref.Hash().String(), nil
	}
	deleted := "so it was deleted"
	derr := p.delete(name, ref.Hash().String())
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

// checkSigned refuses the tags to push that exist locally already but are
// not signed: pushing them would publish unsigned tags that can never be
// replaced.
func (p *Plan) checkSigned(push []PlannedTag) error {
	var unsigned []string
	for _, t := range push {
		if t.LocalCommit == "" {
			continue
		}
		ok, err := gitrepo.TagSigned(p.repo, t.Name)
		if err != nil {
			return fmt.Errorf("tags: %w", err)
		}
		if !ok {
			unsigned = append(unsigned, t.Name)
		}
	}
	if len(unsigned) == 0 {
		return nil
	}
	return fmt.Errorf("tags: %w: %s already exist locally without a signature and would be pushed as they are: delete them (git tag -d %s) and re-run to create them signed",
		ErrUnsignedTag, strings.Join(unsigned, ", "), strings.Join(unsigned, " "))
}
