//go:build unix

package repolock

import (
	"errors"
	"syscall"
)

// running reports whether a process with pid runs on this host (one of
// another user's counts).
func running(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
