//go:build !unix

package run

import (
	"errors"
	"os/exec"
)

// ownGroup does nothing: process groups are Unix's.
func ownGroup(*exec.Cmd) {}

// terminate cannot send SIGTERM here: the caller kills.
func terminate(*exec.Cmd, bool) error { return errors.ErrUnsupported }
