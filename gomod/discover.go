// Package gomod reads and edits the go.mod files of a multi-module
// repository: it finds the modules, changes one require line at a time
// without touching anything else, runs the go command on a module, and
// checks what a go command did to a module's requires ([CheckDrops]).
package gomod

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"

	"golang.org/x/mod/modfile"
)

// Module is one go.mod of a repository.
type Module struct {
	// Dir is the module's directory relative to the repository root,
	// slash-separated; "." for a module at the root.
	Dir string
	// Path is the module path declared by the go.mod's module line.
	Path string
	// Requires maps every required module path to its version, direct and
	// indirect alike.
	Requires map[string]string
}

// Discover returns every module below root, sorted by Dir. It skips vendor
// and testdata directories and directories whose name starts with "." or "_",
// as the go command does. A go.mod that does not parse or has no module
// line is an error naming the file.
func Discover(root string) ([]Module, error) {
	mods, err := discover(os.DirFS(root))
	if err != nil {
		return nil, fmt.Errorf("gomod: discover %s: %w", root, err)
	}
	return mods, nil
}

// discover is [Discover] on a file system.
func discover(fsys fs.FS) ([]Module, error) {
	var mods []Module
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != "." && SkipDir(d.Name()) {
				return fs.SkipDir
			}
			return nil
		}
		if d.Name() != "go.mod" {
			return nil
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		m, err := Parse(path.Dir(p), data)
		if err != nil {
			return err
		}
		mods = append(mods, m)
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(mods, func(i, j int) bool { return mods[i].Dir < mods[j].Dir })
	return mods, nil
}

// SkipDir reports whether a directory of this name holds no modules of the
// repository: vendor, testdata, and names starting with "." or "_", as the
// go command sees it.
func SkipDir(name string) bool {
	return name == "vendor" || name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")
}

// Parse reads the go.mod data of the module in dir (slash-separated,
// relative to the repository root; "." for the root).
func Parse(dir string, data []byte) (Module, error) {
	file := path.Join(dir, "go.mod")
	f, err := modfile.ParseLax(file, data, nil)
	if err != nil {
		return Module{}, err
	}
	if f.Module == nil {
		return Module{}, fmt.Errorf("%s: no module line", file)
	}
	m := Module{Dir: dir, Path: f.Module.Mod.Path, Requires: map[string]string{}}
	for _, r := range f.Require {
		m.Requires[r.Mod.Path] = r.Mod.Version
	}
	return m, nil
}
