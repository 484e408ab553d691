// Package gittree writes the files of a commit's tree into a directory, so
// that the readers of a work tree (charts, pins, the release checks) can
// read a commit that is not checked out: the tree of a tag to be, or of a
// release already tagged.
package gittree

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// WriteTree writes the regular files of tree below dir, which must exist,
// each with mode 0644, so that readers of a work tree can read a commit
// that is not checked out. Symbolic links and submodules are left out: no
// write can leave dir. An entry whose path is not local (".." or ".git"
// among its elements) is an error; git itself refuses such trees.
func WriteTree(tree *object.Tree, dir string) error {
	files := tree.Files()
	defer files.Close()
	for {
		f, err := files.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read the tree: %w", err)
		}
		if f.Mode != filemode.Regular && f.Mode != filemode.Executable && f.Mode != filemode.Deprecated {
			continue
		}
		if !localPath(f.Name) {
			return fmt.Errorf("the tree has a file outside it: %q", f.Name)
		}
		if err := writeBlob(f, filepath.Join(dir, filepath.FromSlash(f.Name))); err != nil {
			return err
		}
	}
}

// localPath reports whether the slash path p of a tree entry stays below
// the tree's root and outside a .git directory.
func localPath(p string) bool {
	if !filepath.IsLocal(filepath.FromSlash(p)) || path.Clean(p) != p {
		return false
	}
	for _, e := range strings.Split(p, "/") {
		if e == ".." || strings.EqualFold(e, ".git") {
			return false
		}
	}
	return true
}

func writeBlob(f *object.File, name string) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	r, err := f.Reader()
	if err != nil {
		return fmt.Errorf("read %s: %w", f.Name, err)
	}
	defer r.Close()
	out, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, r); err != nil {
		out.Close()
		return fmt.Errorf("write %s: %w", f.Name, err)
	}
	return out.Close()
}

// WithTree writes the tree of commit into a temporary directory ([WriteTree]:
// its regular files, no links, no submodules), gives it to f, and
// removes it.
func WithTree(commit *object.Commit, f func(dir string) error) error {
	dir, err := os.MkdirTemp("", "tree-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	tree, err := commit.Tree()
	if err == nil {
		err = WriteTree(tree, dir)
	}
	if err != nil {
		return fmt.Errorf("commit %s: %w", commit.Hash.String()[:12], err)
	}
	return f(dir)
}
