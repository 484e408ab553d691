package fsutil

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "f")
	require.NoError(t, os.WriteFile(file, []byte("old"), 0o640))
	require.NoError(t, WriteFileAtomic(file, []byte("new")))
	got, err := os.ReadFile(file)
	require.NoError(t, err)
	require.Equal(t, "new", string(got))
	info, err := os.Stat(file)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o640), info.Mode().Perm())
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, 1, "no temporary file left behind")

	require.ErrorIs(t, WriteFileAtomic(filepath.Join(dir, "missing"), nil), os.ErrNotExist)
	require.NoError(t, os.Chmod(file, 0o444))
	require.ErrorContains(t, WriteFileAtomic(file, []byte("x")), "read-only")
}

func BenchmarkWriteFileAtomic(b *testing.B) {
	file := filepath.Join(b.TempDir(), "f")
	require.NoError(b, os.WriteFile(file, make([]byte, 2500), 0o644))
	data := make([]byte, 2500)
	for b.Loop() {
		if err := WriteFileAtomic(file, data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWriteFile(b *testing.B) {
	file := filepath.Join(b.TempDir(), "f")
	data := make([]byte, 2500)
	for b.Loop() {
		if err := os.WriteFile(file, data, 0o644); err != nil {
			b.Fatal(err)
		}
	}
}
