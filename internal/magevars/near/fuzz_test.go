package near

import (
	"slices"
	"strings"
	"testing"
)

// FuzzClosest: Closest never panics and never names a variable for a name
// it knows; the name it gives is a known one, close by the rules of
// Warnings, and there is one exactly when some known name is close;
// distance is symmetric and is the optimal string alignment distance,
// capped at 3.
func FuzzClosest(f *testing.F) {
	for _, name := range []string{"DRYRUN", "dry_run", "SKIPGO", "push", "P_R", "DRY_RUNN", "DRY_RNU", "SKIP_G0", "GOPROX",
		"FORMATS", "RELEASE_BRANC", "RELEASE_BRNC", "RELASE_REMOTE", "GITHUB_TOKN", "KATA_REFF", "GITHUB_REPO", "DRY_RUN",
		"PATH", "PWD", "GONOPROXY", "GITHUB_REPOSITORY_ID", "GH_HOST", "PUSHD", "SIGNAL", "KATA", "GITLAB_TOKEN",
		"HF_TOKEN", "GIT_COMMIT", "", "_", "ß", "ǅ"} {
		f.Add(name, "GITHUB_TOKEN")
	}
	f.Fuzz(func(t *testing.T, name, other string) {
		if d, e := distance(name, other), distance(other, name); d != e {
			t.Fatalf("distance(%q, %q) = %d, distance(%q, %q) = %d", name, other, d, other, name, e)
		}
		if len(name) <= 64 && len(other) <= 64 {
			if d, want := distance(name, other), min(osa(name, other), 3); d != want {
				t.Fatalf("distance(%q, %q) = %d, want %d", name, other, d, want)
			}
		}
		for _, k := range known {
			if got := Closest(k, known); got != "" {
				t.Fatalf("Closest(%q) = %q for a known name", k, got)
			}
		}
		got := Closest(name, known)
		if slices.Contains(known, name) {
			if got != "" {
				t.Fatalf("Closest(%q) = %q for a known name", name, got)
			}
			return
		}
		var close []string
		for _, k := range known {
			if isClose(name, k) {
				close = append(close, k)
			}
		}
		switch {
		case got == "" && len(close) > 0:
			t.Fatalf("Closest(%q) = \"\", but %q are close", name, close)
		case got != "" && !slices.Contains(close, got):
			t.Fatalf("Closest(%q) = %q, which is not close by the rules (close: %q)", name, got, close)
		}
		for _, k := range close {
			if rank(name, k) < rank(name, got) {
				t.Fatalf("Closest(%q) = %q, but %q is nearer", name, got, k)
			}
		}
		for _, w := range Warnings([]string{name + "=1", other + "=2"}, known) {
			if v, _, _ := strings.Cut(w, " "); slices.Contains(known, v) {
				t.Fatalf("Warnings names %s, which is known: %q", v, w)
			}
		}
	})
}

// isClose is Warnings' rule for name and the known name k, as its doc
// comment states it.
func isClose(name, k string) bool {
	up := strings.ToUpper(name)
	switch d := distance(k, up); {
	case squash(name) == squash(k):
		return true
	case len(k) >= 6 && d <= 1:
		return true
	case len(k) >= 8 && d == 2 && strings.HasPrefix(up, k[:4]):
		return true
	}
	return false
}

// osa is the optimal string alignment distance of a and b, by the
// textbook's full table.
func osa(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

// rank is how near name is to k: 0 for the same letters, else their
// distance.
func rank(name, k string) int {
	if squash(name) == squash(k) {
		return 0
	}
	return distance(k, strings.ToUpper(name))
}
