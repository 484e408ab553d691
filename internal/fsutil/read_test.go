package fsutil

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "f")
	require.NoError(t, os.WriteFile(file, []byte(strings.Repeat("x", 100)), 0o644))

	got, err := ReadFile(file, 100)
	require.NoError(t, err)
	require.Len(t, got, 100, "a file of exactly the limit is read")

	_, err = ReadFile(file, 99)
	var se *SizeError
	require.ErrorAs(t, err, &se)
	require.Equal(t, SizeError{Size: 100, Limit: 99}, *se)
	require.EqualError(t, err, "read "+file+": 100 bytes, over the 99 bytes limit for a file to edit")

	big := filepath.Join(dir, "big")
	require.NoError(t, os.WriteFile(big, make([]byte, 50<<20+1234), 0o644))
	_, err = ReadFile(big, 4<<20)
	require.EqualError(t, err, "read "+big+": 50.0 MiB (52430034 bytes), over the 4 MiB limit for a file to edit")

	_, err = ReadFile(filepath.Join(dir, "missing"), 10)
	require.ErrorIs(t, err, os.ErrNotExist)
}

func TestBytes(t *testing.T) {
	for n, want := range map[int64]string{0: "0 bytes", 1023: "1023 bytes", 1024: "1 KiB", 1536: "1.5 KiB", 4 << 20: "4 MiB", 4<<20 + 1: "4.0 MiB"} {
		require.Equal(t, want, Bytes(n), "%d", n)
	}
}
