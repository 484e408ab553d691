package targets

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestLinksNoDemo checks that the frontend a user's magefile imports links
// no fixture, fake, demo or httptest: those belong to this repository's
// own magefile (demo) and to tests.
func TestLinksNoDemo(t *testing.T) {
	t.Parallel()
	out, err := exec.CommandContext(t.Context(), "go", "list", "-deps", "-f", "{{if .Standard}}std{{else}}mod{{end}} {{.ImportPath}}", ".").CombinedOutput()
	require.NoError(t, err, string(out))
	var bad []string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		kind, p, _ := strings.Cut(line, " ")
		if kind == "std" {
			if p == "net/http/httptest" {
				bad = append(bad, p)
			}
			continue
		}
		// go-containerregistry's internal/httptest, goproxytest, caatest,
		// edittest; fixture, fixturemods, gitfixture; ghfake, ocifake; demo.
		if strings.HasSuffix(p, "test") || strings.Contains(p, "fixture") || strings.Contains(p, "fake") || strings.Contains(p, "demo") {
			bad = append(bad, p)
		}
	}
	require.Empty(t, bad, "package targets links what only this repository's demo and tests need")
}
