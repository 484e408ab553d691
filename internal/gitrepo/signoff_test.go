package gitrepo

import (
	"testing"

	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/stretchr/testify/require"
)

// TestSignOff: the Signed-off-by joins the trailers that end a message,
// as git commit -s does, and is a paragraph of its own otherwise.
func TestSignOff(t *testing.T) {
	sig := &object.Signature{Name: "A", Email: "a@example.com"}
	for msg, want := range map[string]string{
		"subject":                                 "subject\n\nSigned-off-by: A <a@example.com>\n",
		"subject: with a colon\n":                 "subject: with a colon\n\nSigned-off-by: A <a@example.com>\n",
		"s\n\nBody: a sentence.\nand more\n":      "s\n\nBody: a sentence.\nand more\n\nSigned-off-by: A <a@example.com>\n",
		"s\n\nbody\n\nTrustee-Ref: v0.10.1 (x)\n": "s\n\nbody\n\nTrustee-Ref: v0.10.1 (x)\nSigned-off-by: A <a@example.com>\n",
	} {
		require.Equal(t, want, SignOff(msg, sig), msg)
	}
}
