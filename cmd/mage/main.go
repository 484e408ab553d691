// Command mage is mage as the release targets run it from a repository
// that adopted them: the tool of .mage/go.mod that
// "go -C .mage tool mage -w .. <target>" runs. It differs from mage in
// two ways.
//
// The first run of a version says, on standard error, that it builds the
// targets and that this takes about a minute once: mage itself says
// nothing while the go command compiles.
//
// A warm target starts at once (about a tenth of a second): the compiled
// targets are kept in a folder named for the content of go.mod and go.sum
// (below MAGEFILE_CACHE, default ~/.magefile) and run without asking the go
// command whether they are stale (mage's MAGEFILE_HASHFAST). Another
// version of the release tools changes go.mod and go.sum, so it is built
// afresh. A go.mod that replaces a module with a local folder (a checkout
// being tried) is not keyed that way: there mage asks the go command on
// every run, as plain mage does, so that a change in the folder is built.
// MAGEFILE_HASHFAST=0 asks it always.
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/magefile/mage/mage"
	"github.com/magefile/mage/mg"
	"golang.org/x/mod/modfile"
)

func main() {
	if s, err := setup(".", os.Getenv); err == nil {
		for k, v := range s.env {
			os.Setenv(k, v)
		}
		announce(os.Stderr, s, os.Args[1:])
	}
	os.Exit(mage.Main())
}

// settings are how mage is run for the module in a folder.
type settings struct {
	env      map[string]string // MAGEFILE_CACHE, MAGEFILE_HASHFAST
	hashFast bool              // a warm run asks the go command nothing
	first    bool              // nothing compiled for this go.mod and go.sum yet
}

// setup reads go.mod and go.sum in dir and returns the cache folder for
// their content, and whether mage may trust a compiled binary there
// without asking the go command.
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
	for _, r := range f.Replace {
		if r.New.Version == "" { // a folder: its content is in neither file
			s.hashFast = false
		}
	}
	switch v := getenv(mg.HashFastEnv); v {
	case "":
		if s.hashFast {
			s.env[mg.HashFastEnv] = "1"
		}
	default:
		s.hashFast = v == "1" || v == "true"
	}
	h := sha256.New()
	fmt.Fprintf(h, "%d\n%s%s", len(gomod), gomod, gosum)
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
		later = "later runs take a second or two: go.mod replaces a module with a local folder"
	}
	fmt.Fprintf(w, "release-tools: building the release targets: about a minute, once for this go.mod and go.sum (%s)\n", later)
}
