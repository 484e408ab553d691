package charts

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"syscall"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
)

var (
	// ErrUnreachable is a registry that could not be asked: a DNS, network
	// or connection error, or a 5xx answer. Callers report it and go on.
	ErrUnreachable = errors.New("registry unreachable")
	// ErrVersionNotFound is a chart version the registry does not have.
	ErrVersionNotFound = errors.New("version not found in the registry")
)

// Registry asks OCI registries about the charts stored there, as helm
// stores them: the chart name is the last element of the repository and a
// version's "+" is written "_" in its tag. The zero Registry asks
// anonymously over go-containerregistry's default transport.
type Registry struct {
	// Keychain gives credentials per registry; nil asks anonymously.
	// authn.DefaultKeychain reads the user's docker config and credential
	// helpers.
	Keychain authn.Keychain
	// Transport carries the requests; nil means remote.DefaultTransport.
	Transport http.RoundTripper
	// Options are passed to go-containerregistry after the ones above, for
	// example remote.WithRetryBackoff or remote.WithUserAgent.
	Options []remote.Option
}

func (r Registry) options(ctx context.Context) []remote.Option {
	opts := []remote.Option{remote.WithContext(ctx)}
	if r.Keychain != nil {
		opts = append(opts, remote.WithAuthFromKeychain(r.Keychain))
	}
	if r.Transport != nil {
		opts = append(opts, remote.WithTransport(r.Transport))
	}
	return append(opts, r.Options...)
}

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

func depRepository(dep Dependency) (name.Repository, error) {
	if !dep.IsOCI() {
		return name.Repository{}, fmt.Errorf("dependency %s: repository %q is not oci://", dep.label(), dep.Repository)
	}
	return ociRepository(strings.TrimSuffix(dep.Repository, "/") + "/" + dep.Name)
}

// Versions returns the chart versions the registry holds for the oci://
// dependency dep, lowest first by SemVer precedence: its tags with "_"
// read as "+", those that are not SemVer 2 left out. A repository the
// registry does not know has no versions. Errors reaching the registry
// wrap [ErrUnreachable].
func (r Registry) Versions(ctx context.Context, dep Dependency) ([]string, error) {
	repo, err := depRepository(dep)
	if err != nil {
		return nil, fmt.Errorf("charts: %w", err)
	}
	vs, err := r.versions(ctx, repo)
	if err != nil {
		return nil, fmt.Errorf("charts: list oci://%s: %w", repo, err)
	}
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.text
	}
	return out, nil
}

func (r Registry) versions(ctx context.Context, repo name.Repository) ([]semver, error) {
	tags, err := remote.List(repo, r.options(ctx)...)
	if err != nil {
		if isNotFound(err) {
			return nil, nil
		}
		return nil, classify(err)
	}
	var vs []semver
	for _, tag := range tags {
		if v, ok := parseSemver(strings.ReplaceAll(tag, "_", "+")); ok {
			vs = append(vs, v)
		}
	}
	slices.SortFunc(vs, semver.compare)
	return vs, nil
}

// CheckVersion returns nil if the registry holds the version of the
// oci:// dependency dep that its Chart.yaml asks for, which must be an
// exact version. A version it does not hold is an error wrapping
// [ErrVersionNotFound] that names the nearest versions it does hold (up
// to three below and three above); failing to ask wraps [ErrUnreachable].
func (r Registry) CheckVersion(ctx context.Context, dep Dependency) error {
	repo, err := depRepository(dep)
	if err != nil {
		return fmt.Errorf("charts: %w", err)
	}
	want, ok := parseSemver(dep.Version)
	if !ok {
		return fmt.Errorf("charts: oci://%s: %w", repo, CheckVersion(dep.Version))
	}
	vs, err := r.versions(ctx, repo)
	if err != nil {
		return fmt.Errorf("charts: list oci://%s: %w", repo, err)
	}
	i, found := slices.BinarySearchFunc(vs, want, semver.compare)
	if found {
		return nil
	}
	if len(vs) == 0 {
		return fmt.Errorf("charts: oci://%s: %w: %q; the registry has no versions of %q", repo, ErrVersionNotFound, dep.Version, dep.Name)
	}
	var near []string
	for _, v := range vs[max(0, i-3):i] {
		near = append(near, v.text)
	}
	lower := strings.Join(near, ", ")
	near = near[:0]
	for _, v := range vs[i:min(len(vs), i+3)] {
		near = append(near, v.text)
	}
	higher := strings.Join(near, ", ")
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
// does not have is found == false with no error; failing to ask wraps
// [ErrUnreachable].
func (r Registry) Published(ctx context.Context, ref, version string) (digest string, found bool, err error) {
	repo, err := ociRepository(ref)
	if err != nil {
		return "", false, fmt.Errorf("charts: %w", err)
	}
	if err := CheckVersion(version); err != nil {
		return "", false, fmt.Errorf("charts: %s: %w", ref, err)
	}
	tag := repo.Tag(strings.ReplaceAll(version, "+", "_"))
	desc, err := remote.Head(tag, r.options(ctx)...)
	if err != nil {
		if isNotFound(err) {
			return "", false, nil
		}
		return "", false, fmt.Errorf("charts: look up %s:%s: %w", ref, version, classify(err))
	}
	return desc.Digest.String(), true, nil
}

func isNotFound(err error) bool {
	var te *transport.Error
	return errors.As(err, &te) && te.StatusCode == http.StatusNotFound
}

// classify wraps errors that mean the registry could not be asked in
// [ErrUnreachable]; others (a refusal, a bad answer, a cancelled
// context) pass through.
func classify(err error) error {
	var te *transport.Error
	if errors.As(err, &te) {
		if te.StatusCode >= 500 {
			return fmt.Errorf("%w: %w", ErrUnreachable, err)
		}
		return err
	}
	if errors.Is(err, context.Canceled) {
		return err
	}
	var ne net.Error
	if errors.As(err, &ne) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return fmt.Errorf("%w: %w", ErrUnreachable, err)
	}
	return err
}
