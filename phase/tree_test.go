package phase

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestDiff(t *testing.T) {
	var old []string
	for i := 1; i <= 20; i++ {
		old = append(old, "line "+string(rune('a'+i-1)))
	}
	nu := append([]string(nil), old...)
	nu[1] = "changed b"
	nu[17] = "changed r"
	c := Change{Path: "f.yaml", Old: []byte(strings.Join(old, "\n") + "\n"), New: []byte(strings.Join(nu, "\n") + "\n")}
	require.Equal(t, `--- a/f.yaml
+++ b/f.yaml
@@ -1,5 +1,5 @@
 line a
-line b
+changed b
 line c
 line d
 line e
@@ -15,6 +15,6 @@
 line o
 line p
 line q
-line r
+changed r
 line s
 line t
`, c.Diff())
	require.Empty(t, Change{Old: c.Old, New: c.Old}.Diff())
}

func TestChangeApplyChecksOld(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "f"), []byte("now\n"), 0o644))
	err := Change{Path: "f", Old: []byte("then\n"), New: []byte("x\n")}.Apply(dir)
	require.ErrorContains(t, err, "f changed since the plan was made")
	require.NoError(t, Change{Path: "f", Old: []byte("now\n"), New: []byte("x\n")}.Apply(dir))
	got, err := os.ReadFile(filepath.Join(dir, "f"))
	require.NoError(t, err)
	require.Equal(t, "x\n", string(got))
}
