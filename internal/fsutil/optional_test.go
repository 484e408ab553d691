package fsutil

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestReadIfExists: nil for a file that does not exist, an empty non-nil
// slice for an empty one, an error for what cannot be read.
func TestReadIfExists(t *testing.T) {
	dir := t.TempDir()
	got, err := ReadIfExists(filepath.Join(dir, "absent"))
	require.NoError(t, err)
	require.Nil(t, got)
	empty := filepath.Join(dir, "empty")
	require.NoError(t, os.WriteFile(empty, nil, 0o644))
	got, err = ReadIfExists(empty)
	require.NoError(t, err)
	require.NotNil(t, got)
	require.Empty(t, got)
	_, err = ReadIfExists(dir) // a directory
	require.Error(t, err)
}

// TestWriteFile: a new file in new directories, mode 0644; never over a
// file that appeared meanwhile; over an existing one, its mode kept.
func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "a", "b", "new")
	require.NoError(t, WriteFile(name, false, []byte("new\n")))
	got, err := os.ReadFile(name)
	require.NoError(t, err)
	require.Equal(t, "new\n", string(got))
	info, err := os.Stat(name)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o644), info.Mode().Perm()&^umask(t))

	require.ErrorIs(t, WriteFile(name, false, []byte("other\n")), os.ErrExist)
	got, err = os.ReadFile(name)
	require.NoError(t, err)
	require.Equal(t, "new\n", string(got), "a file that appeared is left alone")

	require.NoError(t, os.Chmod(name, 0o600))
	require.NoError(t, WriteFile(name, true, []byte("over\n")))
	got, err = os.ReadFile(name)
	require.NoError(t, err)
	require.Equal(t, "over\n", string(got))
	info, err = os.Stat(name)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), info.Mode().Perm())
}

// umask is the bits the process's umask takes from a new file's mode.
func umask(t *testing.T) os.FileMode {
	f := filepath.Join(t.TempDir(), "probe")
	require.NoError(t, os.WriteFile(f, nil, 0o777))
	info, err := os.Stat(f)
	require.NoError(t, err)
	return 0o777 &^ info.Mode().Perm()
}
