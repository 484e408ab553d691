package tags

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/mod/semver"
)

// DefaultPreRelease is the pre-release form a candidate may take: alpha.N
// or rc.N with N >= 1.
var DefaultPreRelease = regexp.MustCompile(`^(alpha|rc)\.[1-9][0-9]*$`)

// ErrInvalidVersion is returned, wrapped, for a version that must not be
// tagged.
var ErrInvalidVersion = errors.New("invalid version")

// CheckVersion reports whether version can be tagged: canonical semver
// with a leading v and no build metadata, and a pre-release, if any, that
// matches pattern (nil means [DefaultPreRelease]). The error proposes the
// version that was probably meant ("v0.10.0-alpha1" -> "v0.10.0-alpha.1").
func CheckVersion(version string, pattern *regexp.Regexp) error {
	if pattern == nil {
		pattern = DefaultPreRelease
	}
	fail := func(why string) error {
		msg := fmt.Sprintf("%q %s", version, why)
		if p := propose(version, pattern); p != "" && p != version {
			msg += fmt.Sprintf("; did you mean %q?", p)
		}
		return fmt.Errorf("%w: %s", ErrInvalidVersion, msg)
	}
	switch {
	case !strings.HasPrefix(version, "v"):
		return fail("does not start with v")
	case strings.Contains(version, "+"):
		return fail("carries build metadata (+...), which Go module versions cannot")
	case semver.Canonical(version) != version:
		return fail("is not a canonical semantic version (vMAJOR.MINOR.PATCH[-PRERELEASE])")
	}
	if pre := strings.TrimPrefix(semver.Prerelease(version), "-"); pre != "" && !pattern.MatchString(pre) {
		return fail(fmt.Sprintf("has the pre-release %q, which does not match %s", pre, pattern))
	}
	return nil
}

var (
	coreRE   = regexp.MustCompile(`^v?([0-9]+)(?:\.([0-9]+))?(?:\.([0-9]+))?(.*)$`)
	numberRE = regexp.MustCompile(`[1-9][0-9]*`)
)

// propose guesses the version meant: MAJOR.MINOR.PATCH as given, then
// -alpha.N or -rc.N with the first number of the pre-release (default 1).
func propose(version string, pattern *regexp.Regexp) string {
	core := coreRE.FindStringSubmatch(version)
	if core == nil {
		return ""
	}
	num := func(s string) string {
		if s == "" {
			return "0"
		}
		n, _ := strconv.Atoi(s)
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

// NextVersion is the version to use when version's tags cannot be made: the
// next candidate for a pre-release (alpha.1 -> alpha.2), the next patch
// release otherwise. Tags cannot move, so a mistake costs a version.
func NextVersion(version string) string {
	if pre := semver.Prerelease(version); pre != "" {
		i := strings.LastIndexByte(pre, '.')
		if n, err := strconv.Atoi(pre[i+1:]); i >= 0 && err == nil {
			return strings.TrimSuffix(version, pre) + pre[:i+1] + strconv.Itoa(n+1)
		}
		return ""
	}
	parts := strings.Split(strings.TrimPrefix(version, "v"), ".")
	if len(parts) != 3 {
		return ""
	}
	patch, err := strconv.Atoi(parts[2])
	if err != nil {
		return ""
	}
	return fmt.Sprintf("v%s.%s.%d", parts[0], parts[1], patch+1)
}
