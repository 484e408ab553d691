package e2e_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/stretchr/testify/require"
)

// registryHosts are the hosts the fixture files name, that the registry
// answers for.
var registryHosts = []string{"ghcr.io", "quay.io"}

// ociWorld is go-containerregistry's registry served over TLS with a
// certificate for ghcr.io and quay.io signed by a CA of the test's, and a
// CONNECT proxy on 127.0.0.1 that sends those hosts (port 443) to it and
// refuses any other. The frontend reaches it with HTTPS_PROXY=Proxy and
// SSL_CERT_FILE=CAFile, the files unchanged.
type ociWorld struct {
	Proxy  string // http://127.0.0.1:<port>
	CAFile string // the CA, PEM

	client *http.Transport // the test's own: through the proxy, trusting the CA

	mu      sync.Mutex
	asked   []string // the CONNECT targets, in order
	refused []string
}

func startOCI(t *testing.T) *ociWorld {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	now := time.Now()
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "release-tools e2e CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	require.NoError(t, err)
	ca, err := x509.ParseCertificate(caDER)
	require.NoError(t, err)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	leafDER, err := x509.CreateCertificate(rand.Reader, &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: registryHosts[0]}, DNSNames: registryHosts,
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}, ca, &key.PublicKey, caKey)
	require.NoError(t, err)

	reg := httptest.NewUnstartedServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	reg.TLS = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{leafDER}, PrivateKey: key}}}
	reg.StartTLS()
	t.Cleanup(reg.Close)

	w := &ociWorld{CAFile: filepath.Join(t.TempDir(), "ca.pem")}
	require.NoError(t, os.WriteFile(w.CAFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}), 0o644))
	var conns sync.WaitGroup
	proxy := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		host, port, _ := net.SplitHostPort(r.Host)
		w.mu.Lock()
		w.asked = append(w.asked, r.Host)
		ok := r.Method == http.MethodConnect && port == "443" && slices.Contains(registryHosts, host)
		if !ok {
			w.refused = append(w.refused, r.Method+" "+r.Host)
		}
		w.mu.Unlock()
		if !ok {
			http.Error(rw, "the test's proxy reaches only the registry hosts", http.StatusForbidden)
			return
		}
		up, err := net.Dial("tcp", reg.Listener.Addr().String())
		if err != nil {
			http.Error(rw, err.Error(), http.StatusBadGateway)
			return
		}
		down, buf, err := rw.(http.Hijacker).Hijack()
		if err != nil {
			up.Close()
			return
		}
		conns.Add(1)
		go func() {
			defer conns.Done()
			defer down.Close()
			defer up.Close()
			if _, err := io.WriteString(down, "HTTP/1.1 200 Connection established\r\n\r\n"); err != nil {
				return
			}
			go func() {
				io.Copy(up, io.MultiReader(io.LimitReader(buf, int64(buf.Reader.Buffered())), down))
				up.(*net.TCPConn).CloseWrite()
			}()
			io.Copy(down, up)
		}()
	}))
	t.Cleanup(func() { proxy.Close(); conns.Wait() })
	w.Proxy = proxy.URL

	pool := x509.NewCertPool()
	pool.AddCert(ca)
	u, err := url.Parse(proxy.URL)
	require.NoError(t, err)
	w.client = &http.Transport{Proxy: http.ProxyURL(u), TLSClientConfig: &tls.Config{RootCAs: pool}}
	t.Cleanup(w.client.CloseIdleConnections)
	return w
}

// pushChart stores a Helm chart at ref (ghcr.io/.../name:version) as helm
// does: an OCI manifest whose config is a Helm config and whose one layer
// is the chart's archive.
func (w *ociWorld) pushChart(t *testing.T, ref string) {
	t.Helper()
	img := mutate.MediaType(empty.Image, types.OCIManifestSchema1)
	img = mutate.ConfigMediaType(img, "application/vnd.cncf.helm.config.v1+json")
	img, err := mutate.Append(img, mutate.Addendum{Layer: static.NewLayer([]byte("chart "+ref), "application/vnd.cncf.helm.chart.content.v1.tar+gzip")})
	require.NoError(t, err)
	w.write(t, ref, img)
}

// pushImage stores an image at ref (quay.io/...:tag).
func (w *ociWorld) pushImage(t *testing.T, ref string) {
	t.Helper()
	img, err := random.Image(256, 1)
	require.NoError(t, err)
	w.write(t, ref, img)
}

func (w *ociWorld) write(t *testing.T, ref string, img v1.Image) {
	t.Helper()
	r, err := name.ParseReference(ref)
	require.NoError(t, err)
	require.NoError(t, remote.Write(r, img, remote.WithTransport(w.client), remote.WithContext(t.Context())), ref)
}

// hosts returns the CONNECT targets asked so far and those refused.
func (w *ociWorld) hosts() (asked, refused []string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.asked), slices.Clone(w.refused)
}
