// Package snapshot keeps the bytes files had before a phase wrote them,
// and puts them back: the rollback of the phase package.
package snapshot

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"

	"github.com/confidential-containers/release-tools/internal/fsutil"
)

// Snapshot keeps the bytes files had before the phase, to restore them.
type Snapshot struct {
	root string
	old  map[string][]byte // nil: the file did not exist
	done map[string][]byte // content at the last commit, for what changed since
}

// New returns an empty snapshot of the files below root.
func New(root string) *Snapshot {
	return &Snapshot{root: root, old: map[string][]byte{}}
}

// Keep records a file's bytes before the phase writes it. A file that
// cannot be read (other than one that does not exist) is an error: the
// phase could not put it back.
func (s *Snapshot) Keep(path string) error {
	if _, ok := s.old[path]; ok {
		return nil
	}
	data, err := fsutil.ReadIfExists(filepath.Join(s.root, filepath.FromSlash(path)))
	if err != nil {
		return fmt.Errorf("keep %s to restore it on failure: %w", path, err)
	}
	s.old[path] = data
	return nil
}

// Changed lists the kept files whose bytes differ from the last commit
// (or from before the phase).
func (s *Snapshot) Changed() ([]string, error) {
	var out []string
	for p, old := range s.old {
		if d, ok := s.done[p]; ok {
			old = d
		}
		cur, err := fsutil.ReadIfExists(filepath.Join(s.root, filepath.FromSlash(p)))
		if err != nil {
			return nil, err
		}
		if (cur == nil) != (old == nil) || !bytes.Equal(cur, old) {
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out, nil
}

// Committed records the bytes paths have now, as committed: [Snapshot.Changed]
// compares with them from then on.
func (s *Snapshot) Committed(paths []string) error {
	if s.done == nil {
		s.done = map[string][]byte{}
	}
	for _, p := range paths {
		data, err := fsutil.ReadIfExists(filepath.Join(s.root, filepath.FromSlash(p)))
		if err != nil {
			return err
		}
		s.done[p] = data
	}
	return nil
}

// RestoreError is a rollback that could not put every file back. Each
// file's bytes from before the phase are saved below Saved.
type RestoreError struct {
	Files []string // slash paths relative to the root
	Saved string   // a directory holding each file's bytes at the same path
	Err   error
}

func (e *RestoreError) Error() string {
	return fmt.Sprintf("could not restore %v (%v): their bytes from before the phase are in %s; copy them back by hand", e.Files, e.Err, e.Saved)
}

func (e *RestoreError) Unwrap() error { return e.Err }

// Leave drops paths from what [Snapshot.Restore] puts back: their bytes
// now are kept (a check's output, for the user to look at).
func (s *Snapshot) Leave(paths ...string) {
	for _, p := range paths {
		delete(s.old, p)
	}
}

// Restore puts every kept file back and returns those it rewrote, sorted.
// A file it cannot put back is saved in a temporary directory and named in
// a [*RestoreError]; nothing it could not read is ever removed.
func (s *Snapshot) Restore() ([]string, error) {
	var n []string
	var failed []string
	var errs []error
	for _, p := range slices.Sorted(maps.Keys(s.old)) {
		old := s.old[p]
		name := filepath.Join(s.root, filepath.FromSlash(p))
		cur, err := fsutil.ReadIfExists(name)
		if err != nil {
			failed, errs = append(failed, p), append(errs, err)
			continue
		}
		if (cur == nil) == (old == nil) && bytes.Equal(cur, old) {
			continue
		}
		if old == nil {
			err = os.Remove(name)
		} else {
			err = fsutil.WriteFile(name, cur != nil, old)
		}
		if err != nil {
			failed, errs = append(failed, p), append(errs, err)
			continue
		}
		n = append(n, p)
	}
	if len(failed) == 0 {
		return n, nil
	}
	saved, err := s.save(failed)
	if err != nil {
		errs = append(errs, fmt.Errorf("save their bytes: %w", err))
	}
	return n, &RestoreError{Files: failed, Saved: saved, Err: errors.Join(errs...)}
}

// save writes the kept bytes of paths below a new temporary directory
// (an empty marker file ".absent" beside a path that did not exist).
func (s *Snapshot) save(paths []string) (string, error) {
	dir, err := os.MkdirTemp("", "release-restore-")
	if err != nil {
		return "", err
	}
	for _, p := range paths {
		name := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			return dir, err
		}
		data := s.old[p]
		if data == nil {
			name, data = name+".absent", []byte{}
		}
		if err := os.WriteFile(name, data, 0o644); err != nil {
			return dir, err
		}
	}
	return dir, nil
}
