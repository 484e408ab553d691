package charts

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type edit struct {
	dep, value string // dep "" sets the chart's version; dep "appVersion" its appVersion
}

func apply(src []byte, edits ...edit) ([]byte, error) {
	var err error
	for _, e := range edits {
		switch e.dep {
		case "":
			src, err = SetVersionBytes(src, e.value)
		case "appVersion":
			src, err = SetAppVersionBytes(src, e.value)
		default:
			src, err = SetDependencyVersionBytes(src, e.dep, e.value)
		}
		if err != nil {
			return nil, err
		}
	}
	return src, nil
}

// TestSetFixtures replays the chart edits of the v0.21 release cycle: each
// before/Chart.yaml, edited, must equal after/Chart.yaml byte for byte.
func TestSetFixtures(t *testing.T) {
	const peerpods, ctrl, webhook = "src/cloud-api-adaptor/install/charts/peerpods", "src/peerpod-ctrl/chart", "src/webhook/chart"
	release := func(v, app string) []edit { return []edit{{"", v}, {"appVersion", app}} }
	tests := []struct {
		stage, dir string
		edits      []edit
	}{
		{"01-deps-sync", peerpods, []edit{{"kata-deploy", "3.31.0"}}},
		{"02-release", peerpods, append(release("0.3.0", "v0.21.0"), edit{"resourceCtrl", "0.3.0"}, edit{"peerpods-webhook", "0.3.0"})},
		{"02-release", ctrl, release("0.3.0", "v0.21.0")},
		{"02-release", webhook, release("0.3.0", "v0.21.0")},
		{"03-patch-release", peerpods, append(release("0.3.1", "v0.21.1"), edit{"peerpodctrl", "0.3.1"}, edit{"webhook", "0.3.1"})},
		{"03-patch-release", ctrl, release("0.3.1", "v0.21.1")},
		{"03-patch-release", webhook, release("0.3.1", "v0.21.1")},
		{"04-postrelease", peerpods, []edit{{"kata-deploy", "0.0.0-dev"}}},
		{"04-postrelease", ctrl, nil},
	}
	for _, tt := range tests {
		t.Run(tt.stage+"/"+tt.dir, func(t *testing.T) {
			t.Parallel()
			read := func(side string) []byte {
				b, err := os.ReadFile(filepath.Join(cycle, tt.stage, side, tt.dir, ChartFile))
				require.NoError(t, err)
				return b
			}
			before, after := read("before"), read("after")
			got, err := apply(before, tt.edits...)
			require.NoError(t, err)
			assert.Equal(t, string(after), string(got))
			// Setting what the file already holds returns it unchanged.
			again, err := apply(after, tt.edits...)
			require.NoError(t, err)
			assert.Equal(t, string(after), string(again))
		})
	}
}

func TestSetKeepsStyle(t *testing.T) {
	src := []byte("name: x\nversion: \"0.0.0-dev\" # dev\nappVersion: 'v1'\ndependencies:\n  - {name: a, version: 1.0.0, repository: oci://r}\n")
	got, err := apply(src, edit{"", "1.2.3"}, edit{"appVersion", "v2"}, edit{"a", "2.0.0"})
	require.NoError(t, err)
	assert.Equal(t, "name: x\nversion: \"1.2.3\" # dev\nappVersion: 'v2'\ndependencies:\n  - {name: a, version: 2.0.0, repository: oci://r}\n", string(got))
}

func TestSetErrors(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(v021, "src/cloud-api-adaptor/install/charts/peerpods", ChartFile))
	require.NoError(t, err)
	tests := []struct {
		name string
		edit edit
		src  string
		want string
	}{
		{"v prefix", edit{"", "v0.4.0"}, "", `charts: set version: invalid chart version: "v0.4.0": release-tools writes chart versions without a leading v (SemVer 2, such as "0.4.0"), as every CoCo release has`},
		{"not semver", edit{"", "0.4"}, "", `invalid chart version: "0.4" is not SemVer 2`},
		{"empty app", edit{"appVersion", ""}, "", `charts: set appVersion: empty value`},
		{"unknown dep", edit{"nope", "1.0.0"}, "", `charts: set dependency "nope" version: no such dependency: the chart has "kata-deploy", "peerpodctrl" (alias "resourceCtrl"), "peerpods-webhook" (alias "webhook")`},
		{"no deps", edit{"nope", "1.0.0"}, "name: x\nversion: 1.0.0\n", `no such dependency: the chart has no dependencies`},
		{"ambiguous", edit{"a", "1.0.0"}, "name: x\nversion: 1.0.0\ndependencies:\n- name: a\n  version: 1.0.0\n- name: a\n  alias: b\n  version: 1.0.0\n", `entries 0 and 1 both match`},
		{"no version key", edit{"a", "1.0.0"}, "name: x\nversion: 1.0.0\ndependencies:\n- name: a\n", `charts: set dependency "a" version: no "dependencies.0.version"`},
		{"no appVersion", edit{"appVersion", "v1"}, "name: x\nversion: 1.0.0\n", `no "appVersion": the top level has name, version`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := src
			if tt.src != "" {
				in = []byte(tt.src)
			}
			_, err := apply(in, tt.edit)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}
