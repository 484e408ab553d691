// Package run runs external commands (go, git) the one way the project
// allows: no shell, an argument slice, an explicit directory, and stderr kept
// in the error.
package run

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strings"

	"github.com/confidential-containers/release-tools/internal/redact"
)

// Error is a command that failed: what ran, where, and what it said.
type Error struct {
	Dir    string
	Args   []string
	Stderr string
	Err    error
}

// Error says what ran, where, and what it said, with the credentials of
// any URL in them (a push URL, git's "unable to access '...'") redacted.
func (e *Error) Error() string {
	msg := fmt.Sprintf("%s (in %s): %v", strings.Join(e.Args, " "), e.Dir, e.Err)
	if s := strings.TrimSpace(e.Stderr); s != "" {
		msg += ":\n" + s
	}
	return redact.URL(msg)
}

func (e *Error) Unwrap() error { return e.Err }

// Cmd runs name with args in dir. env, when not nil, is the whole
// environment of the command. It returns the command's standard output; on
// failure the error is an [*Error].
func Cmd(ctx context.Context, dir string, env []string, name string, args ...string) ([]byte, error) {
	stdout, _, err := Stderr(ctx, dir, env, name, args...)
	return stdout, err
}

// Stderr is [Cmd] that also returns the command's standard error, for a
// command that can succeed and still say something is wrong.
func Stderr(ctx context.Context, dir string, env []string, name string, args ...string) (stdout []byte, stderr string, err error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = env
	var out, errOut bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &errOut
	if err := cmd.Run(); err != nil {
		return out.Bytes(), errOut.String(), &Error{Dir: dir, Args: append([]string{name}, args...), Stderr: errOut.String(), Err: err}
	}
	return out.Bytes(), errOut.String(), nil
}
