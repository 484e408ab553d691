package versions_test

import (
	"testing"

	"github.com/confidential-containers/release-tools/internal/edittest"
	"github.com/confidential-containers/release-tools/internal/fixture"
	"github.com/confidential-containers/release-tools/versions"
)

// FuzzSetBytes: on any input SetBytes either fails or returns output that
// parses, holds the new value at the path, and differs from the input
// only inside one line.
func FuzzSetBytes(f *testing.F) {
	f.Add(fixture.MustFile(fixture.KataSync, "before", versionsYAML), "git.kbs.reference", "bc26ac5")
	f.Add(fixture.MustFile(fixture.KataSync, "before", versionsYAML), "oci.pause.tag", "3.10")
	f.Add(fixture.MustFile(fixture.KataSync, "before", versionsYAML), "cloudimg.rhel.9.amd64.checksum", `sha"256`)
	f.Add(fixture.MustFile(fixture.Citation, "before", citation), "date-released", "2025-03-28")
	f.Add(fixture.MustFile(fixture.Citation, "before", citation), "authors.0.name", "x: y")
	f.Add([]byte("a: {b: 'x', c: [1, 2]}\r\n"), "a.c.1", "#")
	f.Add([]byte("- a\n- 'b' # c\n"), "1", "it's\n")
	f.Fuzz(func(t *testing.T, src []byte, path, value string) {
		out, err := versions.SetBytes(src, path, value)
		if err != nil {
			return
		}
		got, err := versions.GetBytes(out, path)
		if err != nil {
			t.Fatalf("output does not read back: %v\nout: %q", err, out)
		}
		if got != value {
			t.Fatalf("read back %q, want %q\nout: %q", got, value, out)
		}
		if err := edittest.OneLine(src, out); err != nil {
			t.Fatal(err)
		}
	})
}
