// Package version is a release version of a Go module repository: a
// canonical semantic version with a leading v (v0.13.0, v0.13.0-alpha.1),
// no build metadata, and a pre-release, if any, of a configured form.
//
// [Parse] is the one place these rules live. A [Version] can only be made
// by Parse (or be the zero Version, which [Version.IsZero] reports), so a
// function that takes one knows it was checked once, at the edge, with the
// pre-release pattern the caller configured.
package version

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/mod/semver"
)

// MaxLen is the longest input [Parse] looks at, in bytes; a longer one is
// refused before any other check.
const MaxLen = 128

// DefaultPreRelease is the pre-release form a candidate may take when no
// other is configured: alpha.N or rc.N with N >= 1.
var DefaultPreRelease = regexp.MustCompile(`^(alpha|rc)\.[1-9][0-9]*$`)

// ErrInvalid is wrapped by every error [Parse] returns (an [*Error]).
var ErrInvalid = errors.New("invalid version")

// Error is a version [Parse] refused: the input (cut to [MaxLen] bytes),
// why, and the version that was probably meant ("" when there is no good
// guess). It unwraps to [ErrInvalid].
type Error struct {
	Input    string
	Reason   string
	Proposal string
}

func (e *Error) Error() string {
	msg := fmt.Sprintf("%v: %q %s", ErrInvalid, e.Input, e.Reason)
	if e.Proposal != "" {
		msg += fmt.Sprintf("; did you mean %q?", e.Proposal)
	}
	return msg
}

func (e *Error) Unwrap() error { return ErrInvalid }

// Version is a release version that [Parse] accepted. Its zero value is no
// version at all (see [Version.IsZero]); compare Versions with
// [Version.Compare], or with == (the string form is canonical).
type Version struct {
	s string
}

// Parse checks that s can be released and tagged: at most [MaxLen] bytes,
// no surrounding whitespace, a leading v, canonical semver
// (vMAJOR.MINOR.PATCH[-PRERELEASE]) without build metadata, and a
// pre-release, if any, that matches preRelease (nil means
// [DefaultPreRelease]). The error, an [*Error] wrapping [ErrInvalid],
// proposes the version that was probably meant ("v0.10.0-alpha1" ->
// "v0.10.0-alpha.1").
func Parse(s string, preRelease *regexp.Regexp) (Version, error) {
	if preRelease == nil {
		preRelease = DefaultPreRelease
	}
	if len(s) > MaxLen {
		return Version{}, &Error{Input: s[:MaxLen] + "...", Reason: fmt.Sprintf("is %d bytes long; a version is at most %d", len(s), MaxLen)}
	}
	fail := func(why string) (Version, error) {
		e := &Error{Input: s, Reason: why}
		if p := propose(s, preRelease); p != s {
			e.Proposal = p
		}
		return Version{}, e
	}
	if t := strings.TrimSpace(s); t != s {
		where := "trailing"
		switch {
		case t == "":
			return fail("is only whitespace")
		case !strings.HasPrefix(s, t):
			where = "leading"
		}
		e := &Error{Input: s, Reason: "has " + where + " whitespace"}
		if v, err := Parse(t, preRelease); err == nil {
			e.Proposal = v.s
		} else {
			e.Proposal = propose(t, preRelease)
		}
		return Version{}, e
	}
	switch {
	case !strings.HasPrefix(s, "v"):
		return fail("does not start with v")
	case strings.Contains(s, "+"):
		return fail("carries build metadata (+...), which Go module versions cannot")
	case semver.Canonical(s) != s:
		return fail("is not a canonical semantic version (vMAJOR.MINOR.PATCH[-PRERELEASE])")
	}
	if pre := strings.TrimPrefix(semver.Prerelease(s), "-"); pre != "" && !preRelease.MatchString(pre) {
		return fail(fmt.Sprintf("has the pre-release %q, which does not match %s", pre, preRelease))
	}
	return Version{s: s}, nil
}

var (
	coreRE   = regexp.MustCompile(`^v?([0-9]+)(?:\.([0-9]+))?(?:\.([0-9]+))?(.*)$`)
	numberRE = regexp.MustCompile(`[1-9][0-9]*`)
)

// propose guesses the version meant: MAJOR.MINOR.PATCH as given, then
// -alpha.N or -rc.N with the first number of the pre-release (default 1);
// "" when the guess would not be valid either.
func propose(s string, pattern *regexp.Regexp) string {
	core := coreRE.FindStringSubmatch(s)
	if core == nil {
		return ""
	}
	num := func(s string) string {
		if s == "" {
			return "0"
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			return s // too large for an int: semver.Canonical decides
		}
		return strconv.Itoa(n)
	}
	out := "v" + num(core[1]) + "." + num(core[2]) + "." + num(core[3])
	rest, _, _ := strings.Cut(core[4], "+")
	if rest = strings.TrimPrefix(rest, "-"); rest != "" {
		word := "alpha"
		if strings.HasPrefix(strings.ToLower(rest), "rc") {
			word = "rc"
		}
		n := "1"
		if m := numberRE.FindString(rest); m != "" {
			n = m
		}
		out += "-" + word + "." + n
	}
	if pre := strings.TrimPrefix(semver.Prerelease(out), "-"); semver.Canonical(out) != out || pre != "" && !pattern.MatchString(pre) {
		return ""
	}
	return out
}

// String is the canonical version, "" for the zero Version.
func (v Version) String() string { return v.s }

// IsZero reports whether v is the zero Version, which Parse never returns.
func (v Version) IsZero() bool { return v.s == "" }

// IsPreRelease reports whether v is a candidate (v0.13.0-alpha.1).
func (v Version) IsPreRelease() bool { return semver.Prerelease(v.s) != "" }

// Base is v without its pre-release: v0.13.0 for v0.13.0-rc.1.
func (v Version) Base() Version {
	return Version{s: strings.TrimSuffix(v.s, semver.Prerelease(v.s))}
}

// Major is v's major version as Go module paths carry it: "v0", "v2".
func (v Version) Major() string { return semver.Major(v.s) }

// Next is the version to use when v's tags cannot be made: the next
// candidate for a pre-release (alpha.1 -> alpha.2), the next patch
// release otherwise. Tags cannot move, so a mistake costs a version. It is
// the zero Version for a pre-release that does not end in a number.
func (v Version) Next() Version {
	if v.s == "" {
		return Version{}
	}
	if pre := semver.Prerelease(v.s); pre != "" {
		i := strings.LastIndexByte(pre, '.')
		if n, err := strconv.Atoi(pre[i+1:]); i >= 0 && err == nil {
			return Version{s: strings.TrimSuffix(v.s, pre) + pre[:i+1] + strconv.Itoa(n+1)}
		}
		return Version{}
	}
	parts := strings.Split(strings.TrimPrefix(v.s, "v"), ".")
	patch, err := strconv.Atoi(parts[2])
	if err != nil {
		return Version{}
	}
	return Version{s: fmt.Sprintf("v%s.%s.%d", parts[0], parts[1], patch+1)}
}

// Compare returns -1, 0 or +1 as v is lower than, equal to or higher than
// w in semantic version order; the zero Version is lower than any other.
func (v Version) Compare(w Version) int { return semver.Compare(v.s, w.s) }

// Less reports whether v is lower than w.
func (v Version) Less(w Version) bool { return v.Compare(w) < 0 }
