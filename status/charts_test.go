package status_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/caatest"
	"github.com/confidential-containers/release-tools/internal/fixture"
	"github.com/confidential-containers/release-tools/internal/gitfixture"
)

// TestStatusCharts: each rule status checks on the chart layout, one
// broken at a time in the v0.21.1 post-release's before-tree (pinned,
// locked, charts at 0.3.1 and v0.21.1), is found, names its file and
// carries its fix.
func TestStatusCharts(t *testing.T) {
	t.Parallel()
	const (
		peerpods = "src/cloud-api-adaptor/install/charts/peerpods/"
		webhook  = "src/webhook/chart/Chart.yaml"
		libvirt  = peerpods + "providers/libvirt.yaml"
		sha      = fixture.HelmImageSHA
	)
	before := func(name string) []byte { return fixture.MustFile(fixture.HelmPostrelease, "before", name) }
	replace := func(name, old, new string) map[string][]byte {
		data := before(name)
		require.True(t, bytes.Contains(data, []byte(old)), name+" holds "+old)
		return map[string][]byte{name: bytes.Replace(data, []byte(old), []byte(new), 1)}
	}
	for _, tc := range []struct {
		name   string
		change func() map[string][]byte
		remove string
		tag    string // tag every module at this version first
		want   []string
	}{
		{name: "clean", want: []string{"no inconsistencies found"}},
		{name: "a chart at another version", change: func() map[string][]byte { return replace(webhook, "version: 0.3.1", "version: 0.3.0") },
			want: []string{"the charts have different versions: 0.3.0: " + webhook + "; 0.3.1: ", "fix: bump-charts 0.3.1"}},
		{name: "a chart at another appVersion", change: func() map[string][]byte { return replace(webhook, `appVersion: "v0.21.1"`, `appVersion: "v0.21.0"`) },
			want: []string{"the charts have different appVersions: v0.21.0: " + webhook}},
		{name: "an appVersion behind the latest version", tag: "v0.22.0",
			want: []string{webhook + ": appVersion v0.21.1 is behind the latest version v0.22.0"}},
		{name: "the lock missing while kata-deploy is pinned", remove: peerpods + "Chart.lock",
			want: []string{peerpods + "Chart.lock is missing while kata-deploy is pinned to 3.31.0", "fix: deps-sync 3.31.0"}},
		{name: "the lock out of date", change: func() map[string][]byte {
			return replace(peerpods+"Chart.yaml", `version: "0.3.1"`, `version: ">=0.3.0"`)
		}, want: []string{peerpods + "Chart.lock: its digest does not match " + peerpods + "Chart.yaml", "fix: bump-charts 0.3.1"}},
		{name: "a dev place in the old template", change: func() map[string][]byte { return replace(libvirt, sha+"-dev", "dev-"+sha) },
			want: []string{libvirt + " has dev-" + sha + ", but its template <sha>-dev gives " + sha + "-dev", "fix: pin-image " + sha}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := caatest.New(t, fixture.HelmPostrelease)
			repo := r.Open(t)
			if tc.change != nil {
				_, err := gitfixture.Commit(repo, tc.change(), tc.name)
				require.NoError(t, err)
			}
			if tc.remove != "" {
				wt, err := repo.Worktree()
				require.NoError(t, err)
				_, err = wt.Remove(tc.remove)
				require.NoError(t, err)
				_, err = gitfixture.Commit(repo, nil, tc.name)
				require.NoError(t, err)
			}
			if tc.tag != "" {
				var names []string
				for _, m := range []string{"cloud-api-adaptor", "cloud-providers", "csi-wrapper", "peerpod-ctrl", "webhook"} {
					names = append(names, "src/"+m+"/"+tc.tag)
				}
				caatest.Tag(t, r.Root, names...)
			}
			_, out := report(t, r.Root)
			for _, want := range tc.want {
				require.Contains(t, out, want)
			}
		})
	}
}
