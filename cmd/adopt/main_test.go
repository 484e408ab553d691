package main_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestAdopt builds the command as go run would from this checkout (no
// version: (devel)) and runs it in an empty folder.
func TestAdopt(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command with the go command")
	}
	t.Parallel()
	bin := filepath.Join(t.TempDir(), "adopt")
	build := exec.CommandContext(context.Background(), "go", "build", "-buildvcs=false", "-o", bin, ".")
	build.Env = append(os.Environ(), "GOPROXY=off", "GOFLAGS=-mod=mod")
	out, err := build.CombinedOutput()
	require.NoError(t, err, string(out))

	run := func(env ...string) (string, error) {
		cmd := exec.CommandContext(context.Background(), bin)
		cmd.Dir = t.TempDir()
		cmd.Env = append(os.Environ(), env...)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	out2, err := run("RELEASE_TOOLS_VERSION=", "RELEASE_TOOLS_DIR=")
	require.Error(t, err)
	require.Contains(t, out2, "(devel)): set RELEASE_TOOLS_VERSION=vX.Y.Z")

	out2, err = run("RELEASE_TOOLS_VERSION=v0.3.0", "RELEASE_TOOLS_DIR=", "DRY_RUN=1", "PUSH=")
	require.NoError(t, err, out2)
	require.True(t, strings.HasPrefix(out2, "adopt: would write .mage/go.mod:\n"), out2)
	require.Contains(t, out2, "require github.com/confidential-containers/release-tools v0.3.0\n")
	require.Contains(t, out2, "DRY_RUN: nothing written\n")
}
