// Package ocifake serves an OCI registry in the process for the tests and
// the demo, reached as any host: charts stored as helm stores them.
package ocifake

import (
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"

	"github.com/confidential-containers/release-tools/charts"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// Charts serves, in the process, a registry that answers for every host
// (ghcr.io included) and holds the chart repository repo (host-less, such
// as kata-containers/kata-deploy-charts/kata-deploy) at each version, and
// returns a client of it and a func that stops it.
func Charts(repo string, versions ...string) (*charts.Registry, func(), error) {
	srv := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	u, err := url.Parse(srv.URL)
	if err != nil {
		srv.Close()
		return nil, nil, err
	}
	for _, v := range versions {
		ref, err := name.ParseReference(u.Host + "/" + repo + ":" + v)
		if err != nil {
			srv.Close()
			return nil, nil, err
		}
		img, err := random.Image(64, 1)
		if err != nil {
			srv.Close()
			return nil, nil, err
		}
		if err := remote.Write(ref, img); err != nil {
			srv.Close()
			return nil, nil, err
		}
	}
	return &charts.Registry{Transport: toHost{u}}, srv.Close, nil
}

// toHost sends every request to one server, over plain HTTP.
type toHost struct{ u *url.URL }

func (t toHost) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.URL.Scheme, req.URL.Host, req.Host = t.u.Scheme, t.u.Host, t.u.Host
	return http.DefaultTransport.RoundTrip(req)
}
