package main_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestAdopt builds the command as go run would from this checkout (no
// version: (devel)) and runs it in an empty folder: without variables,
// .mage/go.mod replaces the release tools with this checkout.
func TestAdopt(t *testing.T) {
	t.Parallel()
	bin := build(t)
	checkout, err := filepath.Abs(filepath.Join("..", ".."))
	require.NoError(t, err)

	run := func(dir string, args []string, env ...string) (string, error) {
		cmd := exec.CommandContext(context.Background(), bin, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), env...)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	out, err := run(t.TempDir(), nil, "RELEASE_TOOLS_VERSION=", "RELEASE_TOOLS_DIR=", "DRY_RUN=1")
	require.NoError(t, err, out)
	require.Contains(t, out, "require github.com/confidential-containers/release-tools v0.0.0-00010101000000-000000000000\n")
	require.Contains(t, out, "replace github.com/confidential-containers/release-tools => "+checkout+"\n")

	out, err = run(t.TempDir(), nil, "RELEASE_TOOLS_VERSION=v0.3.0", "RELEASE_TOOLS_DIR=", "DRY_RUN=1", "PUSH=")
	require.NoError(t, err, out)
	require.True(t, strings.HasPrefix(out, "adopt: would write .mage/go.mod:\n"), out)
	require.Contains(t, out, "require github.com/confidential-containers/release-tools v0.3.0\n")
	require.NotContains(t, out, "replace")
	require.Contains(t, out, "DRY_RUN: nothing written\n")
}

// TestAdoptArgs: -h and --help print the usage and adopt nothing; a flag
// it does not know, two folders, a file, or the release tools' own
// checkout are refused, and nothing is written.
func TestAdoptArgs(t *testing.T) {
	t.Parallel()
	bin := build(t)
	checkout, err := filepath.Abs(filepath.Join("..", ".."))
	require.NoError(t, err)
	file := filepath.Join(t.TempDir(), "file")
	require.NoError(t, os.WriteFile(file, nil, 0o644))
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"-h"}, 0, "usage: adopt [-workflows] [dir]\n"},
		{[]string{"--help"}, 0, "usage: adopt [-workflows] [dir]\n"},
		{[]string{"-help"}, 0, "usage: adopt [-workflows] [dir]\n"},
		{[]string{"--dry-run"}, 2, "Error: flag provided but not defined: -dry-run\n\nusage: adopt [-workflows] [dir]\n"},
		{[]string{"a", "b"}, 2, `Error: one directory at most, got ["a" "b"]`},
		{[]string{file}, 1, "is not a directory: give the root of the repository to adopt"},
		{[]string{"missing"}, 1, "no such file or directory"},
		{[]string{checkout}, 1, "that is the release tools' own checkout"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			dir := t.TempDir()
			cmd := exec.CommandContext(context.Background(), bin, tc.args...)
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "RELEASE_TOOLS_VERSION=v0.3.0", "RELEASE_TOOLS_DIR=", "DRY_RUN=", "SKIP_GO=1")
			out, err := cmd.CombinedOutput()
			code := 0
			if exit := (*exec.ExitError)(nil); errors.As(err, &exit) {
				code = exit.ExitCode()
			} else {
				require.NoError(t, err)
			}
			require.Equal(t, tc.code, code, string(out))
			require.Contains(t, string(out), tc.want)
			entries, err := os.ReadDir(dir)
			require.NoError(t, err)
			require.Empty(t, entries, "nothing written")
			require.NoDirExists(t, filepath.Join(checkout, ".mage"))
		})
	}
}

// build builds the command from this checkout, as go run does, once for
// the test binary: the tests run the same command. Not with -short.
func build(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the command with the go command")
	}
	bin, err := built()
	require.NoError(t, err)
	return bin
}

// binDir holds the command [built] builds; TestMain removes it.
var binDir string

var built = sync.OnceValues(func() (string, error) {
	bin := filepath.Join(binDir, "adopt")
	cmd := exec.CommandContext(context.Background(), "go", "build", "-buildvcs=false", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "GOPROXY=off", "GOFLAGS=-mod=mod")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %w\n%s", err, out)
	}
	return bin, nil
})

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "adopt-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// TestAdoptLastWords: adopt ends by naming exactly the files it wrote,
// main.go included, and what to do with each: commit them all for a
// version, none for a local checkout (its go.mod names a folder of this
// machine), never both.
func TestAdoptLastWords(t *testing.T) {
	t.Parallel()
	bin := build(t)
	checkout, err := filepath.Abs(filepath.Join("..", ".."))
	require.NoError(t, err)
	for _, tc := range []struct {
		name string
		env  []string
		want string
	}{
		{"a version", []string{"RELEASE_TOOLS_VERSION=v0.3.0", "RELEASE_TOOLS_DIR="},
			"\nadopt wrote these files: commit them all (git add .mage):\n" +
				"  .mage/go.mod       requires github.com/confidential-containers/release-tools v0.3.0, its mage the tool\n" +
				"  .mage/magefile.go  imports the release targets\n" +
				"  .mage/main.go      says how to run them; what go commands on ./... in .mage see\n" +
				"then run `go -C .mage mod tidy` (it needs the network): it writes .mage/go.sum, to go with them\n"},
		{"a local checkout", []string{"RELEASE_TOOLS_VERSION=", "RELEASE_TOOLS_DIR="},
			"\nadopt wrote these files, for trying " + checkout + " here: commit none of them (go.mod names a folder of this machine); remove .mage/ when done:\n" +
				"  .mage/go.mod       requires github.com/confidential-containers/release-tools, replaced by " + checkout + "\n" +
				"  .mage/magefile.go  imports the release targets\n" +
				"  .mage/main.go      says how to run them; what go commands on ./... in .mage see\n" +
				"then run `go -C .mage mod tidy` (it needs the network): it writes .mage/go.sum, to go with them\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			cmd := exec.CommandContext(context.Background(), bin)
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), append(tc.env, "SKIP_GO=1", "DRY_RUN=")...)
			var stdout strings.Builder
			cmd.Stdout = &stdout
			require.NoError(t, cmd.Run())
			out := stdout.String()
			require.True(t, strings.HasSuffix(out, tc.want), "the last words:\n%s", out)
			var written []string
			require.NoError(t, filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					rel, _ := filepath.Rel(dir, p)
					written = append(written, filepath.ToSlash(rel))
				}
				return err
			}))
			for _, name := range written {
				require.Contains(t, tc.want, "  "+name+" ", "every file written is named")
			}
			require.Len(t, written, strings.Count(tc.want, "\n  "), "and no other")
			require.NotContains(t, out, "commit .mage/", "no contradicting advice")
		})
	}
}
