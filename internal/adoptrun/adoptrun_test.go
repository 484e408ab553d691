package adoptrun

import (
	"runtime/debug"
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
