package run

import (
	"bytes"
	"context"
	"os/exec"
)

// Input is [Cmd] with stdin as the command's standard input: one
// `git update-ref --stdin` for many refs, say, in place of a process each.
func Input(ctx context.Context, dir string, env []string, stdin []byte, name string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdin = bytes.NewReader(stdin)
	stdout, _, err := start(cmd, dir, env)
	return stdout, err
}
