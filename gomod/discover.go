// Package gomod reads and edits the go.mod files of a multi-module
// repository: it finds the modules, changes one require line at a time
// without touching anything else, and runs the go command on a module.
package gomod

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
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
	var mods []Module
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			name := d.Name()
			if path != root && (name == "vendor" || name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Name() != "go.mod" {
			return nil
		}
		m, err := readModule(root, path)
		if err != nil {
			return err
		}
		mods = append(mods, m)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("gomod: discover %s: %w", root, err)
	}
	sort.Slice(mods, func(i, j int) bool { return mods[i].Dir < mods[j].Dir })
	return mods, nil
}

func readModule(root, file string) (Module, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return Module{}, err
	}
	f, err := modfile.ParseLax(file, data, nil)
	if err != nil {
		return Module{}, err
	}
	if f.Module == nil {
		return Module{}, fmt.Errorf("%s: no module line", file)
	}
	rel, err := filepath.Rel(root, filepath.Dir(file))
	if err != nil {
		return Module{}, err
	}
	m := Module{Dir: filepath.ToSlash(rel), Path: f.Module.Mod.Path, Requires: map[string]string{}}
	for _, r := range f.Require {
		m.Requires[r.Mod.Path] = r.Mod.Version
	}
	return m, nil
}
