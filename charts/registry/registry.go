// Package registry asks OCI registries about the helm charts stored there
// (which versions a chart has, whether one is published), as helm's
// pkg/registry does for its chart model and lock writer: package charts
// reads and edits charts and their locks without linking a registry
// client. It prints nothing and reads no environment.
package registry

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"

	"github.com/confidential-containers/release-tools/charts"
	"github.com/confidential-containers/release-tools/oci"
)

var (
	// ErrUnreachable is a registry that could not be reached: its host
	// name does not resolve, or nothing accepts the connection. It is
	// [oci.ErrUnreachable]. A registry that was reached and failed (a 5xx,
	// no answer within the timeout, an unreadable answer) is an error that
	// does not wrap it: the answer was not had, and nothing may be decided
	// on it.
	ErrUnreachable = oci.ErrUnreachable
	// ErrVersionNotFound is a chart version the registry does not have.
	ErrVersionNotFound = errors.New("version not found in the registry")
)

// Client asks OCI registries about the charts stored there, as helm
// stores them: the chart name is the last element of the repository and a
// version's "+" is written "_" in its tag. It is an [oci.Client] (its
// fields say how to ask: credentials, transport, timeout); the zero
// Client asks anonymously over go-containerregistry's default
// transport, each call bounded by [oci.DefaultTimeout].
type Client oci.Client

// ociRepository returns the repository holding an oci:// chart:
// "oci://host/path" and the chart name, or "oci://host/path/name".
func ociRepository(ref string) (name.Repository, error) {
	rest, ok := strings.CutPrefix(ref, "oci://")
	if !ok {
		return name.Repository{}, fmt.Errorf("%q is not an oci:// reference", ref)
	}
	repo, err := name.NewRepository(strings.TrimSuffix(rest, "/"))
	if err != nil {
		return name.Repository{}, fmt.Errorf("parsing reference %q: %w", ref, err)
	}
	return repo, nil
}

func depRepository(dep charts.Dependency) (name.Repository, error) {
	if !dep.IsOCI() {
		return name.Repository{}, fmt.Errorf("dependency %s: repository %q is not oci://", label(dep), dep.Repository)
	}
	return ociRepository(strings.TrimSuffix(dep.Repository, "/") + "/" + dep.Name)
}

// Versions returns the chart versions the registry holds for the oci://
// dependency dep, lowest first by SemVer precedence: its tags with "_"
// read as "+", those that are not SemVer 2 left out. A repository the
// registry does not know has no versions. A registry that could not be
// reached wraps [ErrUnreachable]; one that failed to answer is an error too.
func (r Client) Versions(ctx context.Context, dep charts.Dependency) ([]string, error) {
	repo, err := depRepository(dep)
	if err != nil {
		return nil, fmt.Errorf("charts: %w", err)
	}
	vs, err := r.versions(ctx, repo)
	if err != nil {
		return nil, fmt.Errorf("charts: list oci://%s: %w", repo, err)
	}
	return vs, nil
}

// versions lists the chart versions among repo's tags, lowest first.
func (r Client) versions(ctx context.Context, repo name.Repository) ([]string, error) {
	tags, err := oci.Client(r).Tags(ctx, repo)
	if err != nil {
		return nil, err
	}
	var vs []string
	for _, tag := range tags {
		if v := strings.ReplaceAll(tag, "_", "+"); charts.CheckVersion(v) == nil {
			vs = append(vs, v)
		}
	}
	slices.SortFunc(vs, compare)
	return vs, nil
}

// compare is [charts.CompareVersions] of two valid chart versions.
func compare(a, b string) int {
	c, _ := charts.CompareVersions(a, b)
	return c
}

// label names dep for messages: its name, and its alias if it has one.
func label(dep charts.Dependency) string {
	if dep.Alias != "" {
		return fmt.Sprintf("%q (alias %q)", dep.Name, dep.Alias)
	}
	return fmt.Sprintf("%q", dep.Name)
}

// CheckVersion returns nil if the registry holds the version of the
// oci:// dependency dep that its Chart.yaml asks for, which must be an
// exact version. A version it does not hold is an error wrapping
// [ErrVersionNotFound] that names the nearest versions it does hold (up
// to three below and three above); a registry that could not be reached
// wraps [ErrUnreachable], and one that failed to answer is an error too.
func (r Client) CheckVersion(ctx context.Context, dep charts.Dependency) error {
	repo, err := depRepository(dep)
	if err != nil {
		return fmt.Errorf("charts: %w", err)
	}
	if err := charts.CheckVersion(dep.Version); err != nil {
		return fmt.Errorf("charts: oci://%s: %w", repo, err)
	}
	vs, err := r.versions(ctx, repo)
	if err != nil {
		return fmt.Errorf("charts: list oci://%s: %w", repo, err)
	}
	i, found := slices.BinarySearchFunc(vs, dep.Version, compare)
	if found {
		return nil
	}
	if len(vs) == 0 {
		return fmt.Errorf("charts: oci://%s: %w: %q; the registry has no versions of %q", repo, ErrVersionNotFound, dep.Version, dep.Name)
	}
	lower := strings.Join(vs[max(0, i-3):i], ", ")
	higher := strings.Join(vs[i:min(len(vs), i+3)], ", ")
	if lower == "" {
		lower = "none"
	}
	if higher == "" {
		higher = "none"
	}
	return fmt.Errorf("charts: oci://%s: %w: %q; nearest below: %s; above: %s", repo, ErrVersionNotFound, dep.Version, lower, higher)
}

// Published looks up version of the chart at ref ("oci://host/path/name")
// and returns the digest of its manifest. A chart or version the registry
// does not have is found == false with no error; a registry that could not
// be reached wraps [ErrUnreachable], and one that failed to answer is an
// error too.
func (r Client) Published(ctx context.Context, ref, version string) (digest string, found bool, err error) {
	repo, err := ociRepository(ref)
	if err != nil {
		return "", false, fmt.Errorf("charts: %w", err)
	}
	if err := charts.CheckVersion(version); err != nil {
		return "", false, fmt.Errorf("charts: %s: %w", ref, err)
	}
	tag := repo.Tag(strings.ReplaceAll(version, "+", "_"))
	desc, found, err := oci.Client(r).Head(ctx, tag)
	if err != nil {
		return "", false, fmt.Errorf("charts: %w", err)
	}
	if !found {
		return "", false, nil
	}
	return desc.Digest.String(), true, nil
}
