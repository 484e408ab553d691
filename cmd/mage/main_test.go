package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

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

	// A folder replacing a module: its changes are in neither file, so
	// the go command is asked on every run.
	replaced, err := setup(module(v3+"\nreplace github.com/confidential-containers/release-tools => /src/release-tools\n", "sum a\n"), env())
	require.NoError(t, err)
	require.False(t, replaced.hashFast)
	require.NotContains(t, replaced.env, "MAGEFILE_HASHFAST")
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
		{settings{first: true}, []string{"status"}, "release-tools: building the release targets: about a minute, once for this go.mod and go.sum (later runs take a second or two: go.mod replaces a module with a local folder)\n"},
		{settings{first: true, hashFast: true}, []string{"-w", "..", "-l"}, ""},
		{settings{first: true, hashFast: true}, []string{"-h", "release"}, ""},
		{settings{hashFast: true}, []string{"status"}, ""},
	} {
		var b strings.Builder
		announce(&b, tc.s, tc.args)
		require.Equal(t, tc.want, b.String(), tc.args)
	}
}
