package gomod_test

import (
	"path"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/gomod"
	"github.com/confidential-containers/release-tools/internal/fixture"
	"github.com/confidential-containers/release-tools/version"
)

const kataRuntime = "github.com/kata-containers/kata-containers/src/runtime"

// internalPaths returns the module paths of a stage's go.mod files.
func internalPaths(t *testing.T, files map[string][]byte) []string {
	t.Helper()
	var paths []string
	for name, data := range files {
		if path.Base(name) != "go.mod" {
			continue
		}
		m, err := gomod.Parse(path.Dir(name), data)
		require.NoError(t, err)
		paths = append(paths, m.Path)
	}
	return paths
}

// TestGoldenBump replays the release go.mod bump of v0.13.0 (stages 04 and
// 90): every before/ go.mod bumped gives its after/ byte for byte.
func TestGoldenBump(t *testing.T) {
	for _, stage := range []string{fixture.GomodBump, fixture.ReleaseAggr} {
		before, err := fixture.Files(stage, "before")
		require.NoError(t, err)
		after, err := fixture.Files(stage, "after")
		require.NoError(t, err)
		internal := internalPaths(t, before)
		require.Len(t, internal, 6)
		v, err := version.Parse(fixture.Version, nil)
		require.NoError(t, err)
		n := 0
		for name, src := range before {
			if path.Base(name) != "go.mod" {
				continue
			}
			got, err := gomod.BumpRequires(name, src, internal, v)
			require.NoError(t, err, name)
			require.Equal(t, string(after[name]), string(got), name)
			n++
		}
		require.Equal(t, 6, n)
	}
}

// TestGoldenKataRuntime replays stage 01's go.mod part: the kata runtime
// require moved to the pseudo-version `go get ...@3.15.0` resolved.
func TestGoldenKataRuntime(t *testing.T) {
	for _, name := range []string{"src/cloud-api-adaptor/go.mod", "src/csi-wrapper/go.mod"} {
		src := fixture.MustFile(fixture.KataSync, "before", name)
		got, err := gomod.RequireBytes(name, src, kataRuntime, "v0.0.0-20250320073820-c0632f847fe7")
		require.NoError(t, err)
		require.Equal(t, string(fixture.MustFile(fixture.KataSync, "after", name)), string(got), name)
	}
}
