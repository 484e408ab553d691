package release

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/format/index"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// ErrDirty is returned, wrapped, when the work tree has uncommitted
// changes to tracked files.
var ErrDirty = errors.New("uncommitted changes")

// checkClean refuses a work tree with changes to tracked files (untracked
// files are fine: they are never committed by a phase).
func checkClean(repo *git.Repository) error {
	wt, err := repo.Worktree()
	if err != nil {
		return err
	}
	st, err := wt.Status()
	if err != nil {
		return err
	}
	var dirty []string
	for path, s := range st {
		if s.Worktree != git.Untracked && (s.Worktree != git.Unmodified || s.Staging != git.Unmodified) {
			dirty = append(dirty, path)
		}
	}
	if len(dirty) == 0 {
		return nil
	}
	sort.Strings(dirty)
	if len(dirty) > 5 {
		dirty = append(dirty[:5], fmt.Sprintf("and %d more", len(dirty)-5))
	}
	return fmt.Errorf("%w in %s: commit or stash them first", ErrDirty, strings.Join(dirty, ", "))
}

// signature is the repository's configured user (local, then global and
// system git config).
func signature(repo *git.Repository, when time.Time) (*object.Signature, error) {
	cfg, err := repo.ConfigScoped(config.SystemScope)
	if err != nil {
		return nil, fmt.Errorf("read git config: %w", err)
	}
	if cfg.User.Name == "" || cfg.User.Email == "" {
		return nil, errors.New("commits need an author: set git config user.name and user.email")
	}
	return &object.Signature{Name: cfg.User.Name, Email: cfg.User.Email, When: when}, nil
}

// commit commits paths on the current branch with msg and a Signed-off-by
// trailer for the author (the DCO CoCo requires).
func commit(repo *git.Repository, root string, paths []string, msg string, sig *object.Signature) (plumbing.Hash, error) {
	wt, err := repo.Worktree()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	if err := stage(repo, root, paths); err != nil {
		return plumbing.ZeroHash, err
	}
	msg = strings.TrimRight(msg, "\n") + "\n\nSigned-off-by: " + sig.Name + " <" + sig.Email + ">\n"
	return wt.Commit(msg, &git.CommitOptions{Author: sig, Committer: sig})
}

// resetTo moves the current branch and the index back to commit, leaving
// the work tree's files as they are (the phase restores those itself).
func resetTo(repo *git.Repository, commit plumbing.Hash) error {
	wt, err := repo.Worktree()
	if err != nil {
		return err
	}
	return wt.Reset(&git.ResetOptions{Commit: commit, Mode: git.MixedReset})
}

// stage adds paths to the index in one pass: go-git's Add reads and writes
// the whole index for every path, which is quadratic in a release that
// touches a thousand overlays.
func stage(repo *git.Repository, root string, paths []string) error {
	idx, err := repo.Storer.Index()
	if err != nil {
		return err
	}
	for _, p := range paths {
		name := filepath.Join(root, filepath.FromSlash(p))
		info, err := os.Lstat(name)
		if err != nil {
			return fmt.Errorf("git add %s: %w", p, err)
		}
		data, err := os.ReadFile(name)
		if err != nil {
			return fmt.Errorf("git add %s: %w", p, err)
		}
		obj := repo.Storer.NewEncodedObject()
		obj.SetType(plumbing.BlobObject)
		obj.SetSize(int64(len(data)))
		w, err := obj.Writer()
		if err != nil {
			return err
		}
		if _, err := w.Write(data); err != nil {
			return err
		}
		if err := w.Close(); err != nil {
			return err
		}
		h, err := repo.Storer.SetEncodedObject(obj)
		if err != nil {
			return fmt.Errorf("git add %s: %w", p, err)
		}
		mode, err := filemode.NewFromOSFileMode(info.Mode())
		if err != nil {
			return fmt.Errorf("git add %s: %w", p, err)
		}
		e, err := idx.Entry(p)
		if errors.Is(err, index.ErrEntryNotFound) {
			e = idx.Add(p)
		} else if err != nil {
			return err
		}
		e.Hash, e.Mode, e.Size, e.ModifiedAt = h, mode, uint32(len(data)), info.ModTime()
	}
	return repo.Storer.SetIndex(idx)
}
