package charts

import (
	"errors"
	"fmt"
	"os"
	"path"
	"regexp"
	"strings"
	"unicode"

	"go.yaml.in/yaml/v3"
)

// ChartFile is the name of a chart's metadata file.
const ChartFile = "Chart.yaml"

// Sentinel errors, wrapped in the errors this package returns.
var (
	// ErrInvalidVersion is a chart version that is not SemVer 2.
	ErrInvalidVersion = errors.New("invalid chart version")
	// ErrNoDependency is a dependency name or alias that a chart does not have.
	ErrNoDependency = errors.New("no such dependency")
	// ErrOutsideRoot is a file:// dependency that leaves the directory searched.
	ErrOutsideRoot = errors.New("file:// dependency resolves outside the root")
	// ErrNotAChart is a file:// dependency on a directory without Chart.yaml.
	ErrNotAChart = errors.New("file:// dependency is not a chart")
)

// Chart is what this package reads of a Chart.yaml.
type Chart struct {
	Dir          string // the chart's directory, slash-separated, relative to the root searched
	Name         string
	Version      string
	AppVersion   string
	Dependencies []Dependency
}

// Dependency is one entry of a chart's dependencies, as helm reads it.
type Dependency struct {
	Name         string
	Version      string // a version or a range, as written
	Repository   string // oci://..., file://..., https://..., or "" for charts/
	Condition    string
	Tags         []string
	Enabled      bool
	ImportValues []any
	Alias        string
	// Dir is, for a file:// repository, the chart directory it names,
	// slash-separated, relative to the root; "" otherwise.
	Dir string
}

// IsLocal reports whether d is a file:// dependency.
func (d Dependency) IsLocal() bool { return strings.HasPrefix(d.Repository, "file://") }

// IsOCI reports whether d is an oci:// dependency.
func (d Dependency) IsOCI() bool { return strings.HasPrefix(d.Repository, "oci://") }

// label names d for messages: its name, and its alias if it has one.
func (d Dependency) label() string {
	if d.Alias != "" {
		return fmt.Sprintf("%q (alias %q)", d.Name, d.Alias)
	}
	return fmt.Sprintf("%q", d.Name)
}

// chartYAML mirrors the fields of helm's chart.Metadata read here.
type chartYAML struct {
	Name         string     `yaml:"name"`
	Version      string     `yaml:"version"`
	AppVersion   string     `yaml:"appVersion"`
	Dependencies []*depYAML `yaml:"dependencies"`
}

type depYAML struct {
	Name         string   `yaml:"name"`
	Version      string   `yaml:"version"`
	Repository   string   `yaml:"repository"`
	Condition    string   `yaml:"condition"`
	Tags         []string `yaml:"tags"`
	Enabled      bool     `yaml:"enabled"`
	ImportValues []any    `yaml:"import-values"`
	Alias        string   `yaml:"alias"`
}

var aliasRE = regexp.MustCompile(`^[a-zA-Z0-9_-]+$`)

// Read reads the Chart.yaml in directory dir (a slash path relative to
// root) below root.
func Read(root, dir string) (Chart, error) {
	data, err := os.ReadFile(path.Join(root, dir, ChartFile))
	if err != nil {
		return Chart{}, fmt.Errorf("charts: %w", err)
	}
	return Parse(dir, data)
}

// Parse reads the Chart.yaml data of the chart in dir, a slash path
// relative to the root of a search ("." for the root itself). It requires
// a name and a SemVer 2 version, as helm does, and resolves each file://
// dependency's Dir against dir; one that leaves the root is an error
// wrapping [ErrOutsideRoot]. Parse cannot see the disk: [Discover] checks
// that the directory holds a chart.
func Parse(dir string, data []byte) (Chart, error) {
	c, err := parse(dir, data)
	if err != nil {
		return Chart{}, fmt.Errorf("charts: %s: %w", path.Join(dir, ChartFile), err)
	}
	return c, nil
}

func parse(dir string, data []byte) (Chart, error) {
	m, err := parseMeta(data)
	if err != nil {
		return Chart{}, err
	}
	if m.Name == "" {
		return Chart{}, errors.New("no chart name")
	}
	if err := CheckVersion(m.Version); err != nil {
		return Chart{}, fmt.Errorf("chart %q: %w", m.Name, err)
	}
	c := Chart{Dir: path.Clean(dir), Name: m.Name, Version: m.Version, AppVersion: m.AppVersion}
	for _, d := range m.Dependencies {
		dep := Dependency{
			Name: d.Name, Version: d.Version, Repository: d.Repository, Condition: d.Condition,
			Tags: d.Tags, Enabled: d.Enabled, ImportValues: d.ImportValues, Alias: d.Alias,
		}
		if dep.IsLocal() {
			rel := strings.TrimPrefix(dep.Repository, "file://")
			target := path.Join(c.Dir, rel)
			if path.IsAbs(rel) || target == ".." || strings.HasPrefix(target, "../") {
				return Chart{}, fmt.Errorf("chart %q: dependency %s: %q: %w", c.Name, dep.label(), dep.Repository, ErrOutsideRoot)
			}
			dep.Dir = target
		}
		c.Dependencies = append(c.Dependencies, dep)
	}
	return c, nil
}

// parseMeta decodes a Chart.yaml the way helm loads it: string fields
// sanitized and dependencies checked as helm's Metadata.Validate does.
func parseMeta(data []byte) (chartYAML, error) {
	var m chartYAML
	if err := yaml.Unmarshal(data, &m); err != nil {
		return chartYAML{}, err
	}
	m.Name = sanitize(m.Name)
	keys := map[string]int{} // helm's rule: one dependency per name or alias
	for i, d := range m.Dependencies {
		if d == nil {
			return chartYAML{}, fmt.Errorf("dependency %d is empty", i)
		}
		d.Name, d.Version, d.Repository, d.Condition = sanitize(d.Name), sanitize(d.Version), sanitize(d.Repository), sanitize(d.Condition)
		for j := range d.Tags {
			d.Tags[j] = sanitize(d.Tags[j])
		}
		if d.Name == "" {
			return chartYAML{}, fmt.Errorf("dependency %d has no name", i)
		}
		if d.Alias != "" && !aliasRE.MatchString(d.Alias) {
			return chartYAML{}, fmt.Errorf("dependency %q has disallowed characters in the alias %q", d.Name, d.Alias)
		}
		key := d.Name
		if d.Alias != "" {
			key = d.Alias
		}
		if j, ok := keys[key]; ok {
			return chartYAML{}, fmt.Errorf("dependencies %d and %d: more than one dependency with name or alias %q, which helm refuses: give one an alias", j, i, key)
		}
		keys[key] = i
	}
	return m, nil
}

// sanitize is helm's sanitizeString: white space becomes a space and
// unprintable characters are dropped.
func sanitize(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return ' '
		}
		if unicode.IsPrint(r) {
			return r
		}
		return -1
	}, s)
}
