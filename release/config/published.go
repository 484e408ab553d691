package config

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Artifact is one thing a release's workflow publishes to an OCI
// registry (an image, a chart, an ORAS artifact), as [Config.Published]
// lists it: its reference with placeholders, and for a multi-arch image
// the platforms the workflow builds.
type Artifact struct {
	// Ref is host/path:tag (an "oci://" prefix is allowed and dropped),
	// with {version} for the release's version (v0.22.0) and
	// {chartVersion} for the version of the published chart at the
	// release's commit (0.22.0; a "+" is written "_", as helm does).
	Ref string `yaml:"ref"`
	// Platforms, when set, are os/arch[/variant] the reference must be an
	// index of (a multi-arch image), each present.
	Platforms []string `yaml:"platforms,omitempty"`
}

// The placeholders an [Artifact] reference takes.
const (
	PlaceholderVersion      = "{version}"
	PlaceholderChartVersion = "{chartVersion}"
)

// UnmarshalYAML reads an artifact as a mapping (ref, platforms) or as a
// plain reference.
func (a *Artifact) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		a.Ref = n.Value
		return nil
	}
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if k := n.Content[i]; k.Value != "ref" && k.Value != "platforms" {
				return fmt.Errorf("line %d: field %s not found in an artifact (ref, platforms)", k.Line, k.Value)
			}
		}
	}
	type plain Artifact
	return n.Decode((*plain)(a))
}

// NeedsChartVersion reports whether the reference names the chart's
// version.
func (a Artifact) NeedsChartVersion() bool { return strings.Contains(a.Ref, PlaceholderChartVersion) }

// Expand is the reference for a release of version whose published chart
// is at chartVersion ("" when there is none: a reference that needs it
// is an error).
func (a Artifact) Expand(version, chartVersion string) (string, error) {
	if a.NeedsChartVersion() && chartVersion == "" {
		return "", fmt.Errorf("published %q needs the chart's version: set publishedChart", a.Ref)
	}
	ref := strings.TrimPrefix(a.Ref, "oci://")
	ref = strings.ReplaceAll(ref, PlaceholderVersion, version)
	return strings.ReplaceAll(ref, PlaceholderChartVersion, strings.ReplaceAll(chartVersion, "+", "_")), nil
}

var (
	// artifactRef is host[:port]/path:tag once expanded: the host has a
	// dot or a port (else it would be read as Docker Hub's path).
	artifactRef = regexp.MustCompile(`^[a-z0-9.-]+(?:\.[a-z0-9-]+|:[0-9]+)(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)+:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$`)
	platform    = regexp.MustCompile(`^[a-z0-9]+/[a-z0-9_]+(?:/[a-z0-9]+)?$`)
	placeholder = regexp.MustCompile(`\{[^}]*\}`)
)

// check says what is wrong with the artifact, if anything.
func (a Artifact) check() error {
	for _, p := range placeholder.FindAllString(a.Ref, -1) {
		if p != PlaceholderVersion && p != PlaceholderChartVersion {
			return fmt.Errorf("%q: unknown placeholder %s (want %s or %s)", a.Ref, p, PlaceholderVersion, PlaceholderChartVersion)
		}
	}
	sample, _ := a.Expand("v1.2.3", "1.2.3")
	if !artifactRef.MatchString(sample) {
		return fmt.Errorf("%q: want host/path:tag, such as quay.io/confidential-containers/cloud-api-adaptor:%s", a.Ref, PlaceholderVersion)
	}
	if !strings.Contains(a.Ref[strings.LastIndex(a.Ref, ":"):], "{") {
		return fmt.Errorf("%q: its tag names no %s or %s, so it cannot tell one release's from another's", a.Ref, PlaceholderVersion, PlaceholderChartVersion)
	}
	for _, p := range a.Platforms {
		if !platform.MatchString(p) {
			return fmt.Errorf("%q: platform %q: want os/arch[/variant], such as linux/amd64", a.Ref, p)
		}
	}
	return nil
}

// checkPublished checks the published list.
func checkPublished(list []Artifact) error {
	seen := map[string]bool{}
	var errs []error
	for i, a := range list {
		if err := a.check(); err != nil {
			errs = append(errs, fmt.Errorf("published[%d]: %w", i, err))
		}
		if seen[a.Ref] {
			errs = append(errs, fmt.Errorf("published[%d]: %q is listed twice", i, a.Ref))
		}
		seen[a.Ref] = true
	}
	return errors.Join(errs...)
}

// caaPlatforms are the platforms CAA's workflows build the
// cloud-api-adaptor and peerpod-ctrl images for (the matrix of
// caa_build_and_push_all_arches.yaml and
// peerpod-ctrl_build_and_push_all_arches.yaml).
var caaPlatforms = []string{"linux/amd64", "linux/arm64", "linux/ppc64le", "linux/s390x"}

// caaPublished is what CAA's release.yaml workflow publishes for a
// release, read from its workflow files: every callee's default registry
// is quay.io/confidential-containers (podvm_publish.yaml picks it for
// confidential-containers/cloud-api-adaptor), and the chart goes to
// ghcr.io/<repository>/charts.
//   - caa: cloud-api-adaptor, release_tags <tag> and dev_tags <tag>-dev,
//     each a multi-arch manifest;
//   - peerpod-ctrl: peerpod-ctrl:<tag>, multi-arch;
//   - podvm-images: podvm_mkosi.yaml's oras push of
//     podvm-<arch>:<tag> for amd64, s390x and arm64 (not debug, no TEE
//     platform);
//   - webhook: peer-pods-webhook:<tag>;
//   - peerpods-chart: the peerpods chart at its Chart.yaml version.
//
// Left out: podvm-byom-binaries, whose image name podvm's Makefile sets
// (make push-podvm-byom-binaries-image), not the workflow: its job's
// result is checked, its image is not guessed.
func caaPublished() []Artifact {
	const quay = "quay.io/confidential-containers/"
	return []Artifact{
		{Ref: quay + "cloud-api-adaptor:" + PlaceholderVersion, Platforms: caaPlatforms},
		{Ref: quay + "cloud-api-adaptor:" + PlaceholderVersion + "-dev", Platforms: caaPlatforms},
		{Ref: quay + "peerpod-ctrl:" + PlaceholderVersion, Platforms: caaPlatforms},
		{Ref: quay + "podvm-amd64:" + PlaceholderVersion},
		{Ref: quay + "podvm-s390x:" + PlaceholderVersion},
		{Ref: quay + "podvm-arm64:" + PlaceholderVersion},
		{Ref: quay + "peer-pods-webhook:" + PlaceholderVersion},
		{Ref: "ghcr.io/confidential-containers/cloud-api-adaptor/charts/peerpods:" + PlaceholderChartVersion},
	}
}
