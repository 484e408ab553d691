package overlays_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/fixture"
	"github.com/confidential-containers/release-tools/internal/udiff"
	"github.com/confidential-containers/release-tools/overlays"
)

// TestKustomizeRewrites shows, on the 8 real overlays, the failure this
// package exists to avoid: `kustomize edit set image` (its output stored in
// testdata/kustomize-edit by bench/overlays/kustomize.sh --golden) rewrites
// 16 to 33 of the original lines of each file and drops the "# change image if needed"
// comment, where PinImageBytes changes the one newTag line.
func TestKustomizeRewrites(t *testing.T) {
	before, err := fixture.Files(fixture.PinImage, "before")
	require.NoError(t, err)
	after, err := fixture.Files(fixture.PinImage, "after")
	require.NoError(t, err)
	for _, name := range []string{"aws", "azure", "docker", "gcp", "ibmcloud", "ibmcloud-powervs", "libvirt", "vsphere"} {
		file := overlaysRoot + "/" + name + "/kustomization.yaml"
		tag := fixture.ImageSHA
		if name == "libvirt" || name == "docker" {
			tag = "dev-" + tag
		}
		ours, err := overlays.PinImageBytes(before[file], image, tag)
		require.NoError(t, err)
		require.Equal(t, string(after[file]), string(ours))
		require.Equal(t, 1, changedLines(string(before[file]), string(ours)), name)

		theirs, err := os.ReadFile(filepath.Join("testdata", "kustomize-edit", name+".yaml"))
		require.NoError(t, err)
		n := changedLines(string(before[file]), string(theirs))
		t.Logf("%-16s kustomize edit set image changes %2d lines, PinImageBytes 1", name, n)
		require.Greater(t, n, 10, name)
		require.Contains(t, string(ours), "# change image if needed")
		require.NotContains(t, string(theirs), "# change image if needed")
	}
}

// changedLines counts the lines of a that b does not keep as they were:
// the removed lines of the unified diff a phase shows (phase.Change.Diff).
func changedLines(a, b string) int {
	n := 0
	for _, l := range strings.Split(udiff.File("f", []byte(a), []byte(b)), "\n") {
		if strings.HasPrefix(l, "-") && !strings.HasPrefix(l, "--- ") {
			n++
		}
	}
	return n
}
