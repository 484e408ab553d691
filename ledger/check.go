package ledger

import (
	"errors"
	"fmt"
	"strings"

	"golang.org/x/mod/semver"

	"github.com/confidential-containers/release-tools/version"
)

// ErrBackwards is returned, wrapped in a [*BackwardsError], by
// [Ledger.Check] for a version below the latest release that is no
// maintenance release.
var ErrBackwards = errors.New("below the latest release")

// BackwardsError is a new release's version below the latest release:
// versions only go up on their line.
type BackwardsError struct {
	Version, Latest version.Version
	// Valid are the versions a new release may take: the next patch,
	// minor and major of Latest (for a pre-release, its next candidate and
	// its release), and the next patch of each older minor line
	// (maintenance releases).
	Valid []version.Version
}

func (e *BackwardsError) Error() string {
	var vs []string
	for _, v := range e.Valid {
		vs = append(vs, v.String())
	}
	return fmt.Sprintf("%s is below the latest release %s: versions only go up on their line; valid now: %s", e.Version, e.Latest, strings.Join(vs, ", "))
}

func (e *BackwardsError) Unwrap() error { return ErrBackwards }

// Line is where a new release's version stands ([Ledger.Check]).
type Line struct {
	// Existing is the release of the version when the ledger has one
	// (a re-run, or a version released already): the caller decides.
	Existing *Release
	// Latest is the latest release ([Ledger.Latest]); nil for none.
	Latest *Release
	// Maintenance: the version is the next patch of an older minor line
	// than the latest's (v0.21.2 after v0.22.0): it is made from that
	// line's branch, and never marked latest.
	Maintenance bool
	// Of is the minor line of the version, "v0.21".
	Of string
}

// Check says where a new release of v stands: its release when the ledger
// has one already (Line.Existing), else a version above the latest
// release, or the next patch of an older minor line (Line.Maintenance).
// Any other version is a [*BackwardsError] naming the latest and the
// valid versions.
func (l *Ledger) Check(v version.Version) (Line, error) {
	line := Line{Latest: l.Latest(), Of: semver.MajorMinor(v.String())}
	if r := l.Find(v); r != nil && r.Kind != Unknown {
		line.Existing = r
		return line, nil
	}
	latest := line.Latest
	if latest == nil || latest.Version.Less(v) {
		return line, nil
	}
	if h := l.highestOn(line.Of); !v.IsPreRelease() && h != nil && line.Of != semver.MajorMinor(latest.Version.String()) && h.Version.Next() == v {
		line.Maintenance = true
		return line, nil
	}
	return line, &BackwardsError{Version: v, Latest: latest.Version, Valid: l.valid()}
}

// highestOn is the highest full or chart-only release of the minor line
// of ("v0.21"); nil for none.
func (l *Ledger) highestOn(of string) *Release {
	var h *Release
	for _, r := range l.releases {
		if (r.Kind == Full || r.Kind == ChartOnly) && semver.MajorMinor(r.Version.String()) == of {
			h = r
		}
	}
	return h
}

// valid are the versions a new release may take (see [BackwardsError]).
func (l *Ledger) valid() []version.Version {
	latest := l.Latest()
	if latest == nil {
		return nil
	}
	var out []version.Version
	lv := latest.Version
	if lv.IsPreRelease() {
		if n := lv.Next(); !n.IsZero() {
			out = append(out, n)
		}
		out = append(out, lv.Base())
	} else {
		out = append(out, lv.Next(), bump(lv, 1), bump(lv, 0))
	}
	seen := map[string]bool{semver.MajorMinor(lv.String()): true}
	for i := len(l.releases) - 1; i >= 0 && len(seen) <= 3; i-- {
		of := semver.MajorMinor(l.releases[i].Version.String())
		if seen[of] {
			continue
		}
		seen[of] = true
		if h := l.highestOn(of); h != nil {
			out = append(out, h.Version.Next())
		}
	}
	return out
}

// bump is v's next minor (part 1) or major (part 0) release.
func bump(v version.Version, part int) version.Version {
	var n [3]int
	fmt.Sscanf(semver.Canonical(v.Base().String()), "v%d.%d.%d", &n[0], &n[1], &n[2])
	n[part]++
	for i := part + 1; i < 3; i++ {
		n[i] = 0
	}
	out, _ := version.Parse(fmt.Sprintf("v%d.%d.%d", n[0], n[1], n[2]), nil)
	return out
}

// patch is v's patch number.
func patch(v version.Version) int {
	var n [3]int
	fmt.Sscanf(semver.Canonical(v.Base().String()), "v%d.%d.%d", &n[0], &n[1], &n[2])
	return n[2]
}
