package charts

import (
	"errors"
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"

	modsemver "golang.org/x/mod/semver"
)

// semverRE is SemVer 2.0.0 as semver.org writes it, without a leading v:
// the form release-tools requires of a chart's version (helm takes a leading v too).
var semverRE = regexp.MustCompile(`^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)` +
	`(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?` +
	`(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$`)

// CheckVersion returns an error unless v is a valid chart version: SemVer 2
// (MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]) with no leading v. That is this
// package's rule, stricter than helm's (helm 3.22 lints and packages
// v0.4.0 too): every chart version the CoCo releases wrote has no v.
//
// MAJOR, MINOR and PATCH must each fit an int: helm would refuse
// 99999999999999999999.0.0, and a release could not bump it.
func CheckVersion(v string) error {
	if m := semverRE.FindStringSubmatch(v); m != nil {
		for _, n := range m[1:4] {
			if _, err := strconv.Atoi(n); err != nil {
				return fmt.Errorf("%w: %q: %s is too large a number for a chart version", ErrInvalidVersion, v, n)
			}
		}
		return nil
	}
	if strings.HasPrefix(v, "v") && semverRE.MatchString(v[1:]) {
		return fmt.Errorf("%w: %q: release-tools writes chart versions without a leading v (SemVer 2, such as %q), as every CoCo release has", ErrInvalidVersion, v, v[1:])
	}
	return fmt.Errorf("%w: %q is not SemVer 2 (MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]), as release-tools requires of a chart version", ErrInvalidVersion, v)
}

// CompareVersions orders two chart versions by SemVer 2 precedence: -1
// when a is lower than b, 0 when they are equal (build metadata aside,
// which only breaks ties), +1 when a is higher. A version that is not a
// valid chart version ([CheckVersion]) is an error.
func CompareVersions(a, b string) (int, error) {
	for _, v := range []string{a, b} {
		if err := CheckVersion(v); err != nil {
			return 0, err
		}
	}
	return semver{a}.compare(semver{b}), nil
}

// semver is a chart version (SemVer 2, [CheckVersion]), for ordering
// registry tags.
type semver struct {
	text string
}

// parseSemver returns v as a [semver]; false when v is not a valid chart
// version.
func parseSemver(v string) (semver, bool) {
	if CheckVersion(v) != nil {
		return semver{}, false
	}
	return semver{text: v}, true
}

// compare orders a and b by SemVer 2 precedence, as golang.org/x/mod/semver
// does once a chart version gets the leading v it lacks; build metadata,
// which precedence ignores, breaks ties, so the order is total.
func (a semver) compare(b semver) int {
	if c := modsemver.Compare("v"+a.text, "v"+b.text); c != 0 {
		return c
	}
	return strings.Compare(a.text, b.text)
}

// HighestVersion returns the highest version of the charts cs by SemVer 2
// precedence ([CompareVersions]): the one answer to "the highest chart
// version". No chart, or a chart whose version is not a valid chart
// version, is an error naming its Chart.yaml.
func HighestVersion(cs []Chart) (string, error) {
	if len(cs) == 0 {
		return "", errors.New("charts: no chart, so no highest version")
	}
	high := ""
	for _, c := range cs {
		if err := CheckVersion(c.Version); err != nil {
			return "", fmt.Errorf("charts: %s: %w", path.Join(c.Dir, ChartFile), err)
		}
		if high == "" || (semver{c.Version}).compare(semver{high}) > 0 {
			high = c.Version
		}
	}
	return high, nil
}
