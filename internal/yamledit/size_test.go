package yamledit

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/fsutil"
)

// bigYAML is a valid YAML mapping of exactly n bytes (n > 40).
func bigYAML(n int) []byte {
	var b bytes.Buffer
	for i := 0; b.Len() < n-40; i++ {
		fmt.Fprintf(&b, "key%07d: value %d\n", i, i)
	}
	pad := n - b.Len() - len("#\n")
	b.WriteString("#" + strings.Repeat("x", pad) + "\n")
	return b.Bytes()
}

// TestParseTooLarge: an input over MaxSize is refused before parsing,
// by Parse and so by every edit; one at the limit is parsed.
func TestParseTooLarge(t *testing.T) {
	src := bigYAML(MaxSize + 1)
	start := time.Now()
	_, err := Parse(src)
	var se *fsutil.SizeError
	require.ErrorAs(t, err, &se)
	require.Equal(t, int64(len(src)), se.Size)
	require.EqualError(t, err, fmt.Sprintf("4.0 MiB (%d bytes), over the 4 MiB limit for a file to edit", len(src)))
	_, err = Set(src, []string{"key0000000"}, "x")
	require.ErrorAs(t, err, &se)
	_, err = SetWithComment(src, []string{"key0000000"}, "x", "c")
	require.ErrorAs(t, err, &se)
	require.Less(t, time.Since(start), time.Second, "refused without parsing")

	src = bigYAML(MaxSize)
	require.Len(t, src, MaxSize)
	d, err := Parse(src)
	if err == nil {
		_, err = d.Lookup([]string{"key0000000"})
	}
	require.NoError(t, err)
}
