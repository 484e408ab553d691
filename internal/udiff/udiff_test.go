package udiff

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestFile(t *testing.T) {
	for _, tc := range []struct {
		name          string
		before, after []byte
		want          string
	}{
		{"same", []byte("a\n"), []byte("a\n"), ""},
		{"both absent", nil, nil, ""},
		{"created", nil, []byte("a\nb\n"), "--- /dev/null\n+++ b/f\n@@ -0,0 +1,2 @@\n+a\n+b\n"},
		{"removed", []byte("a\n"), nil, "--- a/f\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-a\n"},
		{"emptied", []byte("a\n"), []byte{}, "--- a/f\n+++ b/f\n@@ -1,1 +0,0 @@\n-a\n"},
		{"middle", []byte("1\n2\n3\n4\n5\n6\n7\n8\n9\n"), []byte("1\n2\n3\n4\nfive\n6\n7\n8\n9\n"),
			"--- a/f\n+++ b/f\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n"},
		{"two hunks", []byte("a\n1\n2\n3\n4\n5\n6\n7\nb\n"), []byte("A\n1\n2\n3\n4\n5\n6\n7\nB\n"),
			"--- a/f\n+++ b/f\n@@ -1,4 +1,4 @@\n-a\n+A\n 1\n 2\n 3\n@@ -6,4 +6,4 @@\n 5\n 6\n 7\n-b\n+B\n"},
		{"one hunk when close", []byte("a\n1\n2\n3\n4\n5\n6\nb\n"), []byte("A\n1\n2\n3\n4\n5\n6\nB\n"),
			"--- a/f\n+++ b/f\n@@ -1,8 +1,8 @@\n-a\n+A\n 1\n 2\n 3\n 4\n 5\n 6\n-b\n+B\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, File("f", tc.before, tc.after))
		})
	}
}
