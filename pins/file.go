package pins

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/confidential-containers/release-tools/internal/fsutil"
)

// FileTag is the tag one file of a place holds.
type FileTag struct {
	File string // slash path relative to the root, as from [Files]
	Tag  string
}

// Read returns the tag in each file of place p below root (see [Files]),
// in the order of Files. A file of an optional place that lacks the key is
// left out; when none holds it, or a file of another place lacks it, the
// error wraps [ErrNoKey].
func Read(root string, p Place) ([]FileTag, error) {
	var out []FileTag
	err := each(root, p, func(file string, src []byte) error {
		tag, err := read(p, src)
		if err != nil {
			return err
		}
		out = append(out, FileTag{File: file, Tag: tag})
		return nil
	})
	return out, err
}

// Set sets the tag of place p to tag in each of its files below root, as
// [SetBytes] does, and returns the files it changed. Every file is edited
// in memory first: if one fails, none is written. Each write replaces the
// file atomically; a file that holds tag already is not written. Should a
// write fail, the files before it stay written and are returned with the
// error. Files of an optional place that lack the key are skipped as in
// [Read].
func Set(root string, p Place, tag string) ([]string, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if err := checkTag(p, tag); err != nil {
		return nil, err
	}
	type write struct {
		file string
		data []byte
	}
	var writes []write
	err := each(root, p, func(file string, src []byte) error {
		out, err := set(p, src, tag)
		if err != nil {
			return err
		}
		if string(out) != string(src) {
			writes = append(writes, write{file, out})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var changed []string
	for _, w := range writes {
		if err := fsutil.WriteFileAtomic(filepath.Join(root, filepath.FromSlash(w.file)), w.data); err != nil {
			return changed, fmt.Errorf("pins: %s: %w", p, err)
		}
		changed = append(changed, w.file)
	}
	return changed, nil
}

// each calls fn with each file of p and its bytes, skipping the files of
// an optional place for which fn returns [ErrNoKey].
func each(root string, p Place, fn func(file string, src []byte) error) error {
	files, err := Files(root, p)
	if err != nil {
		return err
	}
	held := 0
	for _, f := range files {
		src, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(f)))
		if err != nil {
			return fmt.Errorf("pins: %s: %w", p, err)
		}
		err = fn(f, src)
		if p.Optional && errors.Is(err, ErrNoKey) {
			continue
		}
		if err != nil {
			return fmt.Errorf("pins: %s: %s: %w", p, f, err)
		}
		held++
	}
	if held == 0 {
		return fmt.Errorf("pins: %s: %w: none of its %d files holds it", p, ErrNoKey, len(files))
	}
	return nil
}
