package gitfixture

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Template is a set of folders (a repository, its bare remote, ...) built
// once per process and copied into each test's own folders: building a
// fixture through go-git costs many times what writing its files does.
// Build makes the folders it is given; a path of one of them that it
// writes into a file (a remote's file:// URL in .git/config) is the path
// of the matching folder in each copy. A Template is safe for concurrent
// use.
type Template struct {
	Build func(dirs ...string) error

	once  sync.Once
	n     int      // the folders Build was given
	roots []string // where Build made them, rewritten in copies
	trees [][]entry
	err   error
}

// entry is a folder, file or link of a template folder: its path below
// the folder, mode, modification time, and the file's bytes or the link's
// target; paths says that the bytes name template folders.
type entry struct {
	name   string
	mode   fs.FileMode
	mtime  time.Time
	data   []byte
	target string
	paths  bool
}

// Copy writes the template's folders into dirs, which exist (t.TempDir()),
// building the template first on the first call.
func (tp *Template) Copy(dirs ...string) error {
	tp.once.Do(func() { tp.err = tp.build(len(dirs)) })
	if tp.err != nil {
		return tp.err
	}
	if len(dirs) != tp.n {
		return fmt.Errorf("gitfixture: the template has %d folders, not %d", tp.n, len(dirs))
	}
	for i, dir := range dirs {
		if err := tp.write(dir, tp.trees[i], dirs); err != nil {
			return fmt.Errorf("gitfixture: copy the template into %s: %w", dir, err)
		}
	}
	return nil
}

// build runs Build on n new folders, reads them into memory and removes
// them.
func (tp *Template) build(n int) error {
	base, err := os.MkdirTemp("", "gitfixture-template-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(base)
	tp.n = n
	for i := range n {
		// One letter each: no folder's path is a prefix of another's.
		dir := filepath.Join(base, string(rune('a'+i)))
		if err := os.Mkdir(dir, 0o755); err != nil {
			return err
		}
		tp.roots = append(tp.roots, dir)
	}
	if err := tp.Build(tp.roots...); err != nil {
		return fmt.Errorf("gitfixture: build the template: %w", err)
	}
	for _, root := range tp.roots {
		tree, err := tp.read(root)
		if err != nil {
			return fmt.Errorf("gitfixture: read the template: %w", err)
		}
		tp.trees = append(tp.trees, tree)
	}
	return nil
}

// read lists everything below root, parents before their children.
func (tp *Template) read(root string) ([]entry, error) {
	var out []entry
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == root {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		e := entry{name: rel, mode: info.Mode(), mtime: info.ModTime()}
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			e.target, err = os.Readlink(p)
		case d.Type().IsRegular():
			e.data, err = os.ReadFile(p)
			e.paths = bytes.Contains(e.data, []byte(filepath.Dir(root)))
		case !d.IsDir():
			return fmt.Errorf("%s: not a file, folder or link", p)
		}
		out = append(out, e)
		return err
	})
	return out, err
}

// write writes tree below dir, naming dirs where the template named its
// folders.
func (tp *Template) write(dir string, tree []entry, dirs []string) error {
	for _, e := range tree {
		p := filepath.Join(dir, e.name)
		switch {
		case e.mode.IsDir():
			if err := os.Mkdir(p, e.mode.Perm()); err != nil {
				return err
			}
			continue
		case e.mode&fs.ModeSymlink != 0:
			if err := os.Symlink(e.target, p); err != nil {
				return err
			}
			continue
		}
		data := e.data
		if e.paths {
			for i, root := range tp.roots {
				data = bytes.ReplaceAll(data, []byte(root), []byte(dirs[i]))
			}
		}
		if err := os.WriteFile(p, data, e.mode.Perm()); err != nil {
			return err
		}
		if err := os.Chtimes(p, e.mtime, e.mtime); err != nil {
			return err
		}
	}
	return nil
}
