package config_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestLinksNoGit: the configuration links no git (go-git) and none of the
// packages that build phases: reading release.yaml needs neither.
func TestLinksNoGit(t *testing.T) {
	t.Parallel()
	out, err := exec.CommandContext(t.Context(), "go", "list", "-deps", ".").CombinedOutput()
	require.NoError(t, err, string(out))
	var bad []string
	for _, p := range strings.Fields(string(out)) {
		if strings.Contains(p, "go-git") || strings.HasSuffix(p, "release-tools/steps") || strings.HasSuffix(p, "release-tools/phase") {
			bad = append(bad, p)
		}
	}
	require.Empty(t, bad, "package release/config links git or the phases")
}
