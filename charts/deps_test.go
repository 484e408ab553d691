package charts

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestLinksNoRegistryClient: the chart model and lock writer link no
// registry client (go-containerregistry), as helm's do not: that is
// package charts/registry's.
func TestLinksNoRegistryClient(t *testing.T) {
	t.Parallel()
	out, err := exec.CommandContext(t.Context(), "go", "list", "-deps", ".").CombinedOutput()
	require.NoError(t, err, string(out))
	var bad []string
	for _, p := range strings.Fields(string(out)) {
		if strings.Contains(p, "go-containerregistry") || strings.HasSuffix(p, "release-tools/oci") {
			bad = append(bad, p)
		}
	}
	require.Empty(t, bad, "package charts links a registry client")
}
