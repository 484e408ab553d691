package kata

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/confidential-containers/release-tools/internal/run"
	"github.com/confidential-containers/release-tools/pins"
	"github.com/confidential-containers/release-tools/versions"
)

// Ref names a reference a deps sync sets.
type Ref string

// The references a person may choose instead of what Kata names.
const (
	RefKata            Ref = "kata-containers"  // the Kata commit, instead of its tag's
	RefGuestComponents Ref = "guest-components" // instead of Kata's versions.yaml's
	RefTrustee         Ref = "trustee"          // instead of Kata's versions.yaml's
)

// trailerKey is the git trailer that records a choice of each reference.
var trailerKey = map[Ref]string{RefKata: "Kata-Ref", RefGuestComponents: "Guest-Components-Ref", RefTrustee: "Trustee-Ref"}

// noteKey is the trailer of the note added to the Kata reference's
// comment with a chosen Kata commit.
const noteKey = "Kata-Ref-Note"

// Choice is a reference a deps sync wrote by a person's choice instead of
// what Kata Containers names at the release: recorded as a trailer of the
// deps-sync commit ([Choice.Trailers]), read back by [Choices].
type Choice struct {
	Ref   Ref
	Value string // what was written: a commit, or a version (not for RefKata)
	Kata  string // the Kata release synced with, X.Y.Z
	// Names is what Kata names instead: its versions.yaml's value, or for
	// RefKata the commit of its tag.
	Names string
	Note  string // RefKata: the note added to its comment ("" for none)
	// Commit is the commit whose trailers recorded the choice ("" before
	// it is committed).
	Commit string
}

// Trailers are the git trailer lines that record c:
// "Guest-Components-Ref: <commit> (Kata 4.0.0 names <commit>)"; a Kata
// commit's note is a line "Kata-Ref-Note: <note>" of its own.
func (c Choice) Trailers() []string {
	of := "Kata " + c.Kata + " names " + c.Names
	if c.Ref == RefKata {
		of = "Kata " + c.Kata + "'s tag names " + c.Names
	}
	t := []string{trailerKey[c.Ref] + ": " + c.Value + " (" + of + ")"}
	if c.Ref == RefKata && c.Note != "" {
		t = append(t, noteKey+": "+c.Note)
	}
	return t
}

// String says what was chosen, in a person's words: "guest-components
// <value> (Kata 4.0.0 names <names>)".
func (c Choice) String() string {
	what := "names"
	if c.Ref == RefKata {
		what = "tags"
	}
	s := fmt.Sprintf("%s %s (Kata %s %s %s)", c.Ref, c.Value, c.Kata, what, c.Names)
	if c.Note != "" {
		s += ", note " + quote(c.Note)
	}
	return s
}

// trailerRE is a choice's trailer value: "<value> (Kata X.Y.Z names
// <names>)" or, for Kata-Ref, "<commit> (Kata X.Y.Z's tag names <commit>)".
var trailerRE = regexp.MustCompile(`^(\S+) \(Kata (\S+?)(?:'s tag)? names (\S+)\)$`)

// ErrBadNote is returned, wrapped, by [CheckNote].
var ErrBadNote = errors.New("not a one-line note without #")

// CheckNote checks a note for the comment of a chosen Kata commit
// ("# v3.31.0 + <note>"): one line of 1 to 80 printable characters
// without #, with no space at either end (its trailer would lose it).
func CheckNote(s string) error {
	if s == "" || utf8.RuneCountInString(s) > 80 || strings.ContainsRune(s, '#') || strings.TrimSpace(s) != s ||
		!utf8.ValidString(s) || strings.ContainsFunc(s, func(r rune) bool { return !unicode.IsPrint(r) }) {
		return fmt.Errorf("%s: %w", quote(s), ErrBadNote)
	}
	return nil
}

// ParseTrailers reads the choices a commit message records in its
// trailers ([Choice.Trailers]); a trailer that does not read as one (a
// value that is no commit or version, a Kata version that is none) is
// left out.
func ParseTrailers(msg string) []Choice {
	var out []Choice
	note := ""
	for _, line := range strings.Split(msg, "\n") {
		k, v, ok := strings.Cut(strings.TrimSpace(line), ": ")
		if !ok {
			continue
		}
		if k == noteKey {
			if CheckNote(v) == nil {
				note = v
			}
			continue
		}
		for ref, key := range trailerKey {
			if k != key {
				continue
			}
			m := trailerRE.FindStringSubmatch(v)
			if m == nil {
				break
			}
			if _, err := ParseVersion(m[2]); err != nil {
				break
			}
			if (ref == RefKata && !pins.IsCommit(m[1])) || CheckRef(m[1]) != nil {
				break
			}
			out = append(out, Choice{Ref: ref, Value: m[1], Kata: m[2], Names: m[3]})
		}
	}
	for i := range out {
		if out[i].Ref == RefKata {
			out[i].Note = note
		}
	}
	return out
}

// Choices reads the choices recorded in the trailers of the commits of
// the repository at root that changed refs.File (git log from HEAD), that
// hold for src, the file as it is: for each reference the newest one,
// if it was made for the Kata version src holds ([Current]) and src still
// holds its value. A shallow history gives what it has.
func Choices(ctx context.Context, root string, refs Refs, src []byte) ([]Choice, error) {
	kv, _, err := Current(src, refs.Kata)
	if err != nil {
		return nil, nil // no Kata version, no choice for it
	}
	args := []string{"log", "-z", "--format=%H%n%B", "-E", "--grep=^(" + strings.Join([]string{trailerKey[RefKata], trailerKey[RefGuestComponents], trailerKey[RefTrustee]}, "|") + "): "}
	out, err := run.Git(ctx, root, append(args, "--", refs.File)...)
	if err != nil {
		return nil, fmt.Errorf("the choices recorded in the history of %s: %w", refs.File, err)
	}
	held := map[Ref]string{}
	for ref, candidates := range map[Ref][]string{RefKata: refs.Kata, RefGuestComponents: refs.GuestComponents, RefTrustee: refs.Trustee} {
		for _, p := range candidates {
			if v, err := versions.GetBytes(src, p); err == nil && (ref != RefKata || pins.IsCommit(v)) {
				held[ref] = v
				break
			}
		}
	}
	seen := map[Ref]bool{}
	var found []Choice
	for _, rec := range bytes.Split(out, []byte{0}) {
		commit, msg, ok := strings.Cut(string(rec), "\n")
		if !ok {
			continue
		}
		for _, c := range ParseTrailers(msg) {
			if seen[c.Ref] {
				continue
			}
			seen[c.Ref] = true
			if c.Kata == kv.String() && held[c.Ref] == c.Value {
				c.Commit = commit
				found = append(found, c)
			}
		}
	}
	order := map[Ref]int{RefKata: 0, RefGuestComponents: 1, RefTrustee: 2}
	slices.SortFunc(found, func(a, b Choice) int { return order[a.Ref] - order[b.Ref] })
	return found, nil
}
