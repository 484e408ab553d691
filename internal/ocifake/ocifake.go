// Package ocifake serves an OCI registry in the process for the tests and
// the demo, reached as any host: charts stored as helm stores them.
package ocifake

import (
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	chartregistry "github.com/confidential-containers/release-tools/charts/registry"
)

// Registry is a registry served in the process that answers for every
// host (ghcr.io included).
type Registry struct {
	srv *httptest.Server
	u   *url.URL
}

// Start serves a registry until Close.
func Start() (*Registry, error) {
	srv := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	u, err := url.Parse(srv.URL)
	if err != nil {
		srv.Close()
		return nil, err
	}
	return &Registry{srv: srv, u: u}, nil
}

// Close stops the registry.
func (r *Registry) Close() { r.srv.Close() }

// Client is a chartregistry.Client that reaches this registry whatever host it
// is asked for.
func (r *Registry) Client() *chartregistry.Client {
	return &chartregistry.Client{Transport: toHost{r.u}}
}

// To is a chartregistry.Client that sends every request, whatever its host,
// to the server at addr ("127.0.0.1:port") over plain HTTP: a registry
// that fails, never answers, or is not there.
func To(addr string) *chartregistry.Client {
	return &chartregistry.Client{Transport: toHost{&url.URL{Scheme: "http", Host: addr}}}
}

// Push stores an artifact at repo (host-less, such as
// kata-containers/kata-deploy-charts/kata-deploy) under each version's tag.
func (r *Registry) Push(repo string, versions ...string) error {
	for _, v := range versions {
		ref, err := name.ParseReference(r.u.Host + "/" + repo + ":" + v)
		if err != nil {
			return err
		}
		img, err := Image(repo + ":" + v)
		if err != nil {
			return err
		}
		if err := remote.Write(ref, img); err != nil {
			return err
		}
	}
	return nil
}

// PushImages stores an image at each reference ("quay.io/org/image:tag"):
// the registry answers for every host, so the host is dropped.
func (r *Registry) PushImages(refs ...string) error {
	for _, s := range refs {
		ref, err := name.NewTag(s)
		if err != nil {
			return err
		}
		if err := r.Push(ref.RepositoryStr(), ref.TagStr()); err != nil {
			return err
		}
	}
	return nil
}

// Charts starts a registry holding repo at each version, and returns a
// client of it and a func that stops it.
func Charts(repo string, versions ...string) (*chartregistry.Client, func(), error) {
	r, err := Start()
	if err != nil {
		return nil, nil, err
	}
	if err := r.Push(repo, versions...); err != nil {
		r.Close()
		return nil, nil, err
	}
	return r.Client(), r.Close, nil
}

// toHost sends every request to one server, over plain HTTP.
type toHost struct{ u *url.URL }

func (t toHost) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.URL.Scheme, req.URL.Host, req.Host = t.u.Scheme, t.u.Host, t.u.Host
	return http.DefaultTransport.RoundTrip(req)
}

// PushIndex stores at ref ("quay.io/org/image:tag", the host dropped) a
// multi-arch index with one image per platform ("linux/amd64").
func (r *Registry) PushIndex(ref string, platforms ...string) error {
	tag, err := name.NewTag(ref)
	if err != nil {
		return err
	}
	dst, err := name.NewTag(r.u.Host + "/" + tag.RepositoryStr() + ":" + tag.TagStr())
	if err != nil {
		return err
	}
	idx, err := Index(platforms...)
	if err != nil {
		return err
	}
	return remote.WriteIndex(dst, idx)
}

// Image is an image without layers whose config holds label: images of
// other labels have other digests. No layer is made or compressed, which
// a random image's would be at every push.
func Image(label string) (v1.Image, error) {
	return mutate.ConfigFile(empty.Image, &v1.ConfigFile{
		Architecture: "amd64", OS: "linux",
		Config: v1.Config{Labels: map[string]string{"org.opencontainers.image.ref.name": label}},
	})
}

// Index is a multi-arch index with one image per platform.
func Index(platforms ...string) (v1.ImageIndex, error) {
	var adds []mutate.IndexAddendum
	for _, p := range platforms {
		plat, err := v1.ParsePlatform(p)
		if err != nil {
			return nil, err
		}
		img, err := Image(p)
		if err != nil {
			return nil, err
		}
		adds = append(adds, mutate.IndexAddendum{Add: img, Descriptor: v1.Descriptor{Platform: plat}})
	}
	return mutate.AppendManifests(empty.Index, adds...), nil
}
