package gomod_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/gomod"
	"github.com/confidential-containers/release-tools/internal/goproxytest"
)

// TestRunnerOffline runs go get and go mod tidy against a module proxy the
// test writes to disk.
func TestRunnerOffline(t *testing.T) {
	t.Parallel()
	proxy, cache, dir := t.TempDir(), t.TempDir(), t.TempDir()
	const dep = "example.com/kata/runtime"
	require.NoError(t, goproxytest.Write(proxy,
		goproxytest.Module{Path: dep, Version: "v1.0.0", Files: map[string]string{"rt.go": "package runtime\n\nconst V = 1\n"}},
		goproxytest.Module{Path: dep, Version: "v1.1.0", Files: map[string]string{"rt.go": "package runtime\n\nconst V = 2\n"}},
	))
	write := func(name, data string) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644))
	}
	write("go.mod", "module example.com/caa\n\ngo 1.25\n\nrequire example.com/kata/runtime v1.0.0\n")
	write("main.go", "package main\n\nimport rt \"example.com/kata/runtime\"\n\nfunc main() { println(rt.V) }\n")
	r := &gomod.Runner{Env: goproxytest.Env(proxy, cache)}
	ctx := context.Background()

	require.NoError(t, r.Get(ctx, dir, dep, "v1.1.0"))
	require.NoError(t, r.Tidy(ctx, dir))
	mods, err := gomod.Discover(dir)
	require.NoError(t, err)
	require.Equal(t, "v1.1.0", mods[0].Requires[dep])
	_, err = os.Stat(filepath.Join(dir, "go.sum"))
	require.NoError(t, err)

	err = r.Get(ctx, dir, dep, "v9.9.9")
	require.ErrorContains(t, err, "go get "+dep+"@v9.9.9")
	require.ErrorContains(t, err, dir)

	// A require the proxy does not have: tidy fails, naming the command,
	// the directory and what go said.
	write("go.mod", "module example.com/caa\n\ngo 1.25\n\nrequire example.com/missing v1.0.0\n")
	write("main.go", "package main\n\nimport _ \"example.com/missing\"\n\nfunc main() {}\n")
	err = r.Tidy(ctx, dir)
	require.ErrorContains(t, err, "go mod tidy (in "+dir+")")
	require.ErrorContains(t, err, "example.com/missing")

	for _, args := range [][2]string{{"", "v1"}, {dep, ""}, {"-x", "v1"}, {dep, "-v"}, {dep + "@v1", "v1"}} {
		require.ErrorContains(t, r.Get(ctx, dir, args[0], args[1]), "want a module path and a version query")
	}
}
