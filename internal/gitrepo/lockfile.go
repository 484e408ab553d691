package gitrepo

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// ErrLocked is returned, wrapped in a [*LockedError], when one of git's
// lock files is present: another git command is writing the repository.
var ErrLocked = errors.New("locked by another git command")

// LockedError is a git lock file (index.lock, refs/heads/main.lock) that
// is present, so the file it guards must not be written. It wraps
// [ErrLocked].
type LockedError struct {
	File string // the lock file's path
}

func (e *LockedError) Error() string {
	return fmt.Sprintf("%s exists: another git command is running in this repository; wait for it to finish, or, if no git command is running, remove the stale lock (rm %s)", e.File, e.File)
}

func (e *LockedError) Unwrap() error { return ErrLocked }

// dirs are a work tree's git directories: its own (index, HEAD, logs/HEAD)
// and the common one (refs and their logs), the same but for a linked
// work tree (git worktree add).
type dirs struct {
	git, common string
}

// gitDirs finds the git directories of the work tree at root: .git, or
// the directory a .git file names ("gitdir: ..."), and the one its
// commondir file names.
func gitDirs(root string) (dirs, error) {
	dot := filepath.Join(root, ".git")
	info, err := os.Stat(dot)
	if err != nil {
		return dirs{}, err
	}
	d := dot
	if !info.IsDir() {
		data, err := os.ReadFile(dot)
		if err != nil {
			return dirs{}, err
		}
		p, ok := strings.CutPrefix(strings.TrimSpace(string(data)), "gitdir: ")
		if !ok {
			return dirs{}, fmt.Errorf("%s: not a gitdir file", dot)
		}
		if !filepath.IsAbs(p) {
			p = filepath.Join(root, p)
		}
		d = p
	}
	common := d
	if data, err := os.ReadFile(filepath.Join(d, "commondir")); err == nil {
		c := strings.TrimSpace(string(data))
		if !filepath.IsAbs(c) {
			c = filepath.Join(d, c)
		}
		common = filepath.Clean(c)
	}
	return dirs{git: d, common: common}, nil
}

// GitDir is the git directory of the work tree at root: .git, or, for a
// linked work tree (git worktree add), the directory its .git file names.
func GitDir(root string) (string, error) {
	d, err := gitDirs(root)
	return d.git, err
}

// lockFile is git's way to write a file: create file.lock exclusively
// (its presence tells every other git command to keep off), write the new
// content into it, and rename it over the file.
type lockFile struct {
	target string
	f      *os.File
}

// lock creates target.lock; a [*LockedError] if it exists.
func lock(target string) (*lockFile, error) {
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(target+".lock", os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
	if errors.Is(err, fs.ErrExist) {
		return nil, &LockedError{File: target + ".lock"}
	}
	if err != nil {
		return nil, err
	}
	return &lockFile{target: target, f: f}, nil
}

func (l *lockFile) Write(p []byte) (int, error) { return l.f.Write(p) }

// commit renames the lock file over the target.
func (l *lockFile) commit() error {
	if err := l.f.Close(); err != nil {
		os.Remove(l.f.Name())
		return err
	}
	if err := os.Rename(l.f.Name(), l.target); err != nil {
		os.Remove(l.f.Name())
		return err
	}
	return nil
}

// rollback removes the lock file, leaving the target as it was.
func (l *lockFile) rollback() {
	l.f.Close()
	os.Remove(l.f.Name())
}

// CheckLocks refuses, with a [*LockedError], a repository where git's
// lock files say another git command is writing: index.lock, HEAD.lock,
// packed-refs.lock, or the lock of the branch HEAD names. It writes
// nothing.
func CheckLocks(root string) error {
	d, err := gitDirs(root)
	if err != nil {
		return err
	}
	names := []string{filepath.Join(d.git, "index"), filepath.Join(d.git, "HEAD"), filepath.Join(d.common, "packed-refs")}
	if head, err := os.ReadFile(filepath.Join(d.git, "HEAD")); err == nil {
		if ref, ok := strings.CutPrefix(strings.TrimSpace(string(head)), "ref: "); ok {
			names = append(names, filepath.Join(d.common, filepath.FromSlash(ref)))
		}
	}
	for _, n := range names {
		if _, err := os.Lstat(n + ".lock"); err == nil {
			return &LockedError{File: n + ".lock"}
		}
	}
	return nil
}

// CheckRefLocks refuses, with a [*LockedError], to write references
// ("refs/tags/v1.0.0") that another git command holds the lock of, or
// while packed-refs.lock is present. It writes nothing.
func CheckRefLocks(root string, refs ...string) error {
	d, err := gitDirs(root)
	if err != nil {
		return err
	}
	names := []string{filepath.Join(d.common, "packed-refs")}
	for _, r := range refs {
		names = append(names, filepath.Join(d.common, filepath.FromSlash(r)))
	}
	for _, n := range names {
		if _, err := os.Lstat(n + ".lock"); err == nil {
			return &LockedError{File: n + ".lock"}
		}
	}
	return nil
}
