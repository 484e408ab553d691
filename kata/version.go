package kata

import (
	"fmt"
	"regexp"
	"strconv"
)

// Version is a Kata Containers release version, X.Y.Z: what a deps sync
// takes and what a repository's Kata references name.
type Version struct {
	n [3]int
}

// versionRE is X.Y.Z, digits only, without leading zeros.
var versionRE = regexp.MustCompile(`^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$`)

// ParseVersion parses a Kata Containers release version: X.Y.Z, digits
// only, no leading zeros, no v, each number fitting an int. Anything else
// (3.31.0.., 3.31.0@{1}, -x, v3.31.0, a branch) is an error, though git
// could resolve it.
func ParseVersion(s string) (Version, error) {
	m := versionRE.FindStringSubmatch(s)
	if m == nil {
		return Version{}, fmt.Errorf("%q is not a Kata Containers release: give X.Y.Z, digits only, such as 3.31.0", s)
	}
	var v Version
	for i := range 3 {
		n, err := strconv.Atoi(m[i+1])
		if err != nil {
			return Version{}, fmt.Errorf("%q is not a Kata Containers release: %s is too large a number", s, m[i+1])
		}
		v.n[i] = n
	}
	return v, nil
}

func (v Version) String() string { return fmt.Sprintf("%d.%d.%d", v.n[0], v.n[1], v.n[2]) }

// Compare is -1, 0 or +1 as v is below, equal to or above w.
func (v Version) Compare(w Version) int {
	for i := range 3 {
		switch {
		case v.n[i] < w.n[i]:
			return -1
		case v.n[i] > w.n[i]:
			return 1
		}
	}
	return 0
}
