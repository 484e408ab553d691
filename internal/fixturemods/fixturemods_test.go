package fixturemods_test

import (
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/fixture"
	"github.com/confidential-containers/release-tools/internal/fixturemods"
	"github.com/confidential-containers/release-tools/internal/goproxytest"
)

// write writes a stage's side, with small modules, below a new directory.
func write(t *testing.T, stage, side string) (string, map[string][]byte) {
	t.Helper()
	files, err := fixture.Files(stage, side)
	require.NoError(t, err)
	files, err = fixturemods.Small(files)
	require.NoError(t, err)
	dir := t.TempDir()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, data, 0o644))
	}
	return dir, files
}

func goCmd(t *testing.T, env []string, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir, cmd.Env = dir, env
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "go %v in %s: %s", args, dir, out)
}

// TestSmall: the small modules of both cycles are what go mod tidy leaves
// as they are, offline; the ones nothing requires stay real; go get of
// the Kata release then tidy gives the small form of the deps sync's
// after/ go.mod, logrus moved with it as it did in v0.21.0.
func TestSmall(t *testing.T) {
	proxy := t.TempDir()
	require.NoError(t, fixturemods.WriteProxy(proxy))
	env := goproxytest.Env(proxy, t.TempDir())
	for _, c := range []struct{ stage, kata string }{
		{fixture.HelmDepsSync, fixture.HelmKataVersion},
		{fixture.KataSync, fixture.KataVersion},
	} {
		t.Run(c.stage, func(t *testing.T) {
			dir, files := write(t, c.stage, "before")
			real, err := fixture.Files(c.stage, "before")
			require.NoError(t, err)
			for _, m := range []string{"src/cloud-api-adaptor", "src/csi-wrapper", "src/peerpod-ctrl", "src/cloud-providers", "src/webhook"} {
				require.NotEqual(t, string(real[m+"/go.mod"]), string(files[m+"/go.mod"]), m)
				require.FileExists(t, filepath.Join(dir, m, "lib.go"))
				goCmd(t, env, filepath.Join(dir, m), "mod", "tidy")
				got, err := os.ReadFile(filepath.Join(dir, m, "go.mod"))
				require.NoError(t, err)
				require.Equal(t, string(files[m+"/go.mod"]), string(got), "go mod tidy changed the small %s/go.mod", m)
			}
			for _, m := range []string{"src/cloud-api-adaptor/podvm/go.mod"} {
				require.Equal(t, string(real[m]), string(files[m]), m)
			}

			_, after := write(t, c.stage, "after")
			for _, m := range []string{"src/cloud-api-adaptor", "src/csi-wrapper"} {
				goCmd(t, env, filepath.Join(dir, m), "get", fixturemods.KataRuntime+"@"+c.kata)
				goCmd(t, env, filepath.Join(dir, m), "mod", "tidy")
				got, err := os.ReadFile(filepath.Join(dir, m, "go.mod"))
				require.NoError(t, err)
				require.Equal(t, string(after[path.Join(m, "go.mod")]), string(got), m)
			}
		})
	}
	want := "module github.com/confidential-containers/cloud-api-adaptor/src/csi-wrapper\n\ngo 1.25.0\n\nrequire (\n" +
		"\tgithub.com/confidential-containers/cloud-api-adaptor/src/cloud-api-adaptor v0.0.0-00010101000000-000000000000\n" +
		"\tgithub.com/kata-containers/kata-containers/src/runtime v0.0.0-20260422184550-8dccf4cf37ae\n)\n\n" +
		"require github.com/sirupsen/logrus v1.9.3 // indirect\n\n" +
		"replace github.com/confidential-containers/cloud-api-adaptor/src/cloud-api-adaptor => ../cloud-api-adaptor\n"
	_, files := write(t, fixture.HelmDepsSync, "before")
	require.Equal(t, want, string(files["src/csi-wrapper/go.mod"]))
}
