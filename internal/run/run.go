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
	"time"

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
	return start(exec.CommandContext(ctx, name, args...), dir, env)
}

// Grace is how long [Stoppable] gives a cancelled command to stop before
// it is killed.
const Grace = time.Second

// Stoppable is [Stderr] for a command that must stop cleanly when ctx is
// done, such as git push: it is sent SIGTERM, on which git removes its
// lock files; if it has not exited after [Grace] it is killed, and its
// output is no longer waited for (a process it started may hold it open).
// With group, the command runs in a process group of its own, and the
// whole group is sent SIGTERM: the processes git started go too (a local
// remote's git-receive-pack and its hooks, which would otherwise finish
// the push after the command is gone). A command that may prompt on the
// terminal (ssh, credentials) must not run in a group of its own: a
// background group that reads the terminal is stopped.
func Stoppable(ctx context.Context, dir string, env []string, group bool, name string, args ...string) (stdout []byte, stderr string, err error) {
	cmd := exec.CommandContext(ctx, name, args...)
	if group {
		ownGroup(cmd)
	}
	cmd.Cancel = func() error {
		if err := terminate(cmd, group); err != nil {
			return cmd.Process.Kill() // no SIGTERM here (Windows)
		}
		return nil
	}
	cmd.WaitDelay = Grace
	return start(cmd, dir, env)
}

// start runs cmd in dir with env, keeping its output.
func start(cmd *exec.Cmd, dir string, env []string) (stdout []byte, stderr string, err error) {
	name, args := cmd.Args[0], cmd.Args[1:]
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

// Combined is [Cmd] with standard error and standard output together in
// what it returns, in the order the command wrote them: for a command
// whose output is for a person (a hook, a check). On failure the error is
// an [*Error] and the output is returned all the same.
func Combined(ctx context.Context, dir string, env []string, name string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = env
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	if err := cmd.Run(); err != nil {
		return out.Bytes(), &Error{Dir: dir, Args: append([]string{name}, args...), Err: err}
	}
	return out.Bytes(), nil
}
