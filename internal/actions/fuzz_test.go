package actions_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/confidential-containers/release-tools/internal/actions"
)

// FuzzParseAuthor: ParseAuthor never panics; an author it takes is a
// name and an address git writes as given (one line, no control
// character, no angle bracket, no space around the name, one @ in an
// address without space) and reads back as itself from its String; a
// value it refuses gives an error that quotes it and matches
// ErrBadAuthor.
func FuzzParseAuthor(f *testing.F) {
	for _, s := range []string{
		"Jane Doe <jane@example.com>", "Doe, Jane <jane@example.com>", actions.Bot.String(),
		"jane@example.com", "<jane@example.com>", "Jane Doe", "Jane <jane@example.com> trailing",
		"Jane\nSigned-off-by: x <x@y.z>", "  Jane  <j@x>  ", "Jane <j@@x>", "Jane <<j@x>>",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := actions.ParseAuthor(s)
		if err != nil {
			if !errors.Is(err, actions.ErrBadAuthor) {
				t.Fatalf("ParseAuthor(%q) = %v, which is not ErrBadAuthor", s, err)
			}
			if !strings.Contains(err.Error(), fmt.Sprintf("%q", s)) {
				t.Fatalf("ParseAuthor(%q) = %v, which does not quote it", s, err)
			}
			return
		}
		for _, part := range []string{a.Name, a.Email} {
			if part == "" || strings.ContainsAny(part, "<>") || strings.ContainsFunc(part, isControl) {
				t.Fatalf("ParseAuthor(%q) = %#v", s, a)
			}
		}
		if a.Name[0] == ' ' || a.Name[len(a.Name)-1] == ' ' {
			t.Fatalf("ParseAuthor(%q) = %#v: space around the name", s, a)
		}
		if strings.Count(a.Email, "@") != 1 || strings.Contains(a.Email, " ") {
			t.Fatalf("ParseAuthor(%q) = %#v: not an address", s, a)
		}
		again, err := actions.ParseAuthor(a.String())
		if err != nil || again != a {
			t.Fatalf("ParseAuthor(%q) = %#v, whose String %q reads back as %#v, %v", s, a, a.String(), again, err)
		}
	})
}

// isControl is a character git strips or stops at in a name: ASCII's
// control characters.
func isControl(r rune) bool { return r < 0x20 || r == 0x7f }
