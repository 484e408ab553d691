package phase

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/mod/modfile"
)

// MaxDrops is how many requires a go command may remove from a go.mod
// before the phase stops, unless [Options.AllowDrops]: `go mod tidy` on a
// tree whose packages do not import a module (a sparse checkout, a module
// mid-refactor) drops every require, and says "ok".
const MaxDrops = 5

// ErrDrops is returned, wrapped, when a go command removed more than
// [MaxDrops] requires from a go.mod, or one the step must keep.
var ErrDrops = errors.New("the go command removed requires")

// requires reads the requires of the go.mod in dir: module path to
// version; nil for a go.mod that does not exist.
func requires(dir string) (map[string]string, error) {
	name := filepath.Join(dir, "go.mod")
	data, err := os.ReadFile(name)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	f, err := modfile.ParseLax(name, data, nil)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, r := range f.Require {
		out[r.Mod.Path] = r.Mod.Version
	}
	return out, nil
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
		shown := gone
		if len(shown) > 10 {
			shown = append(shown[:10:10], fmt.Sprintf("and %d more", len(gone)-10))
		}
		return fmt.Errorf("%w: %s removed %d requires from %s/go.mod (%s): do its packages import them? Check the tree (a sparse checkout?), or allow it if that is what you want",
			ErrDrops, g, len(gone), g.Dir, strings.Join(shown, ", "))
	}
	return nil
}
