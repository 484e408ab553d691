package versions_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/versions"
)

// TestSetBytes: each case sets one path and must give exactly want.
func TestSetBytes(t *testing.T) {
	tests := []struct {
		name, src, path, value, want string
	}{
		{"plain stays plain", "a:\n  b: 1.2.3\n", "a.b", "1.2.4", "a:\n  b: 1.2.4\n"},
		{"double quotes kept", "a: \"x\" # note\n", "a", "y", "a: \"y\" # note\n"},
		{"single quotes kept", "a: 'x'\n", "a", "it's", "a: 'it''s'\n"},
		{"single quotes that cannot hold a newline", "a: 'x'\n", "a", "l1\nl2", "a: \"l1\\nl2\"\n"},
		{"double quotes escape", "a: \"x\"\n", "a", `q"b\s`, "a: \"q\\\"b\\\\s\"\n"},
		{"comment after a plain value", "a: x # keep me\nb: y\n", "a", "z", "a: z # keep me\nb: y\n"},
		{"comment without space before #", "a: x\t# c\n", "a", "z", "a: z\t# c\n"},
		{"float-looking value quoted", "tag: 3.9\n", "tag", "3.10", "tag: \"3.10\"\n"},
		{"string made float quoted", "tag: v1\n", "tag", "3.10", "tag: \"3.10\"\n"},
		{"yes quoted", "a: b\n", "a", "yes", "a: \"yes\"\n"},
		{"on quoted", "a: b\n", "a", "on", "a: \"on\"\n"},
		{"null quoted", "a: b\n", "a", "null", "a: \"null\"\n"},
		{"tilde quoted", "a: b\n", "a", "~", "a: \"~\"\n"},
		{"comment-like quoted", "a: b\n", "a", "#x", "a: \"#x\"\n"},
		{"mapping-like quoted", "a: b\n", "a", "a: b", "a: \"a: b\"\n"},
		{"alias-like quoted", "a: b\n", "a", "*x", "a: \"*x\"\n"},
		{"anchor-like quoted", "a: b\n", "a", "&x", "a: \"&x\"\n"},
		{"tag-like quoted", "a: b\n", "a", "!x", "a: \"!x\"\n"},
		{"empty quoted", "a: b\n", "a", "", "a: \"\"\n"},
		{"leading space quoted", "a: b\n", "a", " x", "a: \" x\"\n"},
		{"octal quoted", "a: b\n", "a", "0777", "a: \"0777\"\n"},
		{"int-like string quoted", "a: b\n", "a", "10", "a: \"10\"\n"},
		{"int stays int", "n: 9\n", "n", "10", "n: 10\n"},
		{"date stays date", "d: 2025-01-30\n", "d", "2025-03-28", "d: 2025-03-28\n"},
		{"date into a string field quoted", "d: x\n", "d", "2025-03-28", "d: \"2025-03-28\"\n"},
		{"bool stays bool", "b: false\n", "b", "true", "b: true\n"},
		{"version is a string", "v: 0.12.0\n", "v", "0.13.0", "v: 0.13.0\n"},
		{"sha", "c: b2de40ea39b8893864e05614848bd987ac19b871\n", "c", "410154b63f1a3a5431de308f9834052b62e7e7d7", "c: 410154b63f1a3a5431de308f9834052b62e7e7d7\n"},
		{"url with colon", "u: x\n", "u", "https://example.com/a#b", "u: https://example.com/a#b\n"},
		{"value with ' #' quoted", "u: x\n", "u", "a #b", "u: \"a #b\"\n"},
		{"CRLF", "a: x\r\nb: y\r\n", "b", "z", "a: x\r\nb: z\r\n"},
		{"CRLF and comment", "a: x # c\r\nb: y\r\n", "a", "z", "a: z # c\r\nb: y\r\n"},
		{"document marker and blank lines", "---\n\na: x\n\n\nb: y\n", "b", "z", "---\n\na: x\n\n\nb: z\n"},
		{"non-ASCII before the value", "é: 1.0.0 # ünïcode\n", "é", "2.0.0", "é: 2.0.0 # ünïcode\n"},
		{"non-ASCII value", "a: x\n", "a", "日本", "a: 日本\n"},
		{"sequence index", "l:\n  - a\n  - b\n", "l.1", "c", "l:\n  - a\n  - c\n"},
		{"integer mapping key", "rhel:\n  9:\n    url: x\n", "rhel.9.url", "u2", "rhel:\n  9:\n    url: u2\n"},
		{"quoted key with a dot", "a:\n  b.c: x\n", `a."b.c"`, "x2", "a:\n  b.c: x2\n"},
		{"flow mapping", "a: {b: x, c: y}\n", "a.c", "z", "a: {b: x, c: z}\n"},
		{"flow value needing quotes", "a: [x, y]\n", "a.0", "p,q", "a: [\"p,q\", y]\n"},
		{"same value is a no-op", "a: x # c\n", "a", "x", "a: x # c\n"},
		{"same value in another style is a no-op", "a: \"x\"\n", "a", "x", "a: \"x\"\n"},
		{"indented document", "root:\n    deep:\n        key: old   # c\n", "root.deep.key", "new", "root:\n    deep:\n        key: new   # c\n"},
		{"BOM", "\uFEFFa: x\n", "a", "x2", "\uFEFFa: x2\n"},
		{"control character escaped", "a: x\n", "a", "\x01", "a: \"\\x01\"\n"},
		{"key on the same line as list dash", "- name: a\n  tag: x\n", "0.tag", "x2", "- name: a\n  tag: x2\n"},
		{"y is a YAML 1.1 boolean", "a: b\n", "a", "y", "a: \"y\"\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := versions.SetBytes([]byte(tt.src), tt.path, tt.value)
			require.NoError(t, err)
			require.Equal(t, tt.want, string(got))
			back, err := versions.GetBytes(got, tt.path)
			require.NoError(t, err)
			require.Equal(t, tt.value, back)
		})
	}
}

// TestSetBytesErrors: bad input is an error that says what is wrong.
func TestSetBytesErrors(t *testing.T) {
	tests := []struct {
		name, src, path, value, want string
	}{
		{"missing leaf", "git:\n  kbs:\n    url: u\n    reference: r\n", "git.kbs.tag", "x", `no "git.kbs.tag": "git.kbs" has url, reference`},
		{"missing top key", "git: {}\noci: {}\n", "tools.x", "x", `no "tools.x": the top level has git, oci`},
		{"walk into a scalar", "a: b\n", "a.b", "x", `no "a.b": "a" is a scalar ("b"), not a mapping or list`},
		{"path to a mapping", "a:\n  b: c\n", "a", "x", `"a" is a mapping, not a single value`},
		{"path to a list", "a: [1]\n", "a", "x", `"a" is a list, not a single value`},
		{"bad index", "a: [x]\n", "a.3", "y", `no "a.3": "a" has list indexes 0 to 0`},
		{"malformed YAML", "a: [x\n", "a", "y", "did not find expected"},
		{"tab indentation", "a:\n\tb: c\n", "a.b", "y", "found character that cannot start any token"},
		{"duplicate key", "a: x\na: y\n", "a", "z", "key a appears twice at the top level (lines 1 and 2): keep one"},
		{"two documents", "a: x\n---\na: y\n", "a", "z", "more than one YAML document"},
		{"empty file", "", "a", "z", "no YAML document"},
		{"comment only", "# nothing\n", "a", "z", "no YAML document"},
		{"block scalar", "a: |\n  x\n", "a", "z", "block scalar"},
		{"multi-line plain", "a: x\n  y\n", "a", "z", "spans more than one line"},
		{"multi-line quoted", "a: \"x\n  y\"\n", "a", "z", "spans more than one line"},
		{"explicit tag", "a: !!str x\n", "a", "z", "explicit tag"},
		{"anchor", "a: &n x\nb: *n\n", "a", "z", "anchor"},
		{"through an alias", "a: &n {c: x}\nb: *n\n", "b.c", "z", "through an alias"},
		{"empty path", "a: x\n", "", "z", "empty path"},
		{"empty key", "a: x\n", "a..b", "z", "empty key"},
		{"unterminated quote", "a: x\n", `a."b`, "z", "unterminated quote"},
		{"invalid UTF-8 value", "a: x\n", "a", "\xff", "not valid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := versions.SetBytes([]byte(tt.src), tt.path, tt.value)
			require.ErrorContains(t, err, tt.want)
			require.ErrorContains(t, err, "versions: ")
		})
	}
}

// TestSetFile: the file API names the file in errors, leaves it
// byte-identical on error, and does not rewrite it for a no-op.
func TestSetFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "versions.yaml")
	const src = "git:\n  kbs:\n    reference: abc # pinned\n"
	require.NoError(t, os.WriteFile(file, []byte(src), 0o644))
	old := time.Now().Add(-time.Hour).Truncate(time.Second)
	require.NoError(t, os.Chtimes(file, old, old))

	require.NoError(t, versions.Set(file, "git.kbs.reference", "abc"))
	info, err := os.Stat(file)
	require.NoError(t, err)
	require.True(t, info.ModTime().Equal(old), "a no-op set must not touch the file")

	err = versions.Set(file, "git.kbs.tag", "x")
	require.ErrorContains(t, err, file)
	require.ErrorContains(t, err, `"git.kbs" has reference`)
	assertContent(t, file, src)

	require.NoError(t, versions.Set(file, "git.kbs.reference", "def"))
	assertContent(t, file, "git:\n  kbs:\n    reference: def # pinned\n")
	info, err = os.Stat(file)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o644), info.Mode().Perm())

	err = versions.Set(filepath.Join(dir, "nope.yaml"), "a", "b")
	require.ErrorContains(t, err, "nope.yaml")
	require.ErrorIs(t, err, os.ErrNotExist)

	bad := filepath.Join(dir, "bad.yaml")
	require.NoError(t, os.WriteFile(bad, []byte("a: [x\n"), 0o644))
	err = versions.Set(bad, "a", "b")
	require.ErrorContains(t, err, bad)
	assertContent(t, bad, "a: [x\n")

	ro := filepath.Join(dir, "ro.yaml")
	require.NoError(t, os.WriteFile(ro, []byte("a: x\n"), 0o444))
	err = versions.Set(ro, "a", "y")
	require.ErrorContains(t, err, "read-only")
	require.ErrorContains(t, err, ro)
	assertContent(t, ro, "a: x\n")

	_, err = versions.Get(bad, "a")
	require.ErrorContains(t, err, bad)
}

func assertContent(t *testing.T, file, want string) {
	t.Helper()
	got, err := os.ReadFile(file)
	require.NoError(t, err)
	require.Equal(t, want, string(got))
}
