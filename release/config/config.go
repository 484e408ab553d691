// Package config is the configuration of a repository being released:
// [Config], its presets ([CAA], [ChartsRepo]) and the release.yaml at the
// repository's root that overrides them field by field ([LoadConfig]),
// with the checks of its fields, and [CheckRef], the one check of a git
// reference given to the tool. Package release builds the phases on it.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/confidential-containers/release-tools/pins"
	"github.com/confidential-containers/release-tools/version"
	"go.yaml.in/yaml/v3"
)

// Config describes the repository being released. [CAA] is the preset for
// cloud-api-adaptor; a release.yaml at the repository root overrides it
// field by field ([LoadConfig]).
type Config struct {
	// Preset names the preset release.yaml is laid over: "" or
	// [PresetCAA] for [CAA], [PresetCharts] for [ChartsRepo]. Every other
	// field may be empty where a repository has no such thing (no
	// versions file, no image, no modules, no citation): the phases that
	// need one say so (release.ErrNotConfigured) and stop.
	Preset string `yaml:"preset"`
	// VersionsFile is the YAML file of pinned dependencies, relative to the root.
	VersionsFile string `yaml:"versionsFile"`
	// Candidate key paths of each dependency reference (keys moved over the
	// project's life): the first that exists is read and set, except for
	// Kata, where every one that exists is set, each keeping its kind.
	Kata            []string `yaml:"kata"`
	GuestComponents []string `yaml:"guestComponents"`
	Trustee         []string `yaml:"trustee"`
	// KataRepo is where Kata's own versions.yaml is read (Inputs.KataRepo overrides it).
	KataRepo string `yaml:"kataRepo"`
	// KataGuestComponentsKey and KataTrusteeKey are the keys of Kata's
	// versions.yaml that give the guest-components and trustee references.
	KataGuestComponentsKey string `yaml:"kataGuestComponentsKey"`
	KataTrusteeKey         string `yaml:"kataTrusteeKey"`
	// KataRuntimeModule is the Go module `go get` moves to the Kata version.
	KataRuntimeModule string `yaml:"kataRuntimeModule"`
	// Operator keys: the pinned reference, the config key ("release" while
	// pinned, "default" otherwise; left alone where the file has none),
	// and the repository URL.
	OperatorRef    []string `yaml:"operatorRef"`
	OperatorConfig string   `yaml:"operatorConfig"`
	OperatorURL    string   `yaml:"operatorURL"`
	// Image is the image a release pins: the images entry name of the
	// overlays below OverlaysRoot (the overlay layout, used while that
	// folder exists), and the name of what Pins hold.
	Image        string `yaml:"image"`
	OverlaysRoot string `yaml:"overlaysRoot"`
	// DevOverlays take the tag dev-<sha> (their images are built by the dev workflow).
	DevOverlays []string `yaml:"devOverlays"`
	// Pins are the places that hold the image tag in the chart layout
	// (used when OverlaysRoot does not exist): chart values and a
	// generator's line, each with the template of its tag.
	Pins []pins.Place `yaml:"pins"`
	// KataDeployChart is the chart (directory, relative to the root) whose
	// dependency KataDeployDependency the deps sync sets to the Kata
	// version and the post-release back to KataDeployDevVersion; "" for
	// none. Its Chart.lock exists exactly while the dependency is pinned.
	KataDeployChart      string `yaml:"kataDeployChart"`
	KataDeployDependency string `yaml:"kataDeployDependency"`
	KataDeployDevVersion string `yaml:"kataDeployDevVersion"`
	// ChartAppVersion is what a chart's appVersion follows: "" (or
	// "release") the release's version, set by the release phase and left
	// alone by a charts bump; "chart" the chart's own version, set by both.
	ChartAppVersion string `yaml:"chartAppVersion"`
	// ExcludeCharts are chart directories a release does not version.
	ExcludeCharts []string `yaml:"excludeCharts"`
	// PublishedChart is the chart (directory) the GitHub release publishes
	// to ChartRegistry (oci://host/path; the chart's name is added).
	PublishedChart string `yaml:"publishedChart"`
	ChartRegistry  string `yaml:"chartRegistry"`
	// Published are the artifacts the GitHub release's workflow
	// publishes, each asked of its registry after the release
	// ([Artifact]); empty for none known.
	Published []Artifact `yaml:"published"`
	// ExcludeModules are module directories never tagged.
	ExcludeModules []string `yaml:"excludeModules"`
	// PreRelease is the regular expression a candidate's pre-release matches.
	PreRelease string `yaml:"preRelease"`
	Remote     string `yaml:"remote"`
	Branch     string `yaml:"branch"`
	// MainBranch is the branch the next release is made from
	// (release.yaml's branch, or the preset's), set by the frontend when a
	// run picks another Branch (a maintenance release is made from its
	// line's branch). "" is Branch: every run is on the main branch.
	MainBranch string `yaml:"-"`
	// Citation is the CITATION.cff file, relative to the root ("" for none).
	Citation string `yaml:"citation"`
	// Checks are commands a phase runs at the repository root before each
	// commit (a generator's check, say "make -C src/cloud-providers
	// sync-chart-values"), split at spaces (no shell reads them): one that
	// fails, or that changes or adds a file, stops the phase with its
	// output, the files it changed left as it wrote them; one whose
	// program is not installed stops it before anything is written
	// (phase.Run).
	Checks []Check `yaml:"checks"`
}

// The presets release.yaml's preset field names.
const (
	PresetCAA    = "cloud-api-adaptor"
	PresetCharts = "charts"
)

// AppVersionChart is the [Config.ChartAppVersion] of a repository whose
// charts' appVersion is their own version.
const AppVersionChart = "chart"

// ChartsRepo is the preset for confidential-containers/charts: one chart
// at the root, whose kata-deploy dependency a deps sync pins, named by its
// alias kata-as-coco-runtime (the chart has had a second kata-deploy
// entry), and whose appVersion is its own version ("0.16.0").
// It has no versions file, no image, no Go modules and no citation: its
// release is a charts bump.
func ChartsRepo() Config {
	return Config{
		Preset:               PresetCharts,
		KataDeployChart:      ".",
		KataDeployDependency: "kata-as-coco-runtime",
		ChartAppVersion:      AppVersionChart,
		PublishedChart:       ".",
		ChartRegistry:        "oci://ghcr.io/confidential-containers/charts",
		Remote:               "origin",
		Branch:               "main",
	}
}

// caaCharts is cloud-api-adaptor's peerpods chart.
const caaCharts = "src/cloud-api-adaptor/install/charts/peerpods"

// CAA is the preset for confidential-containers/cloud-api-adaptor. It
// knows both of its layouts: the kustomize overlays up to v0.17.0 and the
// Helm charts since v0.18.0; release.Open picks by the files present.
func CAA() Config {
	return Config{
		Preset:                 PresetCAA,
		VersionsFile:           "src/cloud-api-adaptor/versions.yaml",
		Kata:                   []string{"oci.kata-containers.reference", "git.kata-containers.reference", "oci.kata-agent-ctl.reference"},
		GuestComponents:        []string{"oci.guest-components.reference", "git.guest-components.reference"},
		Trustee:                []string{"git.kbs.reference", "git.kbs.tag", "git.trustee.reference"},
		KataRepo:               "https://github.com/kata-containers/kata-containers",
		KataGuestComponentsKey: "externals.coco-guest-components.version",
		KataTrusteeKey:         "externals.coco-trustee.version",
		KataRuntimeModule:      "github.com/kata-containers/kata-containers/src/runtime",
		OperatorRef:            []string{"git.coco-operator.reference"},
		OperatorConfig:         "git.coco-operator.config",
		OperatorURL:            "git.coco-operator.url",
		Image:                  "cloud-api-adaptor",
		OverlaysRoot:           "src/cloud-api-adaptor/install/overlays",
		DevOverlays:            []string{"libvirt", "docker"},
		Pins: []pins.Place{
			{Kind: pins.KindYAML, File: caaCharts + "/values.yaml", Key: "image.tag", Template: pins.TemplateSHA},
			{Kind: pins.KindYAML, File: caaCharts + "/providers/*.yaml", Key: "image.tag", Template: pins.TemplateSHADev, Optional: true},
			{Kind: pins.KindYAML, File: "src/peerpod-ctrl/chart/values.yaml", Key: "image.tag", Template: pins.TemplateSHA},
			{Kind: pins.KindYAML, File: "src/webhook/chart/values.yaml", Key: "image.tag", Template: pins.TemplateSHA},
			{Kind: pins.KindLine, File: "src/cloud-providers/Makefile", Pattern: `^\t+"  tag: \\"([^\\"]*)\\"", \\$`, Template: pins.TemplateSHADev},
		},
		KataDeployChart:      caaCharts,
		KataDeployDependency: "kata-deploy",
		KataDeployDevVersion: "0.0.0-dev",
		PublishedChart:       caaCharts,
		ChartRegistry:        "oci://ghcr.io/confidential-containers/cloud-api-adaptor/charts",
		Published:            caaPublished(),
		ExcludeModules:       []string{"src/cloud-api-adaptor/podvm"},
		PreRelease:           `^(alpha|rc)\.[1-9][0-9]*$`,
		Remote:               "origin",
		Branch:               "main",
		Citation:             "CITATION.cff",
		Checks:               []Check{caaSyncChartValues},
	}
}

// ConfigFile is the optional file at the released repository's root that
// overrides the [CAA] preset.
const ConfigFile = "release.yaml"

// LoadConfig returns the preset root's release.yaml names ([CAA] when it
// names none, or there is no release.yaml) with the file's fields laid
// over it. An unknown field or preset is an error.
func LoadConfig(root string) (Config, error) {
	data, err := os.ReadFile(filepath.Join(root, ConfigFile))
	if errors.Is(err, os.ErrNotExist) {
		return CAA(), nil
	}
	if err != nil {
		return Config{}, fmt.Errorf("release: %w", err)
	}
	var head struct {
		Preset string `yaml:"preset"`
	}
	_ = yaml.Unmarshal(data, &head) // a file that does not parse is reported below
	cfg, err := Preset(head.Preset)
	if err != nil {
		return Config{}, fmt.Errorf("release: %s: %w", ConfigFile, err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	err = dec.Decode(&cfg)
	if errors.Is(err, io.EOF) {
		return Config{}, fmt.Errorf("release: %s is empty: give the fields that differ from the preset, or remove the file", ConfigFile)
	}
	if err != nil {
		return Config{}, fmt.Errorf("release: %s: %w", ConfigFile, err)
	}
	var more yaml.Node
	if err := dec.Decode(&more); !errors.Is(err, io.EOF) {
		return Config{}, fmt.Errorf("release: %s holds more than one YAML document (a second one starts at line %d): keep one", ConfigFile, more.Line)
	}
	if err := cfg.check(); err != nil {
		return Config{}, fmt.Errorf("release: %s: %w", ConfigFile, err)
	}
	return cfg, nil
}

// Preset returns the preset named name: [CAA] for "" and [PresetCAA],
// [ChartsRepo] for [PresetCharts].
func Preset(name string) (Config, error) {
	switch name {
	case "", PresetCAA:
		return CAA(), nil
	case PresetCharts:
		return ChartsRepo(), nil
	}
	return Config{}, fmt.Errorf("preset %q: want %q or %q", name, PresetCAA, PresetCharts)
}

func (c Config) check() error {
	if c.Remote == "" || c.Branch == "" {
		return errors.New("remote and branch must not be empty")
	}
	if c.Image != "" && c.OverlaysRoot == "" && len(c.Pins) == 0 {
		return errors.New("give overlaysRoot (kustomize overlays) or pins (the places of the image tag), or no image")
	}
	if c.Image == "" && len(c.Pins) > 0 {
		return errors.New("pins hold the tag of an image: give image")
	}
	switch c.ChartAppVersion {
	case "", "release", AppVersionChart:
	default:
		return fmt.Errorf("chartAppVersion %q: want release or %s", c.ChartAppVersion, AppVersionChart)
	}
	for i, ch := range c.Checks {
		if err := ch.check(); err != nil {
			return fmt.Errorf("checks[%d]: %w", i, err)
		}
	}
	if _, err := regexp.Compile(c.PreRelease); err != nil {
		return fmt.Errorf("preRelease: %w", err)
	}
	for _, f := range []struct{ name, value string }{{"remote", c.Remote}, {"branch", c.Branch}} {
		if err := CheckBranch(f.value); err != nil {
			return fmt.Errorf("%s: %w", f.name, err)
		}
	}
	paths := []struct{ name, value string }{
		{"versionsFile", c.VersionsFile}, {"overlaysRoot", c.OverlaysRoot}, {"citation", c.Citation}, {"kataDeployChart", c.KataDeployChart},
		{"publishedChart", c.PublishedChart},
	}
	for _, d := range c.ExcludeModules {
		paths = append(paths, struct{ name, value string }{"excludeModules", d})
	}
	for _, d := range c.ExcludeCharts {
		paths = append(paths, struct{ name, value string }{"excludeCharts", d})
	}
	for _, p := range paths {
		if p.value != "" && !inside(p.value) {
			return fmt.Errorf("%s %q: want a slash-separated path inside the repository, relative to its root, without ..", p.name, p.value)
		}
	}
	for i, p := range c.Pins {
		if err := p.Validate(); err != nil {
			return fmt.Errorf("pins[%d]: %w", i, err)
		}
	}
	if c.ChartRegistry != "" && !strings.HasPrefix(c.ChartRegistry, "oci://") {
		return fmt.Errorf("chartRegistry %q: want oci://host/path", c.ChartRegistry)
	}
	if err := checkPublished(c.Published); err != nil {
		return err
	}
	if c.KataDeployChart != "" && c.KataDeployDependency == "" {
		return errors.New("kataDeployChart needs kataDeployDependency")
	}
	return nil
}

// gitName is the characters of a remote, branch or other git reference
// the tool accepts.
var gitName = regexp.MustCompile(`^[A-Za-z0-9._][A-Za-z0-9._/-]*$`)

// ErrBadRef is returned, wrapped, for a git reference the tool refuses.
var ErrBadRef = errors.New("not a git reference")

// CheckRef checks a git reference given to the tool (a tag, a branch or a
// commit, such as the operator's): letters, digits, '.', '_', '/' and '-',
// not starting with '-' or '.', without "..", "//" or a trailing '/', '.'
// or ".lock", at most 255 bytes, as git check-ref-format has it for the
// characters it takes. The one check for a reference from a variable and
// from an argument.
func CheckRef(ref string) error {
	switch {
	case len(ref) > 255:
		return fmt.Errorf("%w: %d bytes, over 255", ErrBadRef, len(ref))
	case !gitName.MatchString(ref), strings.HasPrefix(ref, "."), strings.Contains(ref, ".."), strings.Contains(ref, "//"),
		strings.HasSuffix(ref, "/"), strings.HasSuffix(ref, "."), strings.HasSuffix(ref, ".lock"):
		return fmt.Errorf("%w: %q (a tag, branch or commit: letters, digits, '.', '_', '/', '-', no .. or leading - or .)", ErrBadRef, ref)
	}
	return nil
}

// inside reports whether p is a clean relative slash path that stays
// inside the root.
func inside(p string) bool {
	return !path.IsAbs(p) && path.Clean(p) == p && p != ".." && !strings.HasPrefix(p, "../") && !strings.ContainsAny(p, "\\\x00")
}

// OnMainBranch reports whether the run releases from the main branch
// ([Config.MainBranch]).
func (c Config) OnMainBranch() bool { return c.MainBranch == "" || c.Branch == c.MainBranch }

// ParseVersion parses a release version where it comes in: canonical
// semver and, for a candidate, the pre-release form of c.PreRelease.
func (c Config) ParseVersion(s string) (version.Version, error) {
	return version.Parse(s, c.preRelease())
}

func (c Config) preRelease() *regexp.Regexp {
	re, err := regexp.Compile(c.PreRelease)
	if err != nil || c.PreRelease == "" {
		return nil
	}
	return re
}
