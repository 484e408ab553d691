// Package near finds the environment variables whose names are close to,
// but not, one a program reads: DRYRUN for DRY_RUN, RELEASE_BRANC for
// RELEASE_BRANCH, dry_run for DRY_RUN. Such a variable is silently ignored
// otherwise. It has no dependencies, so that every frontend (the mage
// targets, adopt) can ask it.
package near

import (
	"fmt"
	"slices"
	"strings"
)

// Warnings returns one line for each variable of environ (os.Environ's
// form, NAME=value) whose name is not in known but close to one that is,
// naming the one meant. Close means: the same letters without underscores
// and regardless of case (DRYRUN, dry_run), or, for a known name of 6
// characters or more, one typing slip away (a letter added, left out,
// changed or two swapped: DRY_RUNN, GOPROX), and of 8 or more two when
// the first four characters are the same (RELEASE_BRNC, not GIT_COMMIT
// for TAG_COMMIT). Shorter names (PR, PUSH, SIGN) take only the first rule,
// so that unrelated variables (PATH, PWD) are never named. The lines are
// sorted.
func Warnings(environ, known []string) []string {
	var out []string
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if name == "" || slices.Contains(known, name) {
			continue
		}
		if k := Closest(name, known); k != "" {
			out = append(out, fmt.Sprintf("%s is set but not read: did you mean %s?", name, k))
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Closest returns the known name that name is close to (see [Warnings]),
// the nearest when several are; "" when none is.
func Closest(name string, known []string) string {
	best, bestD := "", 3
	for _, k := range known {
		if k == name {
			return ""
		}
		d := 3
		switch {
		case squash(k) == squash(name):
			d = 0
		case len(k) >= 8:
			// Two slips only within a name that starts as k does: GITLAB_TOKEN,
			// GIT_COMMIT and HF_TOKEN are other tools' tokens and commits.
			if d = distance(k, strings.ToUpper(name)); d == 2 && !strings.HasPrefix(strings.ToUpper(name), k[:4]) {
				d = 3
			}
		case len(k) >= 6:
			if d = distance(k, strings.ToUpper(name)); d > 1 {
				d = 3
			}
		}
		if d < bestD {
			best, bestD = k, d
		}
	}
	return best
}

// squash is a name in upper case without its underscores.
func squash(s string) string {
	return strings.ReplaceAll(strings.ToUpper(s), "_", "")
}

// distance is the number of single-character insertions, deletions,
// substitutions and swaps of two neighbours that turn a into b (the
// optimal string alignment distance), capped at 3.
func distance(a, b string) int {
	if d := len(a) - len(b); d > 2 || d < -2 {
		return 3
	}
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return min(prev[len(b)], 3)
}
