package run

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestErrorRedacts: a command's arguments and what it said keep no
// credentials of a URL in the error's text.
func TestErrorRedacts(t *testing.T) {
	e := &Error{Dir: "/r", Args: []string{"git", "push", "https://u:ghp_secret@h/o/r.git", "x"},
		Stderr: "fatal: unable to access 'https://ghp_secret@h/o/r.git/': refused\n", Err: errors.New("exit status 128")}
	require.Equal(t, "git push https://***@h/o/r.git x (in /r): exit status 128:\nfatal: unable to access 'https://***@h/o/r.git/': refused", e.Error())
}
