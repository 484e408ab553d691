package targets

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/caatest"
	"github.com/confidential-containers/release-tools/internal/fixture"
	"github.com/confidential-containers/release-tools/internal/gitfixture"
	"github.com/confidential-containers/release-tools/internal/magevars"
	"github.com/confidential-containers/release-tools/release"
	"github.com/confidential-containers/release-tools/released"
	"github.com/confidential-containers/release-tools/tags"
)

const (
	peerpodsChart = "src/cloud-api-adaptor/install/charts/peerpods/Chart.yaml"
	peerpodsLock  = "src/cloud-api-adaptor/install/charts/peerpods/Chart.lock"
	webhookValues = "src/webhook/chart/values.yaml"
)

// requireNoTags checks that neither the repository nor its remote has a tag.
func requireNoTags(t *testing.T, w world) {
	t.Helper()
	for _, dir := range []string{w.root, w.remote} {
		got, err := gitfixture.Tags(dir)
		require.NoError(t, err)
		require.Empty(t, got, dir)
	}
}

// TestTagsOnlyTheRelease: on the real v0.21.0 trees, tags refuses
// origin's main while the release's commits are not on it (the charts at
// 0.2.0 with appVersion v0.20.0, the image at latest), with the release
// merged as the fix; refuses TAG_COMMIT naming the release commit made
// here but not pushed; and tags once the release is on origin.
func TestTagsOnlyTheRelease(t *testing.T) {
	ctx := t.Context()
	w := helmWorld(t, fixture.HelmRelease, commentFix) // origin's main: the deps sync merged, no release
	for _, push := range []bool{false, true} {
		r, out := w.runner(magevars.Vars{Push: push})
		err := r.Tags(ctx, fixture.HelmVersion)
		require.ErrorIs(t, err, released.ErrNotRelease, out.String())
		for _, want := range []string{
			"tags: the head of origin/main now: commit ",
			" is not the release of v0.21.0: ",
			peerpodsChart + ": version 0.2.0, appVersion v0.20.0, not v0.21.0",
			"src/webhook/chart/Chart.yaml: version 0.2.0, appVersion v0.20.0, not v0.21.0",
			webhookValues + ": image latest, not pinned",
			"src/cloud-providers/Makefile: image latest, not pinned",
		} {
			require.ErrorContains(t, err, want)
		}
		require.Equal(t, []release.Fix{
			{Command: "merge the pull request of the v0.21.0 release, then run tags again"},
			{Action: release.ActionRelease, Args: []string{"v0.21.0", "<imageSHA>"}},
		}, release.Fixes(err))
		require.NotContains(t, out.String(), "tags for v0.21.0", "nothing was planned")
		requireNoTags(t, w)
	}

	// The release made here, not pushed: origin's main is still not the
	// release, and the release commit is not on it.
	r, out := w.runner(magevars.Vars{SkipGo: true, ReleaseTime: releaseTime(t, fixture.HelmReleaseTime)})
	require.NoError(t, r.Release(ctx, fixture.HelmVersion, fixture.HelmImageSHA), out.String())
	head, err := caatest.Open(t, w.root).Head()
	require.NoError(t, err)
	r, out = w.runner(magevars.Vars{Push: true})
	require.ErrorIs(t, r.Tags(ctx, fixture.HelmVersion), released.ErrNotRelease, out.String())
	r, out = w.runner(magevars.Vars{Push: true, TagCommit: head.Hash().String()})
	err = r.Tags(ctx, fixture.HelmVersion)
	require.ErrorIs(t, err, tags.ErrNotOnBranch, out.String())
	require.ErrorContains(t, err, head.Hash().String()+" is not on origin/main")
	require.Equal(t, []release.Fix{
		{Command: "merge " + head.Hash().String() + " into main through a pull request, then run tags again"},
		{Action: release.ActionTags, Args: []string{"v0.21.0"}},
	}, release.Fixes(err))
	requireNoTags(t, w)

	// Merged: tagged.
	require.NoError(t, gitfixture.Push(caatest.Open(t, w.root), "origin", "refs/heads/main:refs/heads/main"))
	r, out = w.runner(magevars.Vars{Push: true})
	require.NoError(t, r.Tags(ctx, fixture.HelmVersion), out.String())
	remote, err := gitfixture.Tags(w.remote)
	require.NoError(t, err)
	require.Len(t, remote, 5)
	for name, c := range remote {
		require.Equal(t, head.Hash().String(), c, name)
	}
	r, out = w.runner(magevars.Vars{TagCommit: head.Hash().String()})
	require.NoError(t, r.Tags(ctx, fixture.HelmVersion), out.String())
}

// TestTagsRefuseABrokenRelease: the v0.21.1 release as merged is tagged;
// with kata-deploy back at its dev version, a Chart.lock out of date, or
// two places of the image on different commits, it is refused, naming the
// file, the value and the fix.
func TestTagsRefuseABrokenRelease(t *testing.T) {
	ctx := t.Context()
	const other = "0123456789abcdef0123456789abcdef01234567"
	for _, tc := range []struct {
		name string
		edit map[string][2]string // file: old, new
		want []string
		fix  []release.Fix
	}{
		{name: "the release as merged"},
		{
			name: "kata-deploy at its dev version",
			edit: map[string][2]string{peerpodsChart: {`version: "3.31.0"`, `version: "0.0.0-dev"`}},
			want: []string{peerpodsChart + ": kata-deploy 0.0.0-dev, the dev version: the deps sync pins it"},
			fix:  []release.Fix{{Action: release.ActionDepsSync, Args: []string{"<kataVersion>"}}},
		},
		{
			name: "a stale Chart.lock",
			edit: map[string][2]string{peerpodsChart: {`version: "3.31.0"`, `version: "3.32.0"`}},
			want: []string{peerpodsLock + ": its digest does not match " + peerpodsChart},
			fix:  []release.Fix{{Action: release.ActionBumpCharts, Args: []string{"0.3.1"}}},
		},
		{
			name: "the image on two commits",
			edit: map[string][2]string{webhookValues: {"tag: " + fixture.HelmImageSHA, "tag: " + other}},
			want: []string{"the image is pinned to different commits (" + other + ": " + webhookValues + "; " + fixture.HelmImageSHA + ": "},
			fix:  []release.Fix{{Action: release.ActionPinImage, Args: []string{"<imageSHA>"}}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := helmWorld(t, fixture.HelmPostrelease, func(files map[string][]byte) {
				for name, e := range tc.edit {
					require.Equal(t, 1, bytes.Count(files[name], []byte(e[0])), name)
					files[name] = bytes.Replace(files[name], []byte(e[0]), []byte(e[1]), 1)
				}
			})
			r, out := w.runner(magevars.Vars{Push: true})
			err := r.Tags(ctx, fixture.HelmPatchVersion)
			if tc.want == nil {
				require.NoError(t, err, out.String())
				return
			}
			require.ErrorIs(t, err, released.ErrNotRelease, out.String())
			for _, want := range tc.want {
				require.ErrorContains(t, err, want)
			}
			require.Equal(t, tc.fix, release.Fixes(err))
			requireNoTags(t, w)
		})
	}
}
