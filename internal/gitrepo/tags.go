package gitrepo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"

	"github.com/confidential-containers/release-tools/internal/run"
)

// LocalTag returns the commit the tag name of repo points at, peeling
// annotated tags (down to what the last tag object names); "" and no
// error when there is no such tag. It looks up that one name: a
// repository can hold thousands of tags.
func LocalTag(repo *git.Repository, name string) (string, error) {
	ref, err := repo.Reference(plumbing.NewTagReferenceName(name), true)
	if errors.Is(err, plumbing.ErrReferenceNotFound) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("tag %s: %w", name, err)
	}
	h, err := peel(repo, ref.Hash())
	if err != nil {
		return "", fmt.Errorf("tag %s: %w", name, err)
	}
	return h.String(), nil
}

// peel follows tag objects from h to the object that is not a tag.
func peel(repo *git.Repository, h plumbing.Hash) (plumbing.Hash, error) {
	for {
		tag, err := repo.TagObject(h)
		if errors.Is(err, plumbing.ErrObjectNotFound) {
			return h, nil
		}
		if err != nil {
			return h, err
		}
		h = tag.Target
	}
}

// LocalTags maps each tag of repo to the commit it points at, peeling
// annotated tags: a repository read in place.
func LocalTags(repo *git.Repository) (map[string]string, error) {
	iter, err := repo.Tags()
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	err = iter.ForEach(func(ref *plumbing.Reference) error {
		h, err := peel(repo, ref.Hash())
		if err != nil {
			return fmt.Errorf("tag %s: %w", ref.Name().Short(), err)
		}
		out[ref.Name().Short()] = h.String()
		return nil
	})
	return out, err
}

// CreateTag makes the tag name on commit in the repository at root, and
// returns what the tag ref holds: commit for a lightweight tag (a
// create: it fails if the tag exists), else the tag object git tag makes
// with flags ("-a", "-s") and message, under the user's configuration.
func CreateTag(ctx context.Context, root, name, commit, message string, flags ...string) (string, error) {
	ref := plumbing.NewTagReferenceName(name).String()
	if len(flags) == 0 {
		_, err := gitIn(root, nil, "update-ref", "-m", "release-tools: tag", ref, commit, plumbing.ZeroHash.String())
		return commit, err
	}
	args := append([]string{"tag"}, flags...)
	if _, err := run.Cmd(ctx, root, run.OwnRepo(os.Environ()), "git", append(args, "-m", message, "--", name, commit)...); err != nil {
		return "", err
	}
	out, err := gitIn(root, nil, "rev-parse", "--verify", "--end-of-options", ref)
	return strings.TrimSpace(string(out)), err
}

// CreateTags makes the lightweight tags names on commit in the
// repository at root in one transaction (`git update-ref --stdin`): every
// tag is created or, if one cannot be (it exists, its lock is held), none
// is.
func CreateTags(root string, names []string, commit string) error {
	var in bytes.Buffer
	for _, name := range names {
		fmt.Fprintf(&in, "create %s %s\n", plumbing.NewTagReferenceName(name), commit)
	}
	return updateRefs(root, "release-tools: tag", in.Bytes())
}

// DeleteTags deletes the tags of the repository at root, each if it still
// holds its commit in was (name -> commit), in one transaction: every tag
// is deleted or, if one cannot be (moved, its lock held), none is.
func DeleteTags(root string, was map[string]string) error {
	var in bytes.Buffer
	for _, name := range slices.Sorted(maps.Keys(was)) {
		fmt.Fprintf(&in, "delete %s %s\n", plumbing.NewTagReferenceName(name), was[name])
	}
	return updateRefs(root, "", in.Bytes())
}

// updateRefs runs the commands of `git update-ref --stdin` (one transaction)
// in the work tree at root, with the reflog message msg.
func updateRefs(root, msg string, commands []byte) error {
	args := []string{"update-ref"}
	if msg != "" {
		args = append(args, "-m", msg)
	}
	_, err := run.Input(context.Background(), root, run.OwnRepo(os.Environ()), commands, "git", append(args, "--stdin")...)
	return err
}

// DeleteTag deletes the tag name of the repository at root if it still
// holds was (a compare-and-swap: a tag someone moved or remade since is
// left as it is, and the error says so).
func DeleteTag(root, name, was string) error {
	ref := plumbing.NewTagReferenceName(name).String()
	if _, err := gitIn(root, nil, "update-ref", "-d", ref, was); err != nil {
		return fmt.Errorf("delete tag %s at %s: %w", name, was, err)
	}
	return nil
}

// TagSigned reports whether the local tag name is a tag object that
// carries a signature. go-git reads OpenPGP, SSH and X.509 signatures
// alike into PGPSignature; a lightweight tag is not signed.
func TagSigned(repo *git.Repository, name string) (bool, error) {
	ref, err := repo.Tag(name)
	if err != nil {
		return false, fmt.Errorf("tag %s: %w", name, err)
	}
	tag, err := repo.TagObject(ref.Hash())
	if errors.Is(err, plumbing.ErrObjectNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("tag %s: %w", name, err)
	}
	return tag.PGPSignature != "", nil
}
