package pins_test

import (
	"testing"

	"github.com/confidential-containers/release-tools/internal/edittest"
	"github.com/confidential-containers/release-tools/internal/fixture"
	"github.com/confidential-containers/release-tools/pins"
)

// mustRead returns a file of a stage's before side.
func mustRead(f *testing.F, stage, name string) []byte {
	f.Helper()
	b, err := fixture.File(stage, "before", name)
	if err != nil {
		f.Fatal(err)
	}
	return b
}

// FuzzSetBytesLine: on any input and pattern the line editor either fails
// or returns output that differs from the input only inside one line and
// reads back as the tag; setting the tag again changes nothing.
func FuzzSetBytesLine(f *testing.F) {
	mk := mustRead(f, release, "src/cloud-providers/Makefile")
	f.Add(mk, makefileTag, sha+"-dev")
	f.Add(mk, makefileTag, "latest")
	f.Add(mk, `^(\t)`, "x")
	f.Add([]byte("TAG ?= latest\r\nX = 1\r\n"), `^TAG \?= (\S+)`, sha)
	f.Add([]byte("a = b\nc = d"), `= (.*)$`, "e")
	f.Add([]byte("tag: \"\"\n"), `tag: "(.*)"`, "v1")
	f.Add([]byte("x\u2028tag=1\n"), `tag=(\d*)`, "2")
	f.Add([]byte("tag: \r\"v\"\n"), `tag: "?([^"]*)`, "a") // a lone CR ends a line
	f.Fuzz(func(t *testing.T, src []byte, pattern, tag string) {
		p := pins.Place{Kind: pins.KindLine, File: "f", Pattern: pattern}
		if p.Validate() != nil {
			return
		}
		out, err := pins.SetBytes(p, src, tag)
		if err != nil {
			return
		}
		if err := edittest.OneLine(src, out); err != nil {
			t.Fatal(err)
		}
		got, err := pins.ReadBytes(p, out)
		if err != nil {
			t.Fatalf("output does not read back: %v\nout: %q", err, out)
		}
		if got != tag {
			t.Fatalf("read back %q, want %q\nout: %q", got, tag, out)
		}
		again, err := pins.SetBytes(p, out, tag)
		if err != nil || string(again) != string(out) {
			t.Fatalf("setting %q again: %v\nout:   %q\nagain: %q", tag, err, out, again)
		}
	})
}

// FuzzSetBytesYAML: on any input SetBytes on a yaml place either fails or
// returns output that differs from the input only inside one line and
// reads back as the tag.
func FuzzSetBytesYAML(f *testing.F) {
	for _, name := range []string{
		"src/cloud-api-adaptor/install/charts/peerpods/values.yaml",
		"src/cloud-api-adaptor/install/charts/peerpods/providers/libvirt.yaml",
		"src/webhook/chart/values.yaml",
	} {
		src := mustRead(f, release, name)
		f.Add(src, "image.tag", sha)
		f.Add(src, "image.tag", sha+"-dev")
	}
	f.Add(mustRead(f, postRelease, "src/peerpod-ctrl/chart/values.yaml"), "image.tag", "latest")
	f.Add([]byte("image: {tag: 'latest'} # c\r\n"), "image.tag", "1.0")
	f.Add([]byte("image:\n  tag: &t latest\nother: *t\n"), "image.tag", sha)
	f.Add([]byte("image:\n  tag: |\n    latest\n"), "image.tag", sha)
	f.Fuzz(func(t *testing.T, src []byte, key, tag string) {
		p := pins.Place{Kind: pins.KindYAML, File: "values.yaml", Key: key}
		if p.Validate() != nil {
			return
		}
		out, err := pins.SetBytes(p, src, tag)
		if err != nil {
			return
		}
		if err := edittest.OneLine(src, out); err != nil {
			t.Fatal(err)
		}
		got, err := pins.ReadBytes(p, out)
		if err != nil {
			t.Fatalf("output does not read back: %v\nout: %q", err, out)
		}
		if got != tag {
			t.Fatalf("read back %q, want %q\nout: %q", got, tag, out)
		}
	})
}
