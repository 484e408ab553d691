package versions_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/versions"
)

func TestSetWithCommentBytes(t *testing.T) {
	t.Parallel()
	const sha = "cf82bb35c80320178bf7570252fe75d6fb263209"
	got, err := versions.SetWithCommentBytes([]byte("oci:\n  kata:\n    reference: 8dccf4cf37aeea4b6c2caacf3e61510d6eef2f71 # v3.29.0\n    registry: x\n"), "oci.kata.reference", sha, "v4.0.0")
	require.NoError(t, err)
	require.Equal(t, "oci:\n  kata:\n    reference: "+sha+" # v4.0.0\n    registry: x\n", string(got))
	for _, tc := range []struct{ name, src, want, err string }{
		{"keeps the spaces before #", "reference: abc    # old\n", "reference: " + sha + "    # v4.0.0\n", ""},
		{"adds one", "reference: abc\nother: 1\n", "reference: " + sha + " # v4.0.0\nother: 1\n", ""},
		{"CRLF", "reference: abc # old\r\nother: 1\r\n", "reference: " + sha + " # v4.0.0\r\nother: 1\r\n", ""},
		{"quoted", "reference: \"abc\" # old\n", "reference: \"" + sha + "\" # v4.0.0\n", ""},
		{"last line without newline", "reference: abc", "reference: " + sha + " # v4.0.0", ""},
		{"missing key", "other: 1\n", "", "reference"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := versions.SetWithCommentBytes([]byte(tc.src), "reference", sha, "v4.0.0")
			if tc.err != "" {
				require.ErrorContains(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, string(got))
			again, err := versions.SetWithCommentBytes(got, "reference", sha, "v4.0.0")
			require.NoError(t, err)
			require.Equal(t, string(got), string(again), "setting it again changes nothing")
		})
	}
	_, err = versions.SetWithCommentBytes([]byte("reference: abc\n"), "reference", sha, "two\nlines")
	require.ErrorContains(t, err, "not one line")
}

func TestCommentBytes(t *testing.T) {
	src := []byte("oci:\n  kata:\n    reference: bef049d07e34d467b3a0910fdc65f30aa4647a0a # v3.31.0 + tagging fix\n  other:\n    reference: 3.31.0\n")
	c, err := versions.CommentBytes(src, "oci.kata.reference")
	require.NoError(t, err)
	require.Equal(t, "v3.31.0 + tagging fix", c)
	c, err = versions.CommentBytes(src, "oci.other.reference")
	require.NoError(t, err)
	require.Empty(t, c)
	_, err = versions.CommentBytes(src, "oci.none.reference")
	require.Error(t, err)
}
