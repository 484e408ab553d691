package charts

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLockFixtures reproduces every Chart.lock of the v0.21 release cycle,
// byte for byte, from its sibling Chart.yaml, the local charts' versions in
// the same tree, and the lock's own generated time.
func TestLockFixtures(t *testing.T) {
	locks, err := filepath.Glob(cycle + "/*/*/src/cloud-api-adaptor/install/charts/peerpods/" + LockFile)
	require.NoError(t, err)
	require.Len(t, locks, 6)
	for _, lockFile := range locks {
		name := strings.TrimPrefix(filepath.ToSlash(lockFile), cycle+"/")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			parts := strings.SplitN(name, "/", 3) // stage, side, rest
			root := filepath.Join(cycle, parts[0], parts[1])
			dir := path.Dir(parts[2])
			want, err := os.ReadFile(lockFile)
			require.NoError(t, err)
			chartYAML, err := os.ReadFile(filepath.Join(root, dir, ChartFile))
			require.NoError(t, err)
			charts, err := Discover(root)
			require.NoError(t, err)
			old, err := ParseLock(want)
			require.NoError(t, err)

			got, err := LockBytes(dir, chartYAML, LocalVersions(charts), old.Generated)
			require.NoError(t, err)
			assert.Equal(t, string(want), string(got))

			ok, err := old.Matches(chartYAML)
			require.NoError(t, err)
			assert.True(t, ok, "the lock's digest should match its Chart.yaml")
		})
	}
}

func TestLockMatchesAfterEdit(t *testing.T) {
	lock, err := ReadLock(cycle + "/02-release/after/src/cloud-api-adaptor/install/charts/peerpods/Chart.lock")
	require.NoError(t, err)
	chartYAML, err := os.ReadFile(cycle + "/02-release/after/src/cloud-api-adaptor/install/charts/peerpods/Chart.yaml")
	require.NoError(t, err)
	edited, err := SetDependencyVersionBytes(chartYAML, "webhook", "0.3.1")
	require.NoError(t, err)
	ok, err := lock.Matches(edited)
	require.NoError(t, err)
	assert.False(t, ok)
	assert.Equal(t, []LockedDependency{
		{Name: "kata-deploy", Repository: "oci://ghcr.io/kata-containers/kata-deploy-charts", Version: "3.31.0"},
		{Name: "peerpodctrl", Repository: "file://../../../../peerpod-ctrl/chart", Version: "0.3.0"},
		{Name: "peerpods-webhook", Repository: "file://../../../../webhook/chart", Version: "0.3.0"},
	}, lock.Dependencies)
	assert.Equal(t, "2026-05-26T10:12:12.893953+01:00", lock.Generated.Format(time.RFC3339Nano))
}

func TestLockErrors(t *testing.T) {
	local := func(v string) LocalVersion { return func(Dependency) (string, error) { return v, nil } }
	const head = "apiVersion: v2\nname: top\nversion: 0.1.0\n"
	tests := []struct {
		name, yaml string
		local      LocalVersion
		want       string
	}{
		{"no dependencies", head, local("0.1.0"), `chart "top" has no dependencies`},
		{"local mismatch", head + "dependencies:\n- name: sub\n  version: 0.2.0\n  repository: file://sub\n", local("0.3.0"),
			`dependency "sub": Chart.yaml asks for "0.2.0" but the chart in top/sub is "0.3.0"`},
		{"oci range", head + "dependencies:\n- name: kd\n  version: '>=3.0.0'\n  repository: oci://example.org/charts\n", local("0.1.0"),
			`only an exact version can be locked without asking oci://example.org/charts`},
		{"bad local version", head + "dependencies:\n- name: sub\n  version: '*'\n  repository: file://sub\n", local("v1.0.0"),
			`without a leading v`},
		{"no local", head + "dependencies:\n- name: sub\n  alias: s\n  repository: file://sub\n", nil,
			`dependency "sub" (alias "s"): no way given`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LockBytes("top", []byte(tt.yaml), tt.local, time.Unix(0, 0).UTC())
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

// TestLockQuoting checks that values YAML would read as something else are
// quoted as go-yaml v2 quotes them, and the rest stay plain.
func TestLockQuoting(t *testing.T) {
	src := "apiVersion: v2\nname: top\nversion: 0.1.0\ndependencies:\n" +
		"- name: \"yes\"\n  version: \"1.0.0\"\n  repository: \"@stable\"\n" +
		"- name: sub\n  repository: file://sub\n"
	got, err := LockBytes(".", []byte(src), func(Dependency) (string, error) { return "0.1.0", nil },
		time.Date(2026, 5, 26, 10, 12, 12, 893953000, time.FixedZone("", 3600)))
	require.NoError(t, err)
	want := "dependencies:\n- name: \"yes\"\n  repository: '@stable'\n  version: 1.0.0\n" +
		"- name: sub\n  repository: file://sub\n  version: 0.1.0\n"
	assert.True(t, bytes.HasPrefix(got, []byte(want)), "got:\n%s", got)
	assert.True(t, bytes.HasSuffix(got, []byte("generated: \"2026-05-26T10:12:12.893953+01:00\"\n")), "got:\n%s", got)
}

func TestParseTime(t *testing.T) {
	for _, s := range []string{"2026-05-26T10:12:12.893953+01:00", "2026-05-26T10:12:12Z", "2026-05-26T10:12:12.1-07:00"} {
		tm, err := ParseTime(s)
		require.NoError(t, err)
		assert.Equal(t, s, tm.Format(time.RFC3339Nano))
	}
	_, err := ParseTime("2026-05-26 10:12")
	assert.ErrorContains(t, err, `charts: time "2026-05-26 10:12" is not RFC 3339`)
}

// TestLockDigestJSON pins the JSON the digest is taken over: helm's
// chart.Dependency fields in order, empty ones left out but repository.
func TestLockDigestJSON(t *testing.T) {
	src := "apiVersion: v2\nname: top\nversion: 0.1.0\ndependencies:\n" +
		"- name: sub\n  version: '>=1.0.0'\n  repository: file://./sub\n  condition: sub.enabled\n  tags: [a]\n  enabled: true\n" +
		"  import-values:\n  - parent: y\n    child: x\n  - data\n  alias: s\n" +
		"- name: kd\n  version: 1.0.0\n  repository: https://charts.example.org\n"
	// helm reads Chart.yaml with sigs.k8s.io/yaml, YAML 1.1: the untyped
	// import-values' `parent: y` is true there (it was hashed as "y").
	const want = `[[{"name":"sub","version":"\u003e=1.0.0","repository":"file://./sub","condition":"sub.enabled","tags":["a"],"enabled":true,"import-values":[{"child":"x","parent":true},"data"],"alias":"s"},` +
		`{"name":"kd","version":"1.0.0","repository":"https://charts.example.org"}],` +
		`[{"name":"sub","version":"1.2.0","repository":"file://./sub"},{"name":"kd","version":"1.0.0","repository":"https://charts.example.org"}]]`
	sum := sha256.Sum256([]byte(want))
	l, err := newLock("top", []byte(src), func(Dependency) (string, error) { return "1.2.0", nil }, time.Unix(0, 0).UTC())
	require.NoError(t, err)
	assert.Equal(t, "sha256:"+hex.EncodeToString(sum[:]), l.Digest)
	ok, err := l.Matches([]byte(src))
	require.NoError(t, err)
	assert.True(t, ok)
}

// TestUpdateLockKeepsSame checks that a lock whose digest would not change
// is kept as it is, generated time included, as helm does.
func TestUpdateLockKeepsSame(t *testing.T) {
	const stage = cycle + "/02-release/"
	read := func(side, file string) []byte {
		b, err := os.ReadFile(filepath.Join(stage, side, peerpodsDir, file))
		require.NoError(t, err)
		return b
	}
	now := time.Date(2027, 1, 2, 3, 4, 5, 6, time.UTC)
	before, err := Discover(stage + "before")
	require.NoError(t, err)
	got, err := UpdateLockBytes(read("before", LockFile), peerpodsDir, read("before", ChartFile), LocalVersions(before), now)
	require.NoError(t, err)
	assert.Equal(t, string(read("before", LockFile)), string(got))

	after, err := Discover(stage + "after")
	require.NoError(t, err)
	got, err = UpdateLockBytes(read("before", LockFile), peerpodsDir, read("after", ChartFile), LocalVersions(after), now)
	require.NoError(t, err)
	l, err := ParseLock(got)
	require.NoError(t, err)
	assert.True(t, l.Generated.Equal(now))
	want, err := ParseLock(read("after", LockFile))
	require.NoError(t, err)
	assert.Equal(t, want.Digest, l.Digest)
}
