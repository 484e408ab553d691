package fsutil

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestEditFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "f")
	require.NoError(t, os.WriteFile(file, []byte("a\n"), 0o640))
	old := time.Now().Add(-time.Hour).Truncate(time.Second)
	require.NoError(t, os.Chtimes(file, old, old))

	// The same bytes: not written, the modification time kept.
	require.NoError(t, EditFile(file, func(src []byte) ([]byte, error) { return src, nil }))
	info, err := os.Stat(file)
	require.NoError(t, err)
	require.Equal(t, old, info.ModTime())

	require.NoError(t, EditFile(file, func(src []byte) ([]byte, error) { return append(src, "b\n"...), nil }))
	got, err := os.ReadFile(file)
	require.NoError(t, err)
	require.Equal(t, "a\nb\n", string(got))

	// edit's error is returned as it is, and nothing is written.
	bad := errors.New("bad")
	require.Same(t, bad, EditFile(file, func([]byte) ([]byte, error) { return []byte("x"), bad }))
	got, err = os.ReadFile(file)
	require.NoError(t, err)
	require.Equal(t, "a\nb\n", string(got))

	require.ErrorIs(t, EditFile(filepath.Join(dir, "missing"), nil), fs.ErrNotExist)

	// A file over MaxSize is refused before edit sees it.
	big := filepath.Join(dir, "big")
	require.NoError(t, os.WriteFile(big, make([]byte, MaxSize+1), 0o644))
	var se *SizeError
	require.ErrorAs(t, EditFile(big, func([]byte) ([]byte, error) { t.Fatal("edit called"); return nil, nil }), &se)
	require.Equal(t, int64(MaxSize+1), se.Size)
}
