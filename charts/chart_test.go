package charts

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// cycle is the v0.21 release cycle of internal/fixture, read in place:
// each stage's trees before and after, every chart and lock as
// cloud-api-adaptor had them.
const cycle = "../internal/fixture/caa-v0.21"

const v021 = cycle + "/02-release/after"

func TestDiscover(t *testing.T) {
	charts, err := Discover(v021)
	require.NoError(t, err)
	want := []Chart{
		{
			Dir: "src/cloud-api-adaptor/install/charts/peerpods", Name: "peerpods", Version: "0.3.0", AppVersion: "v0.21.0",
			Dependencies: []Dependency{
				{Name: "kata-deploy", Version: "3.31.0", Repository: "oci://ghcr.io/kata-containers/kata-deploy-charts", Condition: "kata-deploy.enabled"},
				{Name: "peerpodctrl", Version: "0.3.0", Repository: "file://../../../../peerpod-ctrl/chart", Alias: "resourceCtrl", Condition: "resourceCtrl.enabled", Dir: "src/peerpod-ctrl/chart"},
				{Name: "peerpods-webhook", Version: "0.3.0", Repository: "file://../../../../webhook/chart", Alias: "webhook", Condition: "webhook.enabled", Dir: "src/webhook/chart"},
			},
		},
		{Dir: "src/peerpod-ctrl/chart", Name: "peerpodctrl", Version: "0.3.0", AppVersion: "v0.21.0"},
		{Dir: "src/webhook/chart", Name: "peerpods-webhook", Version: "0.3.0", AppVersion: "v0.21.0"},
	}
	assert.Equal(t, want, charts)
}

// tree writes files (slash path -> content) below a new directory.
func tree(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
	}
	return root
}

func chartText(name, deps string) string {
	return "apiVersion: v2\nname: " + name + "\nversion: 1.0.0\n" + deps
}

func TestDiscoverSkips(t *testing.T) {
	root := tree(t, map[string]string{
		"a/Chart.yaml":                chartText("a", ""),
		".git/x/Chart.yaml":           chartText("git", ""),
		".hidden/Chart.yaml":          chartText("hidden", ""),
		"vendor/v/Chart.yaml":         chartText("vendor", ""),
		"x/testdata/Chart.yaml":       chartText("testdata", ""),
		"web/node_modules/Chart.yaml": chartText("node", ""),
		"b/c/Chart.yaml":              chartText("c", ""),
		"Chart.yaml":                  chartText("top", ""),
	})
	require.NoError(t, os.Symlink(filepath.Join(root, "a"), filepath.Join(root, "link")))
	charts, err := Discover(root)
	require.NoError(t, err)
	var dirs []string
	for _, c := range charts {
		dirs = append(dirs, c.Dir)
	}
	assert.Equal(t, []string{".", "a", "b/c"}, dirs)

	// A root that is itself a link is followed.
	link := filepath.Join(t.TempDir(), "root")
	require.NoError(t, os.Symlink(root, link))
	via, err := Discover(link)
	require.NoError(t, err)
	assert.Equal(t, charts, via)
}

func TestDiscoverErrors(t *testing.T) {
	dep := func(repo string) string {
		return "dependencies:\n  - name: sub\n    alias: s\n    version: 1.0.0\n    repository: " + repo + "\n"
	}
	tests := []struct {
		name  string
		files map[string]string
		is    error
		want  string
	}{
		{"outside root", map[string]string{"a/Chart.yaml": chartText("a", dep("file://../../elsewhere"))},
			ErrOutsideRoot, `a/Chart.yaml: chart "a": dependency "sub" (alias "s"): "file://../../elsewhere"`},
		{"absolute", map[string]string{"a/Chart.yaml": chartText("a", dep("file:///srv/chart"))},
			ErrOutsideRoot, `dependency "sub" (alias "s")`},
		{"not a chart", map[string]string{"a/Chart.yaml": chartText("a", dep("file://../b")), "b/values.yaml": "x: 1\n"},
			ErrNotAChart, `chart "a" (a): dependency "sub" (alias "s"): "file://../b"`},
		{"bad version", map[string]string{"a/Chart.yaml": "name: a\nversion: v1.0.0\n"},
			ErrInvalidVersion, `a/Chart.yaml: chart "a": invalid chart version: "v1.0.0": release-tools writes chart versions without a leading v`},
		{"no name", map[string]string{"a/Chart.yaml": "version: 1.0.0\n"}, nil, `a/Chart.yaml: no chart name`},
		{"bad alias", map[string]string{"a/Chart.yaml": chartText("a", "dependencies:\n- name: x\n  alias: a.b\n")}, nil, `disallowed characters in the alias "a.b"`},
		{"bad yaml", map[string]string{"a/Chart.yaml": "name: [\n"}, nil, `a/Chart.yaml: yaml:`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Discover(tree(t, tt.files))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			if tt.is != nil {
				assert.True(t, errors.Is(err, tt.is), "%v should wrap %v", err, tt.is)
			}
		})
	}
}

func TestParseDependencyFields(t *testing.T) {
	c, err := Parse("charts/top", []byte(chartText("top", `dependencies:
  - name: sub
    version: ">=1.0.0"
    repository: file://./sub
    tags: [front, back]
    enabled: true
    import-values:
      - child: a
        parent: b
      - data
`)))
	require.NoError(t, err)
	assert.Equal(t, []Dependency{{
		Name: "sub", Version: ">=1.0.0", Repository: "file://./sub", Tags: []string{"front", "back"}, Enabled: true,
		ImportValues: []any{map[string]any{"child": "a", "parent": "b"}, "data"}, Dir: "charts/top/sub",
	}}, c.Dependencies)
	assert.True(t, c.Dependencies[0].IsLocal())
	assert.False(t, c.Dependencies[0].IsOCI())
}

func TestCheckVersion(t *testing.T) {
	for _, v := range []string{"0.3.0", "0.0.0-dev", "1.2.3-rc.1+build.5", "10.20.30", "1.0.0-0A.is.legal"} {
		assert.NoError(t, CheckVersion(v), v)
	}
	for _, v := range []string{"v0.3.0", "0.3", "01.2.3", "1.2.3-01", "1.2.3-", "", "1.2.3+", "latest",
		"99999999999999999999.0.0", "0.99999999999999999999.0", "0.0.99999999999999999999", "0.03.1"} {
		err := CheckVersion(v)
		assert.ErrorIs(t, err, ErrInvalidVersion, v)
	}
	assert.ErrorContains(t, CheckVersion("99999999999999999999.0.0"), "too large")
}

func TestCompareVersions(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{{"0.3.1", "0.3.0", 1}, {"0.3.0", "0.3.0", 0}, {"0.10.0", "0.9.0", 1}, {"1.0.0-rc.1", "1.0.0", -1}, {"0.2.0", "0.3.1", -1}} {
		got, err := CompareVersions(c.a, c.b)
		require.NoError(t, err)
		assert.Equal(t, c.want, got, "%s vs %s", c.a, c.b)
	}
	_, err := CompareVersions("0.3.0", "99999999999999999999.0.0")
	assert.ErrorIs(t, err, ErrInvalidVersion)
}

func TestSemverOrder(t *testing.T) {
	in := []string{"1.0.0", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "2.0.0", "10.0.0"}
	for i := 0; i+1 < len(in); i++ {
		a, _ := parseSemver(in[i])
		b, _ := parseSemver(in[i+1])
		if in[i] == "1.0.0" {
			a, b = b, a // 1.0.0 is listed first but sorts after its pre-releases
			assert.Equal(t, 1, b.compare(a), "%s > %s", in[i], in[i+1])
			continue
		}
		assert.Equal(t, -1, a.compare(b), "%s < %s", in[i], in[i+1])
	}
}

func TestRead(t *testing.T) {
	c, err := Read(v021, "src/webhook/chart")
	require.NoError(t, err)
	assert.Equal(t, Chart{Dir: "src/webhook/chart", Name: "peerpods-webhook", Version: "0.3.0", AppVersion: "v0.21.0"}, c)
	_, err = Read(v021, "src/nothing")
	assert.ErrorIs(t, err, os.ErrNotExist)
	assert.ErrorContains(t, err, "charts: open ")
	_, err = ReadLock(filepath.Join(v021, "src/webhook/chart", LockFile))
	assert.ErrorIs(t, err, os.ErrNotExist)
}

// TestSemverBuildOrder: build metadata does not change precedence, and
// breaks ties by text so that registry tags sort the same way every time;
// numeric pre-release identifiers of any length compare as numbers.
func TestSemverBuildOrder(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"1.0.0+b", "1.0.0+a", 1},
		{"1.0.0+a", "1.0.0", 1},
		{"1.0.0-rc.1+z", "1.0.0", -1},
		{"1.0.0-99999999999999999999", "1.0.0-100000000000000000000", -1},
		{"1.0.0-rc.1", "1.0.0-rc.1", 0},
	} {
		got, err := CompareVersions(c.a, c.b)
		require.NoError(t, err)
		assert.Equal(t, c.want, got, "%s vs %s", c.a, c.b)
	}
}

// TestHighestVersion: the highest chart version by SemVer 2 precedence
// (a release above its pre-releases, 10 above 9); no chart, or a version
// that is not one, is an error naming the Chart.yaml.
func TestHighestVersion(t *testing.T) {
	cs := func(vs ...string) []Chart {
		var out []Chart
		for i, v := range vs {
			out = append(out, Chart{Dir: fmt.Sprintf("c%d", i), Version: v})
		}
		return out
	}
	for want, in := range map[string][]string{
		"0.3.0":  {"0.3.0-rc.1", "0.3.0", "0.2.9"},
		"0.10.0": {"0.9.0", "0.10.0"},
		"1.0.0":  {"1.0.0"},
	} {
		got, err := HighestVersion(cs(in...))
		require.NoError(t, err)
		assert.Equal(t, want, got, in)
	}
	_, err := HighestVersion(nil)
	require.ErrorContains(t, err, "no chart")
	_, err = HighestVersion(cs("0.3.0", "v0.4.0"))
	require.ErrorContains(t, err, "c1/Chart.yaml")
	require.ErrorIs(t, err, ErrInvalidVersion)
}
