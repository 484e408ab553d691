package overlays_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/fixture"
	"github.com/confidential-containers/release-tools/overlays"
)

const (
	image        = "cloud-api-adaptor"
	overlaysRoot = "src/cloud-api-adaptor/install/overlays"
)

// devTag is the release rule: libvirt and docker take dev-<sha>.
func devTag(o overlays.Overlay, sha string) string {
	if o.Name() == "libvirt" || o.Name() == "docker" {
		return "dev-" + sha
	}
	return sha
}

// TestGolden replays the overlay pins and reverts of the v0.13.0 cycle on
// disk: every overlay Discover finds, pinned with PinImage, equals the
// stage's after/ file byte for byte, and no other file changes.
func TestGolden(t *testing.T) {
	tests := []struct {
		stage string
		tag   func(overlays.Overlay) string
	}{
		{fixture.PinImage, func(o overlays.Overlay) string { return devTag(o, fixture.ImageSHA) }},
		{fixture.ReleaseAggr, func(o overlays.Overlay) string { return devTag(o, fixture.ImageSHA) }},
		{fixture.RevertImagePin, func(overlays.Overlay) string { return "latest" }},
		{fixture.PostReleaseAggr, func(overlays.Overlay) string { return "latest" }},
	}
	for _, tt := range tests {
		t.Run(tt.stage, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			require.NoError(t, fixture.Write(dir, tt.stage, "before"))
			root := filepath.Join(dir, overlaysRoot)
			found, err := overlays.Discover(root, image)
			require.NoError(t, err)
			require.Len(t, found, 8)
			for _, o := range found {
				require.NoError(t, overlays.PinImage(filepath.Join(root, o.File), image, tt.tag(o)))
			}
			after, err := fixture.Files(tt.stage, "after")
			require.NoError(t, err)
			for _, o := range found {
				name := overlaysRoot + "/" + o.File
				got, err := os.ReadFile(filepath.Join(root, o.File))
				require.NoError(t, err)
				require.Equal(t, string(after[name]), string(got), name)
			}
		})
	}
}

func TestDiscover(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, fixture.Write(dir, fixture.PinImage, "after"))
	found, err := overlays.Discover(filepath.Join(dir, overlaysRoot), image)
	require.NoError(t, err)
	var names []string
	for _, o := range found {
		names = append(names, o.Name())
		require.Equal(t, devTag(o, fixture.ImageSHA), o.NewTag, o.File)
		require.Equal(t, 8, o.Line, o.File)
	}
	require.Equal(t, []string{"aws", "azure", "docker", "gcp", "ibmcloud", "ibmcloud-powervs", "libvirt", "vsphere"}, names)
	require.Equal(t, "docker/kustomization.yaml", found[2].File)
	require.Equal(t, "quay.io/confidential-containers/cloud-api-adaptor", found[2].NewName)
	require.Equal(t, "192.168.122.1:5000/cloud-api-adaptor", found[3].NewName)

	// Another image, a kustomization without images, hidden dirs: not listed.
	other := filepath.Join(dir, overlaysRoot, "other")
	require.NoError(t, os.MkdirAll(filepath.Join(other, ".git"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(other, "kustomization.yaml"), []byte("images:\n- name: webhook\n  newTag: v1\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(other, ".git", "kustomization.yaml"), []byte("images:\n- name: cloud-api-adaptor\n  newTag: v1\n"), 0o644))
	require.NoError(t, os.MkdirAll(filepath.Join(dir, overlaysRoot, "plain"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, overlaysRoot, "plain", "kustomization.yml"), []byte("resources:\n- a.yaml\n"), 0o644))
	found, err = overlays.Discover(filepath.Join(dir, overlaysRoot), image)
	require.NoError(t, err)
	require.Len(t, found, 8)

	// A malformed kustomization is an error naming it, not a skipped overlay.
	bad := filepath.Join(dir, overlaysRoot, "bad", "kustomization.yaml")
	require.NoError(t, os.MkdirAll(filepath.Dir(bad), 0o755))
	require.NoError(t, os.WriteFile(bad, []byte("images: [\n"), 0o644))
	_, err = overlays.Discover(filepath.Join(dir, overlaysRoot), image)
	require.ErrorContains(t, err, bad)

	_, err = overlays.Discover(filepath.Join(dir, "nope"), image)
	require.ErrorContains(t, err, "nope")
}
