// Package fsutil holds the file writes shared by the editing packages.
package fsutil

import (
	"fmt"
	"os"
	"path/filepath"
)

// WriteFileAtomic replaces name with data: it writes a temporary file in the
// same directory, keeps name's permission bits, and renames it over name, so
// a reader sees the old bytes or the new bytes and never a part. name must
// already exist and be writable: the editors change files, they do not
// create them or override a read-only mode.
//
// It does not fsync: the files are in a git working tree, which git itself
// does not fsync, and a sync costs about a millisecond a file, more than the
// whole edit.
func WriteFileAtomic(name string, data []byte) error {
	info, err := os.Stat(name)
	if err != nil {
		return err
	}
	if info.Mode().Perm()&0o200 == 0 {
		return fmt.Errorf("%s: file is read-only (mode %v); make it writable first", name, info.Mode().Perm())
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(info.Mode().Perm()); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), name)
}
