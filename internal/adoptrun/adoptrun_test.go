package adoptrun

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/adopt"
)

func TestAdoptOptions(t *testing.T) {
	env := func(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }
	dep := &debug.BuildInfo{Main: debug.Module{Path: "magefiles", Version: "(devel)"},
		Deps: []*debug.Module{{Path: "github.com/magefile/mage", Version: "v1.17.2"}, {Path: adopt.Module, Version: "v0.3.0"}}}
	checkout := &debug.BuildInfo{Main: debug.Module{Path: adopt.Module, Version: "(devel)"}}
	stamped := &debug.BuildInfo{Main: debug.Module{Path: adopt.Module, Version: "v0.0.0-20261127113459-05356d5abcde"}}

	dirty := &debug.BuildInfo{Main: debug.Module{Path: adopt.Module, Version: "v0.0.0-20261127113459-05356d5abcde+dirty"}}
	const zero = "v0.0.0-00010101000000-000000000000"
	for _, tc := range []struct {
		name     string
		env      map[string]string
		info     *debug.BuildInfo
		checkout string // the checkout the binary was built from
		want     adopt.Options
		err      string
	}{
		{"a dependency", nil, dep, "", adopt.Options{Version: "v0.3.0"}, ""},
		{"a dependency, from the module cache", nil, dep, "/go/pkg/mod/rt@v0.3.0", adopt.Options{Version: "v0.3.0"}, ""},
		{"a stamped checkout", nil, stamped, "/src/rt", adopt.Options{Version: "v0.0.0-20261127113459-05356d5abcde"}, ""},
		{"overridden", map[string]string{"RELEASE_TOOLS_VERSION": "v0.4.0"}, checkout, "/src/rt", adopt.Options{Version: "v0.4.0"}, ""},
		{"a checkout, replaced", map[string]string{"RELEASE_TOOLS_DIR": "/src/rt"}, checkout, "", adopt.Options{Version: zero, Replace: "/src/rt"}, ""},
		{"a checkout, replaced by another", map[string]string{"RELEASE_TOOLS_DIR": "/src/other"}, checkout, "/src/rt", adopt.Options{Version: zero, Replace: "/src/other"}, ""},
		{"go run in a checkout", nil, checkout, "/src/rt", adopt.Options{Version: zero, Replace: "/src/rt"}, ""},
		{"a dirty stamped checkout", nil, dirty, "/src/rt", adopt.Options{Version: zero, Replace: "/src/rt"}, ""},
		{"a dirty stamped build, no checkout", nil, dirty, "", adopt.Options{Version: dirty.Main.Version}, ""}, // adopt.Files refuses it
		{"a checkout, -trimpath", nil, checkout, "", adopt.Options{}, "set RELEASE_TOOLS_VERSION=vX.Y.Z"},
		{"no build information", nil, nil, "/src/rt", adopt.Options{}, "no version of github.com/confidential-containers/release-tools"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Options(env(tc.env), tc.info, tc.checkout)
			if tc.err != "" {
				require.ErrorContains(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
	_, err := Options(env(nil), checkout, "")
	require.ErrorIs(t, err, adopt.ErrDevel)
}

type tidier struct{}

// Tidy writes the go.sum go mod tidy would.
func (tidier) Tidy(_ context.Context, dir string) error {
	return os.WriteFile(filepath.Join(dir, "go.sum"), []byte("sum\n"), 0o644)
}

type builder struct {
	roots []string
	err   error
}

func (b *builder) Build(_ context.Context, root string) error {
	b.roots = append(b.roots, root)
	return b.err
}

// TestAdoptBuildsOnce: after the tidy, adopt builds the targets once,
// saying so on the progress, so that the first run starts warm; a build
// that fails is told and the adoption stands, its last words the files;
// SKIP_GO builds nothing.
func TestAdoptBuildsOnce(t *testing.T) {
	o := adopt.Options{Version: "v0.3.0"}
	for _, tc := range []struct {
		name   string
		skipGo bool
		err    error
		want   string
	}{
		{"built", false, nil, "adopt: built the targets in "},
		{"failed", false, errors.New("no compiler"), "adopt: building the targets failed; the first run builds them again and says why: no compiler\n"},
		{"SKIP_GO", true, nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			var out, progress strings.Builder
			b := &builder{err: tc.err}
			r := Run{Root: root, Out: &out, Progress: &progress, Go: tidier{}, Build: b, SkipGo: tc.skipGo}
			require.NoError(t, r.Adopt(context.Background(), o))
			if tc.skipGo {
				require.Empty(t, b.roots)
				require.NotContains(t, progress.String(), "building the release targets")
				return
			}
			require.Equal(t, []string{root}, b.roots, "built once, at the root")
			require.Contains(t, progress.String(), "adopt: building the release targets once, so that the first run starts at once (go -C .mage tool mage -w ..; about a minute)\n")
			require.Contains(t, progress.String(), tc.want)
			require.Contains(t, out.String(), "\nadopt wrote these files: commit them all (git add .mage):\n  .mage/go.mod ")
			require.True(t, strings.HasSuffix(out.String(), "  .mage/main.go      says how to run them; what go commands on ./... in .mage see\n"), out.String())
			require.Contains(t, out.String(), "  .mage/go.sum       the checksums go mod tidy wrote\n")
		})
	}
}
