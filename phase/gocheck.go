package phase

import (
	"errors"
	"fmt"
	"path/filepath"
	"sort"

	"github.com/confidential-containers/release-tools/gomod"
	"github.com/confidential-containers/release-tools/internal/fsutil"
)

// MaxDrops is how many requires a go command may remove from a go.mod
// before the phase stops, unless [Options.AllowDrops]: `go mod tidy` on a
// tree whose packages do not import a module (a sparse checkout, a module
// mid-refactor) drops every require, and says "ok".
const MaxDrops = 5

// ErrDrops is returned, wrapped, when a go command removed more than
// [MaxDrops] requires from a go.mod, or one the step must keep.
var ErrDrops = errors.New("the go command removed requires")

// requires reads the requires of the go.mod of the module in dir
// (slash-separated, relative to root): module path to version; nil for a
// go.mod that does not exist.
func requires(root, dir string) (map[string]string, error) {
	data, err := fsutil.ReadIfExists(filepath.Join(root, filepath.FromSlash(dir), "go.mod"))
	if data == nil || err != nil {
		return nil, err
	}
	m, err := gomod.Parse(dir, data)
	return m.Requires, err
}

// checkGo compares the requires of a module before and after a go
// command: every require of g.Keep must be there at its version (any
// version for ""), and no more than MaxDrops requires may be gone unless
// allowDrops.
func checkGo(g Go, before, after map[string]string, allowDrops bool) error {
	var gone []string
	for m := range before {
		if _, ok := after[m]; !ok {
			gone = append(gone, m)
		}
	}
	sort.Strings(gone)
	for m, v := range g.Keep {
		if got, ok := after[m]; !ok || v != "" && got != v {
			what := "removed it"
			if ok {
				what = "left it at " + got
			}
			return fmt.Errorf("%w: %s/go.mod must require %s %s, but %s %s", ErrDrops, g.Dir, m, v, g, what)
		}
	}
	if len(gone) > MaxDrops && !allowDrops {
		return fmt.Errorf("%w: %s removed %d requires from %s/go.mod (%s): do its packages import them? Check the tree (a sparse checkout?), or allow it if that is what you want",
			ErrDrops, g, len(gone), g.Dir, firstTen(gone))
	}
	return nil
}
