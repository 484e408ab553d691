package fsutil

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// ReadIfExists reads a file like [os.ReadFile], but returns nil and no
// error when it does not exist; an existing empty file is an empty,
// non-nil slice.
func ReadIfExists(name string) ([]byte, error) {
	data, err := os.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if data == nil {
		data = []byte{}
	}
	return data, nil
}

// WriteFile writes data to name: over the file with [WriteFileAtomic]
// when it exists, else as a new file (mode 0644) in directories made as
// needed, which fails if the file appeared meanwhile. A new file that
// could not be written in full is removed.
func WriteFile(name string, exists bool, data []byte) error {
	if exists {
		return WriteFileAtomic(name, data)
	}
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(name)
		return err
	}
	return f.Close()
}
