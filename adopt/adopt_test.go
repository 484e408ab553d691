package adopt_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/adopt"
	"github.com/confidential-containers/release-tools/gomod"
)

func TestFiles(t *testing.T) {
	files, err := adopt.Files(adopt.Options{Version: "v0.3.0"})
	require.NoError(t, err)
	require.Equal(t, []string{".mage/go.mod", ".mage/magefile.go", ".mage/main.go"}, adopt.Names(files))
	require.Equal(t, `// The release targets of github.com/confidential-containers/release-tools,
// run from the repository's root: go -C .mage tool mage -w .. -l

module magefiles

go 1.25.0

require github.com/confidential-containers/release-tools v0.3.0

tool github.com/confidential-containers/release-tools/cmd/mage
`, string(files[".mage/go.mod"]))
	require.Equal(t, `//go:build mage

// The release targets, run from the repository's root:
// go -C .mage tool mage -w .. -l lists them.
package main

// mage:import
import _ "github.com/confidential-containers/release-tools/targets"
`, string(files[".mage/magefile.go"]))

	files, err = adopt.Files(adopt.Options{Version: "v0.0.0-20261127113459-05356d5abcde", Replace: "/src/release-tools"})
	require.NoError(t, err)
	require.Contains(t, string(files[".mage/go.mod"]), "\nrequire github.com/confidential-containers/release-tools v0.0.0-20261127113459-05356d5abcde\n")
	require.Contains(t, string(files[".mage/go.mod"]), "\nreplace github.com/confidential-containers/release-tools => /src/release-tools\n")
}

func TestFilesVersion(t *testing.T) {
	for _, tc := range []struct{ version, err string }{
		{"(devel)", "built from a checkout without a version"},
		{"", `version "": want a module version`},
		{"latest", `version "latest": want a module version`},
		{"v1", `version "v1": want a module version`},
		{"v0.0.0-20261127113459-05356d5abcde+dirty", "no +build suffix such as +dirty"},
		{"v2.0.0", "should be v0 or v1"},
	} {
		_, err := adopt.Files(adopt.Options{Version: tc.version})
		require.ErrorContains(t, err, tc.err, tc.version)
	}
	_, err := adopt.Files(adopt.Options{Version: "(devel)"})
	require.ErrorIs(t, err, adopt.ErrDevel)
}

func TestWrite(t *testing.T) {
	files, err := adopt.Files(adopt.Options{Version: "v0.3.0"})
	require.NoError(t, err)
	root := t.TempDir()
	require.NoError(t, adopt.Write(root, files))
	for name, data := range files {
		got, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(name)))
		require.NoError(t, err)
		require.Equal(t, string(data), string(got))
	}

	// A second write, or any .mage folder, is refused and writes nothing.
	require.NoError(t, os.WriteFile(filepath.Join(root, ".mage", "go.mod"), []byte("mine\n"), 0o644))
	err = adopt.Write(root, files)
	require.ErrorIs(t, err, adopt.ErrExists)
	var exists *adopt.ExistsError
	require.True(t, errors.As(err, &exists))
	require.Equal(t, []string{".mage/go.mod", ".mage/magefile.go", ".mage/main.go"}, exists.Files)
	got, err := os.ReadFile(filepath.Join(root, ".mage", "go.mod"))
	require.NoError(t, err)
	require.Equal(t, "mine\n", string(got))

	require.ErrorIs(t, adopt.Check(root), adopt.ErrExists)
	require.NoError(t, adopt.Check(t.TempDir()))

	empty := t.TempDir()
	require.NoError(t, os.Mkdir(filepath.Join(empty, ".mage"), 0o755))
	require.ErrorContains(t, adopt.Write(empty, files), "refusing to overwrite existing files: .mage")
	notDir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(notDir, ".mage"), nil, 0o644))
	require.ErrorIs(t, adopt.Write(notDir, files), adopt.ErrExists)
}

// The adoption module is no module of the repository being released: it is
// never tagged, bumped or tidied by a release.
func TestDirIsNoReleaseModule(t *testing.T) {
	files, err := adopt.Files(adopt.Options{Version: "v0.3.0"})
	require.NoError(t, err)
	root := t.TempDir()
	require.NoError(t, adopt.Write(root, files))
	require.NoError(t, os.MkdirAll(filepath.Join(root, "src", "a"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(root, "src", "a", "go.mod"), []byte("module example.com/r/src/a\n"), 0o644))
	mods, err := gomod.Discover(root)
	require.NoError(t, err)
	require.Len(t, mods, 1)
	require.Equal(t, "src/a", mods[0].Dir)
}
