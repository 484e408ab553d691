package yamledit

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParsePath(t *testing.T) {
	for path, want := range map[string][]string{
		"git.kbs.reference":         {"git", "kbs", "reference"},
		"cloudimg.rhel.9.amd64.url": {"cloudimg", "rhel", "9", "amd64", "url"},
		`a."b.c".d`:                 {"a", "b.c", "d"},
		`"a.b"`:                     {"a.b"},
		"version":                   {"version"},
	} {
		got, err := ParsePath(path)
		require.NoError(t, err, path)
		require.Equal(t, want, got, path)
		require.Equal(t, path, FormatPath(got))
	}
	for path, want := range map[string]string{
		"":       "empty path",
		"a.":     "empty key",
		".a":     "empty key",
		`a."b`:   "unterminated quote",
		`a."b"c`: "must be followed by '.'",
		`a.b"c`:  "quote in the middle",
		`a.""`:   "empty key",
	} {
		_, err := ParsePath(path)
		require.ErrorContains(t, err, want, path)
	}
}
