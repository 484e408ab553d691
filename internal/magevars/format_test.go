package magevars

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestFormatVar: FORMAT is text (the default) or json; anything else is
// refused before any target runs.
func TestFormatVar(t *testing.T) {
	for in, want := range map[string]string{"": "", "text": "", "json": "json"} {
		v, err := Read(func(k string) string { return map[string]string{"FORMAT": in}[k] })
		require.NoError(t, err)
		require.Equal(t, want, v.Format)
	}
	_, err := Read(func(k string) string { return map[string]string{"FORMAT": "JSON"}[k] })
	require.ErrorContains(t, err, `FORMAT="JSON": want text or json`)
}
