package versions_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/fixture"
	"github.com/confidential-containers/release-tools/versions"
)

const (
	versionsYAML = "src/cloud-api-adaptor/versions.yaml"
	citation     = "CITATION.cff"
)

// TestGolden replays the versions.yaml and CITATION.cff edits of the
// v0.13.0 cycle: each stage's before/ file with the stage's inputs set must
// equal its after/ file byte for byte.
func TestGolden(t *testing.T) {
	type set struct{ path, value string }
	tests := []struct {
		stage string
		file  string
		sets  []set
	}{
		{fixture.KataSync, versionsYAML, []set{
			{"oci.kata-containers.reference", fixture.KataVersion},
			{"oci.guest-components.reference", fixture.GuestComponents},
			{"git.kbs.reference", fixture.Trustee},
		}},
		{fixture.PinOperator, versionsYAML, []set{
			{"git.coco-operator.config", "release"},
			{"git.coco-operator.reference", fixture.OperatorRef},
		}},
		{fixture.RevertOperator, versionsYAML, []set{
			{"git.coco-operator.config", "default"},
			{"git.coco-operator.reference", "main"},
		}},
		{fixture.Citation, citation, []set{
			{"version", "0.13.0"},
			{"date-released", fixture.ReleaseDate},
			{"commit", fixture.ReleaseCommit},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.stage, func(t *testing.T) {
			t.Parallel()
			src := fixture.MustFile(tt.stage, "before", tt.file)
			want := fixture.MustFile(tt.stage, "after", tt.file)
			got := src
			for _, s := range tt.sets {
				var err error
				got, err = versions.SetBytes(got, s.path, s.value)
				require.NoError(t, err)
			}
			require.Equal(t, string(want), string(got))

			// The same through the file API.
			file := filepath.Join(t.TempDir(), filepath.Base(tt.file))
			require.NoError(t, os.WriteFile(file, src, 0o644))
			for _, s := range tt.sets {
				require.NoError(t, versions.Set(file, s.path, s.value))
			}
			onDisk, err := os.ReadFile(file)
			require.NoError(t, err)
			require.Equal(t, string(want), string(onDisk))
		})
	}
}

func TestGetOnRealFile(t *testing.T) {
	src := fixture.MustFile(fixture.KataSync, "after", versionsYAML)
	for path, want := range map[string]string{
		"oci.kata-containers.reference": "3.15.0",
		"git.kbs.reference":             fixture.Trustee,
		"cloudimg.rhel.9.amd64.url":     "https://access.redhat.com/downloads/content/479/ver=/rhel---9/9.4/x86_64/product-software",
		"oci.pause.tag":                 "3.9",
		"tools.golang":                  "1.23.6",
	} {
		got, err := versions.GetBytes(src, path)
		require.NoError(t, err, path)
		require.Equal(t, want, got, path)
	}
}

func TestFirstPath(t *testing.T) {
	src := fixture.MustFile(fixture.KataSync, "before", versionsYAML)
	got, err := versions.FirstPathBytes(src, "git.kbs.tag", "git.kbs.reference")
	require.NoError(t, err)
	require.Equal(t, "git.kbs.reference", got)

	got, err = versions.FirstPathBytes(src, "oci.guest-components.reference", "git.guest-components.reference")
	require.NoError(t, err)
	require.Equal(t, "oci.guest-components.reference", got)

	_, err = versions.FirstPathBytes(src, "git.kata-containers.reference", "git.kata.reference")
	require.ErrorContains(t, err, `none of ["git.kata-containers.reference" "git.kata.reference"] holds a value`)

	// A path to a mapping is not a value.
	got, err = versions.FirstPathBytes(src, "git.kbs", "git.kbs.url")
	require.NoError(t, err)
	require.Equal(t, "git.kbs.url", got)

	file := filepath.Join(t.TempDir(), "versions.yaml")
	require.NoError(t, os.WriteFile(file, src, 0o644))
	got, err = versions.FirstPath(file, "git.kbs.tag", "git.kbs.reference")
	require.NoError(t, err)
	require.Equal(t, "git.kbs.reference", got)
	_, err = versions.FirstPath(filepath.Join(t.TempDir(), "missing.yaml"), "a")
	require.ErrorContains(t, err, "missing.yaml")
}
