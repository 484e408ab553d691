package gitrepo

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
)

// ErrNoCommits is returned, wrapped, when HEAD names a branch that has no
// commit yet: a repository just made by git init.
var ErrNoCommits = errors.New("no commits yet")

// ErrBadHead is returned, wrapped, when HEAD cannot be read: the file
// .git/HEAD holds neither "ref: refs/heads/<branch>" nor a commit hash.
var ErrBadHead = errors.New("HEAD is unreadable")

// Open opens the repository whose work tree is root, a main work tree or a
// linked one (`git worktree add`, whose .git is a file naming a directory
// in the main repository's .git/worktrees): the branches, tags, remotes
// and objects are the main repository's, HEAD and the index the work
// tree's own. A repository that does not name its objects by SHA-1 is
// refused ([ErrObjectFormat]).
func Open(root string) (*git.Repository, error) {
	if err := CheckObjectFormat(root); err != nil {
		return nil, err
	}
	return git.PlainOpenWithOptions(root, &git.PlainOpenOptions{EnableDotGitCommonDir: true})
}

// CheckHead checks that HEAD names a commit, directly or through a branch:
// an error wrapping [ErrBadHead] when it cannot be read (go-git would
// otherwise read garbage as the zero hash, and every tracked file as
// changed), or [ErrNoCommits] when its branch has no commit yet.
func CheckHead(repo *git.Repository, root string) error {
	head, err := repo.Storer.Reference(plumbing.HEAD)
	if err != nil {
		return fmt.Errorf("%w: %s: %v", ErrBadHead, headFile(root), err)
	}
	if head.Type() == plumbing.HashReference {
		if head.Hash().IsZero() {
			return fmt.Errorf("%w: %s holds %s, not \"ref: refs/heads/<branch>\" or a commit hash: check out a branch (git checkout main)",
				ErrBadHead, headFile(root), quoteHead(root))
		}
		return nil
	}
	_, err = repo.Storer.Reference(head.Target())
	if errors.Is(err, plumbing.ErrReferenceNotFound) {
		if any, _ := hasBranches(repo); !any {
			return fmt.Errorf("the repository at %s has %w: commit something first, or clone the project", root, ErrNoCommits)
		}
		return fmt.Errorf("HEAD names the branch %s, which has %w: check out a branch that has", head.Target().Short(), ErrNoCommits)
	}
	if err != nil {
		return fmt.Errorf("%w: %s: %v", ErrBadHead, head.Target(), err)
	}
	return nil
}

// hasBranches reports whether the repository has a branch.
func hasBranches(repo *git.Repository) (bool, error) {
	iter, err := repo.Branches()
	if err != nil {
		return false, err
	}
	defer iter.Close()
	_, err = iter.Next()
	return err == nil, nil
}

// headFile is the path of the HEAD file of the work tree at root.
func headFile(root string) string {
	if d, err := gitDirs(root); err == nil {
		return filepath.Join(d.git, "HEAD")
	}
	return filepath.Join(root, ".git", "HEAD")
}

// quoteHead is the first line of the HEAD file, quoted and cut short.
func quoteHead(root string) string {
	data, err := os.ReadFile(headFile(root))
	if err != nil {
		return "nothing readable"
	}
	line, _, _ := strings.Cut(string(data), "\n")
	if len(line) > 60 {
		line = line[:60] + "..."
	}
	return fmt.Sprintf("%q", line)
}
