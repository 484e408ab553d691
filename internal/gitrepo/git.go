// Package gitrepo is the git plumbing of a phase in the local repository:
// opening it (a linked work tree too) and checking its HEAD, whether the
// work tree is clean (as git status says) and which files the
// index hides changes of, the author and the DCO sign-off, commits made by
// git and landed together with a compare-and-swap of the branch, putting a
// branch back, the local tags (read, made, signed and checked for a
// signature, deleted), and a commit's files
// written out. It knows nothing of releases, nor of other repositories:
// reading a remote or another repository, and pushing to one, is package
// internal/gitremote's; the lock that lets one run at a time write a
// repository is package internal/repolock's.
//
// It leaves to git what git does for users: the clean check is git status,
// and commits are made by git's plumbing (update-index, commit-tree,
// update-ref), so filters, line endings, signing and the object store are
// as the user configured them; only the trees, which nothing of the
// user's configuration shapes, are written from git's index without a
// process (git write-tree when that index cannot be read). Every git command runs in
// the work tree with an environment that cannot point it at another
// repository. Its writes to .git behave like git's own: they honour git's
// lock files (index.lock, refs/heads/<branch>.lock; see [ErrLocked]) and
// take them while writing, move a branch only from the commit they expect
// ([ErrMoved]), and leave a reflog entry for every branch move.
package gitrepo

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// ErrDirty is returned, wrapped, when the work tree has uncommitted
// changes to tracked files.
var ErrDirty = errors.New("uncommitted changes")

// ErrDetached is returned, wrapped, when HEAD names no branch.
var ErrDetached = errors.New("HEAD is detached")

// DirtyError is a work tree with changes to tracked files, from
// [CheckClean]. It wraps [ErrDirty].
type DirtyError struct {
	Files  []string // the changed files, sorted
	Staged bool     // some of the changes are in the index
}

func (e *DirtyError) Error() string {
	return fmt.Sprintf("%v in %s: commit or stash them first", ErrDirty, e.List())
}

func (e *DirtyError) Unwrap() error { return ErrDirty }

// List is the changed files for a message: the first five and a count of
// the rest.
func (e *DirtyError) List() string {
	list := e.Files
	if len(list) > 5 {
		list = append(list[:5:5], fmt.Sprintf("and %d more", len(e.Files)-5))
	}
	return strings.Join(list, ", ")
}

// Signature is the repository's configured user (local, then global and
// system git config).
func Signature(repo *git.Repository, when time.Time) (*object.Signature, error) {
	cfg, err := repo.ConfigScoped(config.SystemScope)
	if err != nil {
		return nil, fmt.Errorf("read git config: %w", err)
	}
	if cfg.User.Name == "" || cfg.User.Email == "" {
		return nil, errors.New("commits need an author: set git config user.name and user.email")
	}
	return &object.Signature{Name: cfg.User.Name, Email: cfg.User.Email, When: when}, nil
}

// SignOff adds the Signed-off-by trailer for the author to msg (the DCO
// CoCo requires): to the trailers that end msg, as git commit -s does, or
// in a paragraph of its own.
func SignOff(msg string, sig *object.Signature) string {
	msg = strings.TrimRight(msg, "\n")
	sep := "\n\n"
	if i := strings.LastIndex(msg, "\n\n"); i >= 0 && trailers(msg[i+2:]) {
		sep = "\n"
	}
	return msg + sep + "Signed-off-by: " + sig.Name + " <" + sig.Email + ">\n"
}

// trailerRE is a line of a trailer block: "Key: value".
var trailerRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]*: \S`)

// trailers reports whether every line of paragraph is a trailer.
func trailers(paragraph string) bool {
	for _, l := range strings.Split(paragraph, "\n") {
		if !trailerRE.MatchString(l) {
			return false
		}
	}
	return true
}
