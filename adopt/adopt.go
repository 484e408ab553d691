// Package adopt writes the files that let a repository without a go.mod at
// its root (cloud-api-adaptor keeps its modules under src/) run the release
// targets from its root: a module of its own in [Dir] that requires this
// module and has its mage ([Tool]) as a tool, and the three-line magefile
// that imports the targets. The targets then run from the root with
// [Command].
//
// [Dir] starts with a dot so that the go command's ./... and the release
// tools' own module discovery ([gomod.Discover]) skip it: it is never
// tagged, bumped or tidied by a release.
package adopt

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"
)

// Dir is the folder, relative to the repository's root, that holds the
// adoption files.
const Dir = ".mage"

// Module is the module path of the release tools.
const Module = "github.com/confidential-containers/release-tools"

// Command is the command that runs the release targets from the root of a
// repository that adopted them: go runs mage, the tool of [Dir]'s go.mod
// ([Tool]), in [Dir], and mage runs the targets in the root (-w ..).
// Append a target and its arguments, or -l to list them.
const Command = "go -C " + Dir + " tool mage -w .."

// Tool is the tool the adoption go.mod lists: this module's mage, which
// runs mage, says on the first run that it builds the targets (about a
// minute, once), and starts a warm target at once. Its last path element
// makes it "go tool mage".
const Tool = Module + "/cmd/mage"

// ErrDevel is the version of a build from a checkout without version
// control information, which no module proxy serves.
var ErrDevel = errors.New("adopt: the release tools were built from a checkout without a version ((devel))")

// ErrExists is returned when an adoption file exists already; nothing is
// written then.
var ErrExists = errors.New("adopt: refusing to overwrite existing files")

// Options say which release tools the adoption files require.
type Options struct {
	// Version is the version of [Module] to require, such as v0.3.0 or a
	// pseudo-version of a pushed commit.
	Version string
	// Replace, when set, is a local checkout of the release tools that
	// replaces [Module]: for trying a change before it is pushed; not for
	// committing.
	Replace string
}

// Files returns the adoption files, keyed by their slash-separated path
// relative to the repository's root: [Dir]/go.mod, [Dir]/magefile.go and
// [Dir]/main.go (a package for the go command without the mage tag, so that
// ./... there matches one).
// The go.mod lists only the require of [Module] and [Tool]: `go mod
// tidy` in [Dir] completes it and writes go.sum. A version that is not a
// module version of [Module] ("(devel)", "+dirty") is an error.
func Files(o Options) (map[string][]byte, error) {
	if o.Version == "(devel)" {
		return nil, ErrDevel
	}
	if !semver.IsValid(o.Version) || semver.Canonical(o.Version) != o.Version {
		return nil, fmt.Errorf("adopt: version %q: want a module version such as v0.3.0 (no +build suffix such as +dirty)", o.Version)
	}
	if err := module.Check(Module, o.Version); err != nil {
		return nil, fmt.Errorf("adopt: %w", err)
	}
	f := &modfile.File{Syntax: &modfile.FileSyntax{}}
	f.AddComment("// The release targets of " + Module + ",\n// run from the repository's root: " + Command + " -l")
	if err := f.AddModuleStmt("magefiles"); err != nil {
		return nil, fmt.Errorf("adopt: %w", err)
	}
	if err := f.AddGoStmt("1.25.0"); err != nil {
		return nil, fmt.Errorf("adopt: %w", err)
	}
	if err := f.AddRequire(Module, o.Version); err != nil {
		return nil, fmt.Errorf("adopt: %w", err)
	}
	if err := f.AddTool(Tool); err != nil {
		return nil, fmt.Errorf("adopt: %w", err)
	}
	if o.Replace != "" {
		if err := f.AddReplace(Module, "", o.Replace, ""); err != nil {
			return nil, fmt.Errorf("adopt: %w", err)
		}
	}
	gomod, err := f.Format()
	if err != nil {
		return nil, fmt.Errorf("adopt: %w", err)
	}
	return map[string][]byte{
		path.Join(Dir, "go.mod"):      gomod,
		path.Join(Dir, "magefile.go"): []byte(magefile),
		path.Join(Dir, "main.go"):     []byte(mainFile),
	}, nil
}

// mainFile is the package the go command finds in [Dir] without the mage
// tag. Without it ./... matches no package there, and a script that runs
// over every go.mod (cloud-api-adaptor's govulncheck.sh, golangci-lint.sh)
// fails on it ("no packages matched"). mage builds magefile.go alone: it
// takes the files that only the mage tag adds.
const mainFile = `//go:build !mage

// This file is what the go command builds in this folder without the mage
// tag, so that tools run over every module (go mod tidy, govulncheck ./...,
// golangci-lint run ./...) find a package here. The release targets are
// magefile.go's; run them from the repository's root:
// ` + Command + ` -l
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "run the release targets from the repository's root: ` + Command + ` -l")
	os.Exit(2)
}
`

const magefile = `//go:build mage

// The release targets, run from the repository's root:
// ` + Command + ` -l lists them.
package main

// mage:import
import _ "` + Module + `/targets"
`

// ExistsError names the adoption files that exist already. It unwraps to
// [ErrExists].
type ExistsError struct{ Files []string }

func (e *ExistsError) Error() string {
	return fmt.Sprintf("%v: %s", ErrExists, strings.Join(e.Files, ", "))
}

func (e *ExistsError) Unwrap() error { return ErrExists }

// Names returns the sorted paths of files.
func Names(files map[string][]byte) []string {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Check returns an [*ExistsError] naming what [Dir] holds below root if
// it exists, and nil if it does not: what [Write] would refuse.
func Check(root string) error {
	dir := filepath.Join(root, Dir)
	entries, err := os.ReadDir(dir)
	switch {
	case err == nil:
		exist := []string{Dir}
		if len(entries) > 0 {
			exist = exist[:0]
			for _, e := range entries {
				exist = append(exist, path.Join(Dir, e.Name()))
			}
		}
		return &ExistsError{Files: exist}
	case errors.Is(err, os.ErrNotExist):
		return nil
	}
	if _, serr := os.Lstat(dir); serr == nil {
		return &ExistsError{Files: []string{Dir}} // a file, not a folder
	}
	return fmt.Errorf("adopt: %w", err)
}

// Write writes files below root. If [Dir] exists, it writes nothing and
// returns an [*ExistsError] naming what [Dir] holds ([Check]): `go mod
// tidy` would rewrite a go.sum there too.
func Write(root string, files map[string][]byte) error {
	if err := Check(root); err != nil {
		return err
	}
	return writeFiles(root, files)
}

// writeFiles writes files below root, making their folders.
func writeFiles(root string, files map[string][]byte) error {
	for _, name := range Names(files) {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return fmt.Errorf("adopt: %w", err)
		}
		if err := os.WriteFile(p, files[name], 0o644); err != nil {
			return fmt.Errorf("adopt: %w", err)
		}
	}
	return nil
}
