package gomod_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/gomod"
	"github.com/confidential-containers/release-tools/internal/fixture"
	"github.com/confidential-containers/release-tools/version"
)

const head = "module example.com/a\n\ngo 1.23.0\n\n"

func TestRequireBytes(t *testing.T) {
	tests := []struct {
		name, src, mod, version, want string
	}{
		{"in a block", head + "require (\n\tb.com/x v1.0.0\n\tc.com/y v1.0.0 // why\n)\n", "c.com/y", "v1.1.0",
			head + "require (\n\tb.com/x v1.0.0\n\tc.com/y v1.1.0 // why\n)\n"},
		{"single line", head + "require b.com/x v1.0.0 // pinned\n", "b.com/x", "v2.0.0+incompatible",
			head + "require b.com/x v2.0.0+incompatible // pinned\n"},
		{"indirect kept", head + "require (\n\tb.com/x v1.0.0 // indirect; TEMPORARY for early tdx dev\n)\n", "b.com/x", "v1.0.1",
			head + "require (\n\tb.com/x v1.0.1 // indirect; TEMPORARY for early tdx dev\n)\n"},
		{"replace kept", head + "require b.com/x v1.0.0\n\nreplace b.com/x => ../x\n", "b.com/x", "v1.2.0",
			head + "require b.com/x v1.2.0\n\nreplace b.com/x => ../x\n"},
		{"pseudo-version", head + "require b.com/x v1.0.0\n", "b.com/x", "v0.0.0-20250320073820-c0632f847fe7",
			head + "require b.com/x v0.0.0-20250320073820-c0632f847fe7\n"},
		{"CRLF", "module example.com/a\r\n\r\nrequire (\r\n\tb.com/x v1.0.0\r\n)\r\n", "b.com/x", "v1.0.1",
			"module example.com/a\r\n\r\nrequire (\r\n\tb.com/x v1.0.1\r\n)\r\n"},
		{"same version is a no-op", head + "require b.com/x v1.0.0 // c\n", "b.com/x", "v1.0.0",
			head + "require b.com/x v1.0.0 // c\n"},
		{"add in sorted position of the direct block", head + "require (\n\tb.com/x v1.0.0\n\td.com/z v1.0.0\n)\n\nrequire (\n\te.com/i v1.0.0 // indirect\n)\n", "c.com/y", "v1.0.0",
			head + "require (\n\tb.com/x v1.0.0\n\tc.com/y v1.0.0\n\td.com/z v1.0.0\n)\n\nrequire (\n\te.com/i v1.0.0 // indirect\n)\n"},
		{"add at the end of the direct block", head + "require (\n    b.com/x v1.0.0 // c\n)\n", "z.com/y", "v1.0.0",
			head + "require (\n    b.com/x v1.0.0 // c\n    z.com/y v1.0.0\n)\n"},
		{"add with only an indirect block", head + "require (\n\te.com/i v1.0.0 // indirect\n)\n", "c.com/y", "v1.0.0",
			"module example.com/a\n\ngo 1.23.0\n\nrequire c.com/y v1.0.0\n\nrequire (\n\te.com/i v1.0.0 // indirect\n)\n"},
		{"add to a file without requires", "module example.com/a\n\ngo 1.23.0\n", "c.com/y", "v1.0.0",
			"module example.com/a\n\ngo 1.23.0\n\nrequire c.com/y v1.0.0\n"},
		{"add after a single require", head + "require b.com/x v1.0.0\n", "c.com/y", "v1.0.0",
			head + "require b.com/x v1.0.0\nrequire c.com/y v1.0.0\n"},
		{"add to a file without a final newline", "module example.com/a", "c.com/y", "v1.0.0",
			"module example.com/a\n\nrequire c.com/y v1.0.0\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := gomod.RequireBytes("go.mod", []byte(tt.src), tt.mod, tt.version)
			require.NoError(t, err)
			require.Equal(t, tt.want, string(got))
			m, err := gomod.Parse(".", got)
			require.NoError(t, err)
			require.Equal(t, tt.version, m.Requires[tt.mod])
		})
	}
}

func TestRequireBytesErrors(t *testing.T) {
	tests := []struct {
		name, src, mod, version, want string
	}{
		{"malformed go.mod", "module\nrequire (\n", "b.com/x", "v1.0.0", "src/x/go.mod:3: syntax error"},
		{"not canonical", head + "require b.com/x v1.0.0\n", "b.com/x", "v1.2", `version "v1.2" is not canonical semver; did you mean "v1.2.0"?`},
		{"build metadata", head + "require b.com/x v1.0.0\n", "b.com/x", "v1.2.3+build", `did you mean "v1.2.3"?`},
		{"no v", head + "require b.com/x v1.0.0\n", "b.com/x", "1.2.3", "not a semantic version"},
		{"garbage", head + "require b.com/x v1.0.0\n", "b.com/x", "latest", "latest"},
		{"bad module path", head, "not a path", "v1.0.0", "malformed module path"},
		{"duplicate require", head + "require b.com/x v1.0.0\nrequire b.com/x v1.1.0\n", "b.com/x", "v1.2.0", `require "b.com/x" appears 2 times (lines 5 and 6)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := gomod.RequireBytes("src/x/go.mod", []byte(tt.src), tt.mod, tt.version)
			require.ErrorContains(t, err, tt.want)
			require.ErrorContains(t, err, "src/x/go.mod")
		})
	}
}

func TestBumpRequires(t *testing.T) {
	internal := []string{"example.com/r/a", "example.com/r/b"}
	src := head + "require (\n\texample.com/r/a v0.12.0\n\texample.com/r/b " + gomod.ZeroPseudoVersion + "\n\tother.com/x v0.12.0\n)\n\nreplace example.com/r/a => ../a\n"
	v, err := version.Parse("v0.13.0-alpha.1", nil)
	require.NoError(t, err)
	got, err := gomod.BumpRequires("go.mod", []byte(src), internal, v)
	require.NoError(t, err)
	require.Equal(t, head+"require (\n\texample.com/r/a v0.13.0-alpha.1\n\texample.com/r/b "+gomod.ZeroPseudoVersion+"\n\tother.com/x v0.12.0\n)\n\nreplace example.com/r/a => ../a\n", string(got))

	same, err := gomod.BumpRequires("go.mod", got, internal, v)
	require.NoError(t, err)
	require.Equal(t, string(got), string(same))

	_, err = gomod.BumpRequires("src/a/go.mod", []byte(src), internal, version.Version{})
	require.ErrorContains(t, err, `gomod: src/a/go.mod: no version to bump to`)
}

// TestRequireFile: the file API leaves the file byte-identical on error and
// untouched by a no-op.
func TestRequireFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "go.mod")
	src := fixture.MustFile(fixture.GomodBump, "before", "src/csi-wrapper/go.mod")
	require.NoError(t, os.WriteFile(file, src, 0o644))
	const caa = "github.com/confidential-containers/cloud-api-adaptor/src/cloud-api-adaptor"

	require.ErrorContains(t, gomod.Require(file, caa, "v0.13"), file)
	assertContent(t, file, src)
	require.NoError(t, gomod.Require(file, caa, "v0.12.0"))
	assertContent(t, file, src)

	require.NoError(t, os.Chmod(file, 0o444))
	err := gomod.Require(file, caa, "v0.13.0")
	require.ErrorContains(t, err, "read-only")
	assertContent(t, file, src)
	require.NoError(t, os.Chmod(file, 0o644))

	require.NoError(t, gomod.Require(file, caa, "v0.13.0"))
	assertContent(t, file, fixture.MustFile(fixture.GomodBump, "after", "src/csi-wrapper/go.mod"))

	err = gomod.Require(filepath.Join(dir, "nope", "go.mod"), caa, "v0.13.0")
	require.ErrorIs(t, err, os.ErrNotExist)
}

func TestDiscover(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(data), 0o644))
	}
	write("go.mod", "module example.com/r\n")
	write("src/a/go.mod", "module example.com/r/src/a\n\nrequire example.com/r v0.1.0\n")
	write("src/a/nested/go.mod", "module example.com/r/src/a/nested\n")
	write("src/a/vendor/x/go.mod", "module x\n")
	write("src/testdata/go.mod", "module t\n")
	write(".hidden/go.mod", "module h\n")
	write("_skip/go.mod", "module s\n")
	mods, err := gomod.Discover(dir)
	require.NoError(t, err)
	require.Len(t, mods, 3)
	require.Equal(t, []string{".", "src/a", "src/a/nested"}, []string{mods[0].Dir, mods[1].Dir, mods[2].Dir})
	require.Equal(t, map[string]string{"example.com/r": "v0.1.0"}, mods[1].Requires)

	write("src/b/go.mod", "require (\n")
	_, err = gomod.Discover(dir)
	require.ErrorContains(t, err, "src/b/go.mod")
	write("src/b/go.mod", "go 1.25\n")
	_, err = gomod.Discover(dir)
	require.ErrorContains(t, err, "src/b/go.mod: no module line")
}

func assertContent(t *testing.T, file string, want []byte) {
	t.Helper()
	got, err := os.ReadFile(file)
	require.NoError(t, err)
	require.Equal(t, string(want), string(got))
}
