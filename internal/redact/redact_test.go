package redact

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://u:ghp_secret@github.com/o/r":                        "https://***@github.com/o/r",
		"https://ghp_secret@github.com/o/r.git":                      "https://***@github.com/o/r.git",
		"read x from https://u:ghp_secret@h/o: fail (https://a:b@c)": "read x from https://***@h/o: fail (https://***@c)",
		`remote "ssh://git:pw@host:22/r"`:                            `remote "ssh://***@host:22/r"`,
		"git+ssh://u:p@host/r":                                       "git+ssh://***@host/r",
		"https://u:p@ss@host/r":                                      "https://***@host/r",
		"GOPROXY=http://u:ghp_secret@proxy.example,direct":           "GOPROXY=http://***@proxy.example,direct",
		"https://u:p@host":                                           "https://***@host",
		// nothing to redact
		"https://github.com/o/r":        "https://github.com/o/r",
		"https://host/path@v1.2.3":      "https://host/path@v1.2.3",
		"git@github.com:o/r.git":        "git@github.com:o/r.git",
		"example.com/m@v1.0.0":          "example.com/m@v1.0.0",
		"file:///tmp/kata":              "file:///tmp/kata",
		"https://host/?q=a@b":           "https://host/?q=a@b",
		"no URL here, user@example.com": "no URL here, user@example.com",
	} {
		require.Equal(t, want, URL(in), in)
	}
}

func TestError(t *testing.T) {
	require.NoError(t, Error(nil))
	plain := errors.New("no credentials")
	require.Same(t, plain, Error(plain), "an error without credentials is returned as it is")

	err := Error(fmt.Errorf("clone https://u:ghp_secret@h/r: %w", fs.ErrNotExist))
	require.Equal(t, "clone https://***@h/r: file does not exist", err.Error())
	require.ErrorIs(t, err, fs.ErrNotExist)
	var pe *fs.PathError
	inner := Error(fmt.Errorf("https://u:ghp_secret@h: %w", &fs.PathError{Op: "open", Path: "p", Err: fs.ErrPermission}))
	require.ErrorAs(t, inner, &pe)
	require.NotContains(t, fmt.Errorf("wrapped: %w", inner).Error(), "ghp_secret")
}

func TestWriter(t *testing.T) {
	var b bytes.Buffer
	w := Writer(&b)
	n, err := fmt.Fprintf(w, "reading from %s\n", "https://u:ghp_secret@h/r")
	require.NoError(t, err)
	require.Equal(t, len("reading from https://u:ghp_secret@h/r\n"), n)
	require.Equal(t, "reading from https://***@h/r\n", b.String())
	require.Equal(t, w, Writer(w), "a redacting writer is not wrapped twice")
	require.Nil(t, Writer(nil))
}
