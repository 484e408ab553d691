package gomod

import (
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/confidential-containers/release-tools/internal/fsutil"
)

// MaxDrops is how many requires a go command may remove from a go.mod
// before [CheckDrops] refuses it, unless allowed: `go mod tidy` on a
// tree whose packages do not import a module (a sparse checkout, a module
// mid-refactor) drops every require, and says "ok".
const MaxDrops = 5

// ErrDrops is returned, wrapped, by [CheckDrops] when a go command removed
// more than [MaxDrops] requires from a go.mod, or one it must keep.
var ErrDrops = errors.New("the go command removed requires")

// ReadRequires reads the requires of the go.mod of the module in dir
// (slash-separated, relative to root): module path to version; nil for a
// go.mod that does not exist.
func ReadRequires(root, dir string) (map[string]string, error) {
	data, err := fsutil.ReadIfExists(filepath.Join(root, filepath.FromSlash(dir), "go.mod"))
	if data == nil || err != nil {
		return nil, err
	}
	m, err := Parse(dir, data)
	return m.Requires, err
}

// CheckDrops compares the requires of the module in dir before and after
// the go command cmd (as its errors name it, "go mod tidy (in src/x)"):
// every require of keep must be there at its version (any version for
// ""), and no more than [MaxDrops] requires may be gone unless allowDrops.
func CheckDrops(cmd, dir string, keep, before, after map[string]string, allowDrops bool) error {
	var gone []string
	for m := range before {
		if _, ok := after[m]; !ok {
			gone = append(gone, m)
		}
	}
	sort.Strings(gone)
	for m, v := range keep {
		if got, ok := after[m]; !ok || v != "" && got != v {
			what := "removed it"
			if ok {
				what = "left it at " + got
			}
			return fmt.Errorf("%w: %s/go.mod must require %s %s, but %s %s", ErrDrops, dir, m, v, cmd, what)
		}
	}
	if len(gone) > MaxDrops && !allowDrops {
		return fmt.Errorf("%w: %s removed %d requires from %s/go.mod (%s): do its packages import them? Check the tree (a sparse checkout?), or allow it if that is what you want",
			ErrDrops, cmd, len(gone), dir, firstTen(gone))
	}
	return nil
}

// firstTen lists the first ten names and a count of the rest.
func firstTen(names []string) string {
	if len(names) > 10 {
		names = append(names[:10:10], fmt.Sprintf("and %d more", len(names)-10))
	}
	return strings.Join(names, ", ")
}
