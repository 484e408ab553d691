package charts

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// semverRE is SemVer 2.0.0 as semver.org writes it, without a leading v:
// the form helm requires of a chart's version.
var semverRE = regexp.MustCompile(`^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)` +
	`(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?` +
	`(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$`)

// CheckVersion returns an error unless v is a valid chart version: SemVer 2
// (MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]) with no leading v, which is what
// helm accepts in a Chart.yaml.
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
		return fmt.Errorf("%w: %q: a chart version takes no leading v (helm requires SemVer 2, such as %q)", ErrInvalidVersion, v, v[1:])
	}
	return fmt.Errorf("%w: %q is not SemVer 2 (MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]), which helm requires", ErrInvalidVersion, v)
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
	sa, _ := parseSemver(a)
	sb, _ := parseSemver(b)
	return sa.compare(sb), nil
}

// semver is a parsed SemVer 2 version, for ordering registry tags.
type semver struct {
	core [3]uint64
	pre  []string
	text string
}

func parseSemver(v string) (semver, bool) {
	m := semverRE.FindStringSubmatch(v)
	if m == nil {
		return semver{}, false
	}
	s := semver{text: v}
	for i := range 3 {
		n, err := strconv.ParseUint(m[i+1], 10, 64)
		if err != nil {
			return semver{}, false
		}
		s.core[i] = n
	}
	if m[4] != "" {
		s.pre = strings.Split(m[4], ".")
	}
	return s, true
}

// compare orders a and b by SemVer 2 precedence; build metadata is ignored
// except as a last tie-break, so the order is total.
func (a semver) compare(b semver) int {
	for i := range 3 {
		if a.core[i] != b.core[i] {
			if a.core[i] < b.core[i] {
				return -1
			}
			return 1
		}
	}
	switch {
	case len(a.pre) == 0 && len(b.pre) != 0:
		return 1
	case len(a.pre) != 0 && len(b.pre) == 0:
		return -1
	}
	for i := 0; i < len(a.pre) && i < len(b.pre); i++ {
		if c := comparePre(a.pre[i], b.pre[i]); c != 0 {
			return c
		}
	}
	switch {
	case len(a.pre) < len(b.pre):
		return -1
	case len(a.pre) > len(b.pre):
		return 1
	}
	return strings.Compare(a.text, b.text)
}

func comparePre(x, y string) int {
	nx, ex := strconv.ParseUint(x, 10, 64)
	ny, ey := strconv.ParseUint(y, 10, 64)
	switch {
	case ex == nil && ey == nil:
		switch {
		case nx < ny:
			return -1
		case nx > ny:
			return 1
		}
		return 0
	case ex == nil:
		return -1
	case ey == nil:
		return 1
	}
	return strings.Compare(x, y)
}
