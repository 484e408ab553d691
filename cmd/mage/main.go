// Command mage is mage as the release targets run it from a repository
// that adopted them: the tool of .mage/go.mod that
// "go -C .mage tool mage -w .. <target>" runs. It differs from mage in
// three ways.
//
// The first run of a version says, on standard error, that it builds the
// targets and that this takes about a minute once: mage itself says
// nothing while the go command compiles.
//
// A warm target starts at once (about a tenth of a second): the compiled
// targets are kept in a folder named for the content of go.mod and go.sum
// and of every local folder go.mod replaces a module with (a checkout
// being tried), below MAGEFILE_CACHE (default ~/.magefile), and run
// without asking the go command whether they are stale (mage's
// MAGEFILE_HASHFAST). Another version of the release tools, or a change in
// the replacing folder, changes that content, so the targets are built
// afresh, never run stale. MAGEFILE_HASHFAST=0 asks the go command always.
//
// The targets are compiled in a directory of their own, from a copy of
// the module, and the binary is moved into place: two runs at once do not
// collide on mage's generated file (mage_output_file.go), and nothing is
// written into the module's folder.
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"go/build"
	"hash"
	"io"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/magefile/mage/mage"
	"github.com/magefile/mage/mg"
	"golang.org/x/mod/modfile"
)

func main() {
	s, err := setup(".", os.Getenv)
	if err != nil {
		os.Exit(mage.Main()) // no go.mod here: plain mage
	}
	for k, v := range s.env {
		os.Setenv(k, v)
	}
	os.Exit(run(s, os.Args[1:], os.Stdout, os.Stderr, os.Stdin))
}

// settings are how mage is run for the module in a folder.
type settings struct {
	env      map[string]string // MAGEFILE_CACHE, MAGEFILE_HASHFAST
	hashFast bool              // a warm run asks the go command nothing
	first    bool              // nothing compiled for this content yet
}

// setup reads go.mod and go.sum in dir, and the local folders go.mod
// replaces modules with, and returns the cache folder for their content,
// and whether mage may trust a compiled binary there without asking the
// go command.
func setup(dir string, getenv func(string) string) (settings, error) {
	gomod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		return settings{}, err
	}
	gosum, err := os.ReadFile(filepath.Join(dir, "go.sum"))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return settings{}, err
	}
	f, err := modfile.Parse("go.mod", gomod, nil)
	if err != nil {
		return settings{}, err
	}
	s := settings{env: map[string]string{}, hashFast: true}
	switch v := getenv(mg.HashFastEnv); v {
	case "":
		s.env[mg.HashFastEnv] = "1"
	default:
		s.hashFast = v == "1" || v == "true"
	}
	h := sha256.New()
	fmt.Fprintf(h, "%d\n%s%s", len(gomod), gomod, gosum)
	for _, r := range f.Replace {
		if r.New.Version == "" { // a folder: its content is in neither file
			folder := r.New.Path
			if !filepath.IsAbs(folder) {
				folder = filepath.Join(dir, folder)
			}
			if err := hashTree(h, folder); err != nil {
				return settings{}, err
			}
		}
	}
	base := getenv(mg.CacheEnv)
	if base == "" {
		base = mg.CacheDir()
	}
	cache := filepath.Join(base, "release-tools-"+hex.EncodeToString(h.Sum(nil))[:16])
	s.env[mg.CacheEnv] = cache
	entries, err := os.ReadDir(cache)
	s.first = errors.Is(err, os.ErrNotExist) || (err == nil && len(entries) == 0)
	return s, nil
}

// hashTree writes into h the name, mode and content of every file below
// root, .git folders aside: what a build from the folder can read.
func hashTree(h hash.Hash, root string) error {
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".git" {
			return filepath.SkipDir
		}
		rel, _ := filepath.Rel(root, p)
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			fmt.Fprintf(h, "link %q %q\n", rel, target)
		case d.Type().IsRegular():
			file, err := os.Open(p)
			if err != nil {
				return err
			}
			defer file.Close()
			info, err := file.Stat()
			if err != nil {
				return err
			}
			fmt.Fprintf(h, "file %q %v %d\n", rel, info.Mode(), info.Size())
			if _, err := io.Copy(h, file); err != nil {
				return err
			}
		}
		return nil
	})
}

// run is mage on args, except that a run of a target whose binary is not
// compiled yet compiles it aside ([compileAside]) and moves it into place,
// and a run whose targets are compiled starts them at once, -l and -h
// included. Everything else (-l and -h before the first build, -clean,
// -version, a magefiles folder, ...) is plain mage's.
func run(s settings, args []string, stdout, stderr io.Writer, stdin io.Reader) int {
	errlog := log.New(stderr, "", 0)
	inv, cmd, err := mage.Parse(stderr, stdout, args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return 0
	case err != nil:
		errlog.Println("Error:", err)
		return 2
	}
	if inv.Dir == "" {
		inv.Dir = "."
	}
	if st, err := os.Stat(filepath.Join(inv.Dir, mage.MagefilesDirName)); cmd != mage.None || inv.Autocomplete || inv.Keep || (err == nil && st.IsDir()) {
		return mage.ParseAndRun(stdout, stderr, stdin, args)
	}
	inv.Stderr, inv.Stdin = stderr, stdin
	if inv.WorkDir == "" {
		inv.WorkDir = inv.Dir
	}
	if inv.GoCmd == "" {
		inv.GoCmd = "go"
	}
	files, exe, err := targets(inv.Dir, inv.CacheDir)
	if err != nil || len(files) == 0 {
		return mage.ParseAndRun(stdout, stderr, stdin, args) // mage says what is wrong
	}
	if inv.HashFast && !inv.Force {
		if _, err := os.Stat(exe); err == nil {
			return mage.RunCompiled(inv, exe, errlog) // -l and -h too
		}
	}
	if inv.List || inv.Help {
		return mage.ParseAndRun(stdout, stderr, stdin, args) // listing builds nothing
	}
	announce(stderr, s, args)
	built, err := compileAside(inv, files)
	if built != "" {
		defer os.RemoveAll(filepath.Dir(built))
	}
	if err != nil {
		errlog.Println("Error:", err)
		return 1
	}
	// Moved into place whole: a run at the same time sees no binary, the
	// one before, or all of this one.
	if err := os.Rename(built, exe); err != nil {
		errlog.Println("Error:", err)
		return 1
	}
	return mage.RunCompiled(inv, exe, errlog)
}

// targets returns the magefiles of dir (its .go files the mage build tag
// selects, as mage's go list does) and the binary their targets are
// compiled to in cache: named for their content and the Go release that
// runs this command (the one go tool builds with), so that a warm run
// starts it without starting the go command at all.
func targets(dir, cache string) (files []string, exe string, err error) {
	ctxt := build.Default
	ctxt.BuildTags = []string{"mage"}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, "", err
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\n", runtime.Version())
	for _, e := range entries {
		name := e.Name()
		if !e.Type().IsRegular() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		if ok, err := ctxt.MatchFile(dir, name); err != nil || !ok {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return nil, "", err
		}
		fmt.Fprintf(h, "%q %d\n%s", name, len(data), data)
		files = append(files, filepath.Join(dir, name))
	}
	return files, filepath.Join(cache, "targets-"+hex.EncodeToString(h.Sum(nil))[:16]), nil
}

// compileAside compiles the targets of the module in inv.Dir (its
// magefiles, files) in a new directory beside the cache, from a copy of
// the module (go.mod's local replacements made absolute), so that mage
// writes its generated file there; it returns the binary, in that
// directory, which the caller removes.
func compileAside(inv mage.Invocation, files []string) (string, error) {
	base := filepath.Dir(inv.CacheDir)
	if err := os.MkdirAll(inv.CacheDir, 0o755); err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(base, "release-tools-build-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(tmp, "mage") // the name the targets' help gives
	if err := copyModule(inv.Dir, tmp, files); err != nil {
		return bin, err
	}
	sub := inv
	sub.Dir, sub.WorkDir, sub.CompileOut, sub.Force, sub.Args = tmp, tmp, bin, true, nil
	sub.Stdout = inv.Stderr // the go command's output is progress, not results
	if code := mage.Invoke(sub); code != 0 {
		return bin, fmt.Errorf("compiling the targets of %s failed (exit status %d)", inv.Dir, code)
	}
	return bin, nil
}

// copyModule copies go.mod, go.sum and the magefiles of dir into dst,
// with go.mod's replacements by a relative folder made absolute.
func copyModule(dir, dst string, files []string) error {
	gomod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		return err
	}
	f, err := modfile.Parse("go.mod", gomod, nil)
	if err != nil {
		return err
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	for _, r := range f.Replace {
		if r.New.Version == "" && !filepath.IsAbs(r.New.Path) {
			if err := f.AddReplace(r.Old.Path, r.Old.Version, filepath.Join(abs, r.New.Path), ""); err != nil {
				return err
			}
		}
	}
	if gomod, err = f.Format(); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dst, "go.mod"), gomod, 0o644); err != nil {
		return err
	}
	names := []string{"go.sum"}
	for _, file := range files {
		names = append(names, filepath.Base(file))
	}
	for _, name := range names {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if errors.Is(err, os.ErrNotExist) && name == "go.sum" {
			continue
		}
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dst, name), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// announce says, on the first run that builds the targets, what it builds
// and how long it takes; listing and help build nothing.
func announce(w io.Writer, s settings, args []string) {
	if !s.first {
		return
	}
	for _, a := range args {
		switch a {
		case "-l", "--l", "-h", "--h", "-help", "--help", "-version", "--version", "-clean", "--clean", "-init", "--init":
			return
		}
	}
	later := "later runs start at once"
	if !s.hashFast {
		later = "later runs take a second or two: MAGEFILE_HASHFAST=0 asks the go command on each"
	}
	fmt.Fprintf(w, "release-tools: building the release targets: about a minute, once for this go.mod and go.sum (%s)\n", later)
}
