package gitrepo

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5/plumbing/format/config"
)

// ErrObjectFormat is returned, wrapped, for a repository whose objects are
// not named by SHA-1 (`git init --object-format=sha256`): go-git, which
// reads the repository, knows SHA-1 names only, so nothing can start there.
var ErrObjectFormat = errors.New("not a SHA-1 repository")

// CheckObjectFormat refuses, with an [*ObjectFormatError] (one plain
// sentence), a repository at root whose extensions.objectFormat is
// other than sha1. A root that is no git work tree passes: what needs a
// repository says so itself. It reads the repository's config file only.
func CheckObjectFormat(root string) error {
	d, err := gitDirs(root)
	if err != nil {
		return nil
	}
	f, err := os.Open(filepath.Join(d.common, "config"))
	if err != nil {
		return nil
	}
	defer f.Close()
	cfg := config.New()
	if err := config.NewDecoder(f).Decode(cfg); err != nil {
		return nil // go-git says what is wrong with it when it opens it
	}
	format := "sha1"
	for _, s := range cfg.Sections {
		if !strings.EqualFold(s.Name, "extensions") {
			continue
		}
		for _, o := range s.Options {
			if strings.EqualFold(o.Key, "objectformat") {
				format = strings.ToLower(o.Value)
			}
		}
	}
	if format == "sha1" {
		return nil
	}
	return &ObjectFormatError{Root: root, Format: format}
}

// ObjectFormatError is a repository whose objects are not named by SHA-1.
// It wraps [ErrObjectFormat].
type ObjectFormatError struct {
	Root   string
	Format string // extensions.objectFormat: "sha256"
}

func (e *ObjectFormatError) Error() string {
	name := strings.ToUpper(e.Format)
	if n, ok := strings.CutPrefix(name, "SHA"); ok {
		name = "SHA-" + n
	}
	return fmt.Sprintf("%s is a %s repository (git init --object-format=%s) and release-tools reads SHA-1 repositories only: run it in a SHA-1 clone of the project",
		e.Root, name, e.Format)
}

func (e *ObjectFormatError) Unwrap() error { return ErrObjectFormat }
