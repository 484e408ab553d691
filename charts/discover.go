package charts

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// Discover returns every chart below root, sorted by Dir: each directory
// holding a Chart.yaml. It skips hidden directories (.git among them),
// vendor, testdata and node_modules, and does not follow symbolic links to
// directories below root (root itself may be one). A file:// dependency
// must name a directory that Discover found a chart in; otherwise the
// error names the chart and the dependency and wraps [ErrNotAChart] (or
// [ErrOutsideRoot] from [Parse]).
func Discover(root string) ([]Chart, error) {
	var charts []Chart
	walkRoot := root
	if fi, err := os.Lstat(root); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		walkRoot = root + string(filepath.Separator) // the root itself may be a link; links below it are not followed
	}
	err := filepath.WalkDir(walkRoot, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() {
			if p != walkRoot && skipDir(e.Name()) {
				return filepath.SkipDir
			}
			return nil
		}
		if e.Name() != ChartFile || !e.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(root, filepath.Dir(p))
		if err != nil {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		c, err := parse(filepath.ToSlash(rel), data)
		if err != nil {
			return fmt.Errorf("%s: %w", path.Join(filepath.ToSlash(rel), ChartFile), err)
		}
		charts = append(charts, c)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("charts: discover %s: %w", root, err)
	}
	slices.SortFunc(charts, func(a, b Chart) int { return strings.Compare(a.Dir, b.Dir) })
	for _, c := range charts {
		for _, d := range c.Dependencies {
			if d.Dir == "" {
				continue
			}
			if _, ok := slices.BinarySearchFunc(charts, d.Dir, func(x Chart, dir string) int { return strings.Compare(x.Dir, dir) }); !ok {
				return nil, fmt.Errorf("charts: discover %s: chart %q (%s): dependency %s: %q: %w: no %s in %s",
					root, c.Name, c.Dir, d.label(), d.Repository, ErrNotAChart, ChartFile, d.Dir)
			}
		}
	}
	return charts, nil
}

func skipDir(name string) bool {
	switch name {
	case "vendor", "testdata", "node_modules":
		return true
	}
	return strings.HasPrefix(name, ".")
}
