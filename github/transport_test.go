package github

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestOnlyToTransport: the transport itself refuses a request to another
// host, for the paths that bypass CheckRedirect (go-github follows some
// redirects by hand, with a client that does not follow them).
func TestOnlyToTransport(t *testing.T) {
	hits := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits++ }))
	defer srv.Close()
	api, err := url.Parse(srv.URL)
	require.NoError(t, err)
	hc := onlyTo(&http.Client{}, api)

	other := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
	req, err := http.NewRequest("GET", other+"/x", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer secret")
	_, err = hc.Transport.RoundTrip(req)
	require.ErrorContains(t, err, "github: refusing to send a request to "+other+": the token is only sent to "+srv.URL)
	require.Zero(t, hits)

	resp, err := hc.Get(srv.URL + "/x")
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, 1, hits)
}

func TestOrigin(t *testing.T) {
	for in, want := range map[string]string{
		"https://api.github.com/":        "https://api.github.com:443",
		"HTTPS://API.GitHub.com:443/x":   "https://api.github.com:443",
		"http://127.0.0.1:8080/api/v3/":  "http://127.0.0.1:8080",
		"http://ghe.example.com/api/v3/": "http://ghe.example.com:80",
	} {
		u, err := url.Parse(in)
		require.NoError(t, err)
		require.Equal(t, want, origin(u), in)
	}
}
