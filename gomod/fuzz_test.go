package gomod_test

import (
	"bytes"
	"testing"

	"github.com/confidential-containers/release-tools/gomod"
	"github.com/confidential-containers/release-tools/internal/fixture"
)

// FuzzRequireBytes: on any input RequireBytes either fails or returns a
// go.mod that parses with the require at the asked version and differs from
// the input only on one line (an edit) or by inserted lines (an addition).
func FuzzRequireBytes(f *testing.F) {
	for _, name := range []string{"src/peerpod-ctrl/go.mod", "src/csi-wrapper/go.mod", "src/cloud-api-adaptor/podvm/go.mod"} {
		src := fixture.MustFile(fixture.GomodBump, "before", name)
		f.Add(src, "github.com/confidential-containers/release-tools/src/cloud-providers", "v0.13.0")
		f.Add(src, "github.com/onsi/gomega", "v1.31.2")
		f.Add(src, "example.com/new", "v0.0.0-20250320073820-c0632f847fe7")
	}
	f.Add([]byte("module m\r\nrequire \"a.com/b\" \"v1.0.0\"\r\n"), "a.com/b", "v1.1.0")
	f.Fuzz(func(t *testing.T, src []byte, mod, version string) {
		out, err := gomod.RequireBytes("go.mod", src, mod, version)
		if err != nil {
			return
		}
		m, err := gomod.Parse(".", out)
		if err != nil {
			t.Fatalf("output does not parse: %v\n%q", err, out)
		}
		if m.Requires[mod] != version {
			t.Fatalf("require %s is %q, want %q\n%q", mod, m.Requires[mod], version, out)
		}
		p := 0
		for p < len(src) && p < len(out) && src[p] == out[p] {
			p++
		}
		s := 0
		for s < len(src)-p && s < len(out)-p && src[len(src)-1-s] == out[len(out)-1-s] {
			s++
		}
		removed, added := src[p:len(src)-s], out[p:len(out)-s]
		if len(removed) > 0 && bytes.ContainsAny(removed, "\r\n") || len(removed) > 0 && bytes.ContainsAny(added, "\r\n") {
			t.Fatalf("edit crosses a line break:\nsrc: %q\nout: %q", src, out)
		}
	})
}
