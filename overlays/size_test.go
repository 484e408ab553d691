package overlays_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/fsutil"
	"github.com/confidential-containers/release-tools/overlays"
)

// TestPinImageFileTooLarge: a kustomization over the editors' 4 MiB limit
// is refused before it is parsed, and left as it is.
func TestPinImageFileTooLarge(t *testing.T) {
	file := filepath.Join(t.TempDir(), "kustomization.yaml")
	src := "images:\n- name: cloud-api-adaptor\n  newTag: latest\n" + strings.Repeat("# padding\n", fsutil.MaxSize/10+1)
	require.NoError(t, os.WriteFile(file, []byte(src), 0o644))
	err := overlays.PinImage(file, "cloud-api-adaptor", "v1")
	var se *fsutil.SizeError
	require.ErrorAs(t, err, &se)
	require.ErrorContains(t, err, "overlays: read "+file+": ")
	got, err := os.ReadFile(file)
	require.NoError(t, err)
	require.Equal(t, src, string(got))
}
