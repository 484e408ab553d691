package registry

import (
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/charts"
	"github.com/confidential-containers/release-tools/internal/nettest"
)

// testRegistry starts an in-process registry holding the chart name in
// repository "charts" at each of tags, and returns its oci:// repository.
func testRegistry(t *testing.T, chart string, tags ...string) (repo string, digests map[string]string) {
	t.Helper()
	srv := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	t.Cleanup(srv.Close)
	host := strings.TrimPrefix(srv.URL, "http://")
	digests = map[string]string{}
	for _, tag := range tags {
		img, err := random.Image(64, 1)
		require.NoError(t, err)
		ref, err := name.NewTag(host + "/charts/" + chart + ":" + tag)
		require.NoError(t, err)
		require.NoError(t, remote.Write(ref, img))
		d, err := img.Digest()
		require.NoError(t, err)
		digests[tag] = d.String()
	}
	return "oci://" + host + "/charts", digests
}

func TestRegistryVersions(t *testing.T) {
	repo, _ := testRegistry(t, "kata-deploy", "3.31.0", "3.29.1", "latest", "3.30.0", "3.32.0-rc.1", "3.31.0_build.1", "3.28.0", "3.4.0", "v3.0.0")
	dep := charts.Dependency{Name: "kata-deploy", Repository: repo}
	ctx := context.Background()
	vs, err := Client{}.Versions(ctx, dep)
	require.NoError(t, err)
	assert.Equal(t, []string{"3.4.0", "3.28.0", "3.29.1", "3.30.0", "3.31.0", "3.31.0+build.1", "3.32.0-rc.1"}, vs)

	tests := []struct {
		version string
		want    string // "" for found
	}{
		{"3.31.0", ""},
		{"3.31.0+build.1", ""},
		{"3.31.1", `version not found in the registry: "3.31.1"; nearest below: 3.30.0, 3.31.0, 3.31.0+build.1; above: 3.32.0-rc.1`},
		{"3.0.0", `version not found in the registry: "3.0.0"; nearest below: none; above: 3.4.0, 3.28.0, 3.29.1`},
		{"4.0.0", `version not found in the registry: "4.0.0"; nearest below: 3.31.0, 3.31.0+build.1, 3.32.0-rc.1; above: none`},
	}
	for _, tt := range tests {
		t.Run(tt.version, func(t *testing.T) {
			d := dep
			d.Version = tt.version
			err := Client{}.CheckVersion(ctx, d)
			if tt.want == "" {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, ErrVersionNotFound)
			assert.NotErrorIs(t, err, ErrUnreachable)
			assert.ErrorContains(t, err, "charts: oci://"+strings.TrimPrefix(repo, "oci://")+"/kata-deploy: "+tt.want)
		})
	}

	err = Client{}.CheckVersion(ctx, charts.Dependency{Name: "other", Version: "1.0.0", Repository: repo})
	assert.ErrorIs(t, err, ErrVersionNotFound)
	assert.ErrorContains(t, err, `the registry has no versions of "other"`)

	err = Client{}.CheckVersion(ctx, charts.Dependency{Name: "kata-deploy", Version: ">=3.0.0", Repository: repo})
	assert.ErrorIs(t, err, charts.ErrInvalidVersion)
	err = Client{}.CheckVersion(ctx, charts.Dependency{Name: "sub", Version: "1.0.0", Repository: "file://../sub"})
	assert.ErrorContains(t, err, `charts: dependency "sub": repository "file://../sub" is not oci://`)
}

func TestRegistryPublished(t *testing.T) {
	repo, digests := testRegistry(t, "peerpods", "0.3.0", "0.3.1_b")
	ctx := context.Background()
	d, found, err := Client{}.Published(ctx, repo+"/peerpods", "0.3.0")
	require.NoError(t, err)
	assert.True(t, found)
	assert.Equal(t, digests["0.3.0"], d)

	d, found, err = Client{}.Published(ctx, repo+"/peerpods", "0.3.1+b")
	require.NoError(t, err)
	assert.True(t, found)
	assert.Equal(t, digests["0.3.1_b"], d)

	for _, ref := range []string{repo + "/peerpods", repo + "/nothing"} {
		_, found, err = Client{}.Published(ctx, ref, "0.4.0")
		require.NoError(t, err)
		assert.False(t, found, ref)
	}

	_, _, err = Client{}.Published(ctx, strings.TrimPrefix(repo, "oci://")+"/peerpods", "0.3.0")
	assert.ErrorContains(t, err, "is not an oci:// reference")
	_, _, err = Client{}.Published(ctx, repo+"/peerpods", "v0.3.0")
	assert.ErrorIs(t, err, charts.ErrInvalidVersion)
}

// TestRegistryUnreachable: only a host nothing accepts a connection from
// is unreachable; a registry answering 503, or accepting and never
// answering (within the client's timeout), fails without being
// "unreachable" or "not found".
func TestRegistryUnreachable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	closed := l.Addr().String()
	require.NoError(t, l.Close())

	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
	}))
	t.Cleanup(down.Close)
	silent := nettest.Silent(t)
	noRetry := Client{Timeout: 300 * time.Millisecond, Options: []remote.Option{remote.WithRetryStatusCodes()}}

	ctx := context.Background()
	for _, tt := range []struct {
		host, want  string
		unreachable bool
	}{
		{closed, "connection refused", true},
		{strings.TrimPrefix(down.URL, "http://"), "503", false},
		{silent, "no answer within 300ms", false},
	} {
		start := time.Now()
		dep := charts.Dependency{Name: "kata-deploy", Version: "3.31.0", Repository: "oci://" + tt.host + "/charts"}
		errs := []error{noRetry.CheckVersion(ctx, dep)}
		_, err = noRetry.Versions(ctx, dep)
		errs = append(errs, err)
		_, _, err = noRetry.Published(ctx, dep.Repository+"/peerpods", "0.3.0")
		errs = append(errs, err)
		for _, err := range errs {
			require.Error(t, err, tt.host)
			assert.ErrorContains(t, err, tt.want)
			assert.Equal(t, tt.unreachable, errors.Is(err, ErrUnreachable), "%s: %v", tt.host, err)
			assert.NotErrorIs(t, err, ErrVersionNotFound, tt.host)
		}
		assert.Less(t, time.Since(start), 5*time.Second, "bounded by the timeout: %s", tt.want)
	}
}

func TestRegistryRefused(t *testing.T) {
	denied := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, `{"errors":[{"code":"DENIED","message":"no"}]}`, http.StatusForbidden)
	}))
	t.Cleanup(denied.Close)
	dep := charts.Dependency{Name: "kata-deploy", Version: "3.31.0", Repository: "oci://" + strings.TrimPrefix(denied.URL, "http://") + "/charts"}
	err := Client{}.CheckVersion(context.Background(), dep)
	require.Error(t, err)
	assert.NotErrorIs(t, err, ErrUnreachable)
	assert.NotErrorIs(t, err, ErrVersionNotFound)
}

func TestRegistryKeychain(t *testing.T) {
	reg := registry.New(registry.Logger(log.New(io.Discard, "", 0)))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); !ok || u != "robot" || p != "s3cret" {
			w.Header().Set("WWW-Authenticate", `Basic realm="test"`)
			http.Error(w, `{"errors":[{"code":"UNAUTHORIZED","message":"log in"}]}`, http.StatusUnauthorized)
			return
		}
		reg.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	host := strings.TrimPrefix(srv.URL, "http://")
	img, err := random.Image(64, 1)
	require.NoError(t, err)
	ref, err := name.NewTag(host + "/charts/kata-deploy:3.31.0")
	require.NoError(t, err)
	auth := remote.WithAuth(&authn.Basic{Username: "robot", Password: "s3cret"})
	require.NoError(t, remote.Write(ref, img, auth))

	dep := charts.Dependency{Name: "kata-deploy", Version: "3.31.0", Repository: "oci://" + host + "/charts"}
	err = Client{}.CheckVersion(context.Background(), dep)
	require.Error(t, err, "anonymous")
	assert.NotErrorIs(t, err, ErrUnreachable)

	keychain := staticKeychain{host: &authn.Basic{Username: "robot", Password: "s3cret"}}
	assert.NoError(t, Client{Keychain: keychain}.CheckVersion(context.Background(), dep))
}

// staticKeychain answers per registry host.
type staticKeychain map[string]authn.Authenticator

func (k staticKeychain) Resolve(r authn.Resource) (authn.Authenticator, error) {
	if a, ok := k[r.RegistryStr()]; ok {
		return a, nil
	}
	return authn.Anonymous, nil
}
