package kata_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/confidential-containers/release-tools/kata"
	"github.com/confidential-containers/release-tools/pins"
)

// FuzzTrailers: a choice the tool can make (a value and a Kata version
// it takes, what Kata names, a note CheckNote takes) reads back from its
// trailers as itself, in a commit message with other trailers; and
// ParseTrailers never panics, and what it reads from any message reads
// back as itself from its trailers.
func FuzzTrailers(f *testing.F) {
	refs := []kata.Ref{kata.RefKata, kata.RefGuestComponents, kata.RefTrustee}
	f.Add(uint8(0), kataLater, "3.31.0", kataTag, "tagging fix", "")
	f.Add(uint8(0), kataLater, "3.31.0", kataTag, "", "")
	f.Add(uint8(1), gcChosen, "3.31.0", gcKata, "", "")
	f.Add(uint8(2), "v0.10.1", "3.31.0", trCommit, "", "")
	f.Add(uint8(2), "0.10.1-rc.1+b", "0.0.0", "v1.0.0", "", "")
	f.Add(uint8(0), kataLater, "3.31.0", kataTag, strings.Repeat("é", 80), "")
	msg := "deps: sync with Kata Containers 3.31.0\n\nBody.\n\n" +
		"Kata-Ref: " + kataLater + " (Kata 3.31.0's tag names " + kataTag + ")\nKata-Ref-Note: tagging fix\n" +
		"Guest-Components-Ref: " + gcChosen + " (Kata 3.31.0 names " + gcKata + ")\n" +
		"Trustee-Ref: v0.10.1 (Kata 3.31.0 names " + trCommit + ")\nSigned-off-by: A <a@example.com>\n"
	f.Add(uint8(0), "", "", "", "", msg)
	for _, bad := range []string{
		"Guest-Components-Ref: main (Kata 3.31.0 names " + gcKata + ")",
		"Guest-Components-Ref: " + gcChosen + " (Kata v3.31 names x)",
		"Kata-Ref: v1.2.3 (Kata 3.31.0's tag names " + kataTag + ")",
		"Trustee-Ref: $(rm -rf ~) (Kata 3.31.0 names " + trCommit + ")",
		"Kata-Ref: " + kataLater + " (Kata 3.31.0's tag names " + kataTag + ")\nKata-Ref-Note: a # b\n",
	} {
		f.Add(uint8(1), "", "", "", "", "x\n\n"+bad+"\n")
	}
	f.Fuzz(func(t *testing.T, r uint8, value, kataVersion, names, note, msg string) {
		for _, c := range kata.ParseTrailers(msg) {
			again := kata.ParseTrailers("x\n\n" + strings.Join(c.Trailers(), "\n") + "\n")
			if !reflect.DeepEqual(again, []kata.Choice{c}) {
				t.Fatalf("%#v, read from %q, reads back as %#v", c, msg, again)
			}
		}
		ref := refs[int(r)%len(refs)]
		if ref != kata.RefKata {
			note = ""
		}
		if _, err := kata.ParseVersion(kataVersion); err != nil || kata.CheckRef(value) != nil || kata.CheckRef(names) != nil ||
			ref == kata.RefKata && (!pins.IsCommit(value) || !pins.IsCommit(names)) || note != "" && kata.CheckNote(note) != nil {
			return
		}
		c := kata.Choice{Ref: ref, Value: value, Kata: kataVersion, Names: names, Note: note}
		got := kata.ParseTrailers("deps: sync\n\n" + strings.Join(c.Trailers(), "\n") + "\nSigned-off-by: A <a@example.com>\n")
		if !reflect.DeepEqual(got, []kata.Choice{c}) {
			t.Fatalf("%#v reads back from its trailers %q as %#v", c, c.Trailers(), got)
		}
	})
}
