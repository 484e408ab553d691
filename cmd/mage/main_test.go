package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/magefile/mage/mg"
	"github.com/stretchr/testify/require"
)

// asWrapper, set in a test binary's environment, makes it the command
// (main): TestRunsAtOnce runs this binary as mage, rather than linking
// the command again with go build.
const asWrapper = "RELEASE_TOOLS_CMD_MAGE_TEST_AS_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(asWrapper) == "1" {
		main()
	}
	os.Exit(m.Run())
}

func TestSetup(t *testing.T) {
	t.Parallel()
	base := t.TempDir()
	env := func(kv ...string) func(string) string {
		m := map[string]string{"MAGEFILE_CACHE": base}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return func(k string) string { return m[k] }
	}
	module := func(gomod, gosum string) string {
		dir := t.TempDir()
		require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte(gomod), 0o644))
		if gosum != "" {
			require.NoError(t, os.WriteFile(filepath.Join(dir, "go.sum"), []byte(gosum), 0o644))
		}
		return dir
	}
	const v3 = "module magefiles\n\ngo 1.25.0\n\nrequire github.com/confidential-containers/release-tools v0.3.0\n\ntool github.com/confidential-containers/release-tools/cmd/mage\n"
	const v4 = "module magefiles\n\ngo 1.25.0\n\nrequire github.com/confidential-containers/release-tools v0.4.0\n\ntool github.com/confidential-containers/release-tools/cmd/mage\n"

	a, err := setup(module(v3, "sum a\n"), env())
	require.NoError(t, err)
	require.True(t, a.hashFast)
	require.True(t, a.first, "nothing compiled yet")
	require.Equal(t, "1", a.env["MAGEFILE_HASHFAST"])
	require.True(t, strings.HasPrefix(a.env["MAGEFILE_CACHE"], filepath.Join(base, "release-tools-")), a.env["MAGEFILE_CACHE"])

	same, err := setup(module(v3, "sum a\n"), env())
	require.NoError(t, err)
	require.Equal(t, a.env, same.env, "the same go.mod and go.sum: the same compiled targets")

	for name, dir := range map[string]string{
		"another version": module(v4, "sum a\n"),
		"another go.sum":  module(v3, "sum b\n"),
		"no go.sum":       module(v3, ""),
	} {
		other, err := setup(dir, env())
		require.NoError(t, err, name)
		require.NotEqual(t, a.env["MAGEFILE_CACHE"], other.env["MAGEFILE_CACHE"], "%s: built afresh, never a stale binary", name)
	}

	// Once compiled, the next run is warm.
	require.NoError(t, os.MkdirAll(a.env["MAGEFILE_CACHE"], 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(a.env["MAGEFILE_CACHE"], "exe"), nil, 0o755))
	warm, err := setup(module(v3, "sum a\n"), env())
	require.NoError(t, err)
	require.False(t, warm.first)

	// A folder replacing a module: its content is in neither file, so it
	// is hashed too; a change in it builds afresh, none starts warm.
	folder := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(folder, "go.mod"), []byte("module x\n"), 0o644))
	require.NoError(t, os.MkdirAll(filepath.Join(folder, ".git"), 0o755))
	withFolder := module(v3+"\nreplace github.com/confidential-containers/release-tools => "+folder+"\n", "sum a\n")
	replaced, err := setup(withFolder, env())
	require.NoError(t, err)
	require.True(t, replaced.hashFast)
	require.Equal(t, "1", replaced.env["MAGEFILE_HASHFAST"])
	again, err := setup(withFolder, env())
	require.NoError(t, err)
	require.Equal(t, replaced.env, again.env, "the folder unchanged: the same compiled targets")
	require.NoError(t, os.WriteFile(filepath.Join(folder, ".git", "index"), []byte("x"), 0o644))
	again, err = setup(withFolder, env())
	require.NoError(t, err)
	require.Equal(t, replaced.env, again.env, "git's own files are not the build's")
	require.NoError(t, os.WriteFile(filepath.Join(folder, "a.go"), []byte("package x\n"), 0o644))
	changed, err := setup(withFolder, env())
	require.NoError(t, err)
	require.NotEqual(t, replaced.env[mg.CacheEnv], changed.env[mg.CacheEnv], "a change in the folder: built afresh")
	relative := module(v3+"\nreplace github.com/confidential-containers/release-tools => ../missing-folder\n", "sum a\n")
	_, err = setup(relative, env())
	require.ErrorIs(t, err, os.ErrNotExist, "a folder that is not there: plain mage, which says so")
	versioned, err := setup(module(v3+"\nreplace golang.org/x/mod => golang.org/x/mod v0.30.0\n", "sum a\n"), env())
	require.NoError(t, err)
	require.True(t, versioned.hashFast, "a module replaced by a version is in go.sum")

	// The user's MAGEFILE_HASHFAST is kept.
	off, err := setup(module(v3, "sum a\n"), env("MAGEFILE_HASHFAST", "0"))
	require.NoError(t, err)
	require.False(t, off.hashFast)
	require.NotContains(t, off.env, "MAGEFILE_HASHFAST")

	_, err = setup(t.TempDir(), env())
	require.ErrorIs(t, err, os.ErrNotExist, "no go.mod: plain mage")
}

func TestAnnounce(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		s    settings
		args []string
		want string
	}{
		{settings{first: true, hashFast: true}, []string{"-w", "..", "status"}, "release-tools: building the release targets: about a minute, once for this go.mod and go.sum (later runs start at once)\n"},
		{settings{first: true}, []string{"status"}, "release-tools: building the release targets: about a minute, once for this go.mod and go.sum (later runs take a second or two: MAGEFILE_HASHFAST=0 asks the go command on each)\n"},
		{settings{first: true, hashFast: true}, []string{"-w", "..", "-l"}, ""},
		{settings{first: true, hashFast: true}, []string{"-h", "release"}, ""},
		{settings{hashFast: true}, []string{"status"}, ""},
	} {
		var b strings.Builder
		announce(&b, tc.s, tc.args)
		require.Equal(t, tc.want, b.String(), tc.args)
	}
}

// TestRunsAtOnce: runs of a target at the same time in one module, the
// targets not compiled yet, each compile aside and move the binary into
// place: none collides on mage's generated file, and nothing is written
// into the module's folder. The next run starts warm, compiling nothing.
// The command is this test binary, run as main (asWrapper).
func TestRunsAtOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the targets with the go command")
	}
	t.Parallel()
	bin, err := os.Executable()
	require.NoError(t, err)

	mod := t.TempDir()
	files := map[string]string{
		"go.mod":      "module magefiles\n\ngo 1.25.0\n",
		"magefile.go": "//go:build mage\n\npackage main\n\nimport \"fmt\"\n\n// Hello says hello.\nfunc Hello() { fmt.Println(\"hello from the targets\") }\n",
	}
	for name, data := range files {
		require.NoError(t, os.WriteFile(filepath.Join(mod, name), []byte(data), 0o644))
	}
	// A folder where mage would write its generated file: a run that
	// wrote it into the module would fail, every time, not only when two
	// runs race.
	require.NoError(t, os.Mkdir(filepath.Join(mod, "mage_output_file.go"), 0o755))
	work := t.TempDir()
	env := append(os.Environ(), asWrapper+"=1", "MAGEFILE_CACHE="+t.TempDir(), "MAGEFILE_HASHFAST=", "GOPROXY=off", "GOWORK=off", "GOFLAGS=")
	mage := func() (string, error) {
		cmd := exec.Command(bin, "-w", work, "hello")
		cmd.Dir, cmd.Env = mod, env
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	const runs = 2 // the generated file collides at every run (the folder above), not only when runs race
	outs := make([]string, runs)
	errs := make([]error, runs)
	var wg sync.WaitGroup
	for i := range runs {
		wg.Go(func() { outs[i], errs[i] = mage() })
	}
	wg.Wait()
	for i := range runs {
		require.NoError(t, errs[i], outs[i])
		require.Contains(t, outs[i], "hello from the targets\n")
	}
	entries, err := os.ReadDir(mod)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	require.ElementsMatch(t, []string{"go.mod", "magefile.go", "mage_output_file.go"}, names, "nothing written into the module")

	warm, err := mage()
	require.NoError(t, err, warm)
	require.Equal(t, "hello from the targets\n", warm, "warm: nothing compiled, nothing announced")
}
