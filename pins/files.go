package pins

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// ErrNoFile is returned, wrapped, when a place's single file does not
// exist or its glob matches no file.
var ErrNoFile = errors.New("no such file")

// Files returns the files of place p below root, as sorted slash paths
// relative to root: p.File itself, which must exist, or every file its
// glob matches, of which there must be one at least. Every file must be a
// regular file inside root reached without a symbolic link: a link, even
// one that points inside root, is an error naming it.
func Files(root string, p Place) ([]string, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	var matches []string
	if p.glob() {
		m, err := filepath.Glob(filepath.Join(root, filepath.FromSlash(p.File)))
		if err != nil {
			return nil, fmt.Errorf("pins: %s: %w", p, err)
		}
		if len(m) == 0 {
			return nil, fmt.Errorf("pins: %s: %w: the glob %q matches nothing below %s", p, ErrNoFile, p.File, root)
		}
		for _, f := range m {
			rel, err := filepath.Rel(root, f)
			if err != nil {
				return nil, fmt.Errorf("pins: %s: %w", p, err)
			}
			matches = append(matches, filepath.ToSlash(rel))
		}
		sort.Strings(matches)
	} else {
		matches = []string{p.File}
	}
	for _, rel := range matches {
		if err := inside(root, rel); err != nil {
			return nil, fmt.Errorf("pins: %s: %w", p, err)
		}
	}
	return matches, nil
}

// inside checks that the slash path rel names a regular file below root
// whose every element, from root down, is no symbolic link.
func inside(root, rel string) error {
	if rel == ".." || strings.HasPrefix(rel, "../") || filepath.IsAbs(filepath.FromSlash(rel)) {
		return fmt.Errorf("%q is outside %s", rel, root)
	}
	p := root
	elems := strings.Split(rel, "/")
	for i, e := range elems {
		p = filepath.Join(p, e)
		info, err := os.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("%w: %s", ErrNoFile, p)
		}
		if err != nil {
			return err
		}
		switch {
		case info.Mode()&fs.ModeSymlink != 0:
			return fmt.Errorf("%s is a symbolic link: name the file it points to instead", p)
		case i < len(elems)-1 && !info.IsDir():
			return fmt.Errorf("%s is not a directory", p)
		case i == len(elems)-1 && !info.Mode().IsRegular():
			return fmt.Errorf("%s is not a regular file", p)
		}
	}
	return nil
}
