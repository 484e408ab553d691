//go:build unix

package run

import (
	"os/exec"
	"syscall"
)

// ownGroup makes cmd start a process group of its own.
func ownGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

// terminate sends SIGTERM to cmd's process, or to its whole group.
func terminate(cmd *exec.Cmd, group bool) error {
	if group {
		return syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
	}
	return cmd.Process.Signal(syscall.SIGTERM)
}
