package fsutil

import (
	"fmt"
	"io"
	"io/fs"
	"os"
)

// SizeError is an input over a size limit. Size is the input's size when
// known, or -1 when only "more than Limit" is known.
type SizeError struct {
	Size, Limit int64
}

func (e *SizeError) Error() string {
	if e.Size < 0 {
		return fmt.Sprintf("more than %s, over the %s limit for a file to edit", Bytes(e.Limit), Bytes(e.Limit))
	}
	size := Bytes(e.Size)
	if e.Size >= 1<<10 {
		size += fmt.Sprintf(" (%d bytes)", e.Size)
	}
	return fmt.Sprintf("%s, over the %s limit for a file to edit", size, Bytes(e.Limit))
}

// CheckSize returns a [*SizeError] when size is over limit, else nil.
func CheckSize(size, limit int64) error {
	if size > limit {
		return &SizeError{Size: size, Limit: limit}
	}
	return nil
}

// ReadFile reads name like [os.ReadFile], but at most limit+1 bytes: a
// file over limit is a [*fs.PathError] wrapping a [*SizeError], with the
// file's size when it can be known.
func ReadFile(name string, limit int64) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, &fs.PathError{Op: "read", Path: name, Err: err}
	}
	if int64(len(data)) > limit {
		size := int64(-1)
		if info, err := f.Stat(); err == nil && info.Mode().IsRegular() && info.Size() > limit {
			size = info.Size()
		}
		return nil, &fs.PathError{Op: "read", Path: name, Err: &SizeError{Size: size, Limit: limit}}
	}
	return data, nil
}

// Bytes formats a size for a person: "4 MiB", "50.3 MiB", "812 KiB",
// "17 bytes".
func Bytes(n int64) string {
	unit := func(size int64, name string) string {
		if n%size == 0 {
			return fmt.Sprintf("%d %s", n/size, name)
		}
		return fmt.Sprintf("%.1f %s", float64(n)/float64(size), name)
	}
	switch {
	case n >= 1<<20:
		return unit(1<<20, "MiB")
	case n >= 1<<10:
		return unit(1<<10, "KiB")
	}
	return fmt.Sprintf("%d bytes", n)
}
