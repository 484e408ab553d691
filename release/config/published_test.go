package config_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/release/config"
)

func TestPublished(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "release.yaml"), []byte(`published:
  - quay.io/org/app:{version}
  - ref: oci://ghcr.io/org/charts/app:{chartVersion}
  - ref: quay.io/org/app:{version}-dev
    platforms: [linux/amd64, linux/arm64/v8]
`), 0o644))
	cfg, err := config.LoadConfig(dir)
	require.NoError(t, err)
	require.Equal(t, []config.Artifact{
		{Ref: "quay.io/org/app:{version}"},
		{Ref: "oci://ghcr.io/org/charts/app:{chartVersion}"},
		{Ref: "quay.io/org/app:{version}-dev", Platforms: []string{"linux/amd64", "linux/arm64/v8"}},
	}, cfg.Published, "published replaces the preset's list")

	ref, err := cfg.Published[1].Expand("v0.22.0", "0.22.0+build.1")
	require.NoError(t, err)
	require.Equal(t, "ghcr.io/org/charts/app:0.22.0_build.1", ref, "helm writes a chart version's + as _")
	_, err = cfg.Published[1].Expand("v0.22.0", "")
	require.ErrorContains(t, err, "needs the chart's version")
	ref, err = cfg.Published[2].Expand("v0.22.0", "")
	require.NoError(t, err)
	require.Equal(t, "quay.io/org/app:v0.22.0-dev", ref)

	for data, want := range map[string]string{
		"published: ['quay.io/org/app:{tag}']\n":                                 "unknown placeholder {tag}",
		"published: [quay.io/org/app:latest]\n":                                  "its tag names no {version} or {chartVersion}",
		"published: ['app:{version}']\n":                                         "want host/path:tag",
		"published: [{ref: 'quay.io/o/a:{version}', platforms: [amd64]}]\n":      `platform "amd64": want os/arch`,
		"published: ['quay.io/o/a:{version}', 'quay.io/o/a:{version}']\n":        "listed twice",
		"published: [{ref: 'quay.io/o/a:{version}', platform: [linux/amd64]}]\n": "field platform not found",
	} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, "release.yaml"), []byte(data), 0o644))
		_, err := config.LoadConfig(dir)
		require.ErrorContains(t, err, want, data)
	}
}

// CAA's preset lists what its release.yaml workflow publishes, named as
// the workflow files name them.
func TestCAAPublished(t *testing.T) {
	var refs []string
	for _, a := range config.CAA().Published {
		ref, err := a.Expand("v0.22.0", "0.22.0")
		require.NoError(t, err)
		refs = append(refs, ref)
	}
	require.Equal(t, []string{
		"quay.io/confidential-containers/cloud-api-adaptor:v0.22.0",
		"quay.io/confidential-containers/cloud-api-adaptor:v0.22.0-dev",
		"quay.io/confidential-containers/peerpod-ctrl:v0.22.0",
		"quay.io/confidential-containers/podvm-amd64:v0.22.0",
		"quay.io/confidential-containers/podvm-s390x:v0.22.0",
		"quay.io/confidential-containers/podvm-arm64:v0.22.0",
		"quay.io/confidential-containers/peer-pods-webhook:v0.22.0",
		"ghcr.io/confidential-containers/cloud-api-adaptor/charts/peerpods:0.22.0",
	}, refs)
	require.Equal(t, []string{"linux/amd64", "linux/arm64", "linux/ppc64le", "linux/s390x"}, config.CAA().Published[1].Platforms)
}
