package versions_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/fixture"
	"github.com/confidential-containers/release-tools/versions"
)

// TestDuplicateKey: a versions.yaml with the key reference written twice
// under oci.kata-containers (a bad merge) is named as such, key, mapping
// and both lines, not as "none of [...] holds a value".
func TestDuplicateKey(t *testing.T) {
	src := fixture.MustFile(fixture.HelmRelease, "before", versionsYAML)
	ref := []byte("    reference: bef049d07e34d467b3a0910fdc65f30aa4647a0a # v3.31.0 + tagging fix\n")
	i := bytes.Index(src, ref)
	require.Positive(t, i)
	line := bytes.Count(src[:i], []byte("\n")) + 1
	require.Equal(t, 62, line)
	i += len(ref)
	src = append(src[:i:i], append([]byte("    registry: x\n    reference: v3.30.0\n"), src[i:]...)...)

	want := "key reference appears twice in oci.kata-containers (lines 62 and 64): keep one"
	_, err := versions.FirstPathBytes(src, "oci.kata-containers.reference", "git.kata-containers.reference")
	require.EqualError(t, err, "versions: "+want)
	var dup *versions.DuplicateKeyError
	require.True(t, errors.As(err, &dup))
	require.Equal(t, [2]int{62, 64}, dup.Lines)

	_, err = versions.GetBytes(src, "oci.kata-containers.reference")
	require.EqualError(t, err, "versions: "+want)
	_, err = versions.SetBytes(src, "oci.kata-containers.reference", "v3.32.0")
	require.ErrorContains(t, err, want)

	// The first key found twice is named, registry here.
	_, err = versions.GetBytes(src, "oci.kata-containers.registry")
	require.ErrorContains(t, err, "key registry appears twice in oci.kata-containers (lines 61 and 63)")
}
