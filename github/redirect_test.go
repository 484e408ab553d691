package github_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/github"
)

// TestTokenStaysOnAPIHost: the API (on 127.0.0.1) redirects every
// request to another host (localhost, same machine): the token is never
// sent there, and the operation fails saying where it was sent.
func TestTokenStaysOnAPIHost(t *testing.T) {
	var (
		mu   sync.Mutex
		seen []string // what the other host got
	)
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Method+" "+r.URL.Path+" Authorization="+r.Header.Get("Authorization"))
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`[]`))
	}))
	defer other.Close()
	otherURL := strings.Replace(other.URL, "127.0.0.1", "localhost", 1)
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, otherURL+r.URL.RequestURI(), http.StatusFound)
	}))
	defer api.Close()
	require.Contains(t, api.URL, "127.0.0.1")

	for _, hc := range []*http.Client{nil, {}, {CheckRedirect: func(*http.Request, []*http.Request) error { return nil }}} {
		c, err := github.New(context.Background(), github.Options{Token: token, APIURL: api.URL, Owner: "o", Repo: "r", HTTP: hc})
		require.NoError(t, err)
		_, err = c.FindRelease(context.Background(), "v0.13.0")
		require.ErrorContains(t, err, "redirected to "+otherURL)
		require.ErrorContains(t, err, "the token is only sent to "+api.URL)
		require.ErrorIs(t, err, github.ErrUnavailable)
		var re *github.RedirectError
		require.ErrorAs(t, err, &re)
		require.Equal(t, api.URL, re.Home)
		require.NotContains(t, err.Error(), `Get "`, "the redirect is told once")
		_, err = c.LockState(context.Background(), "main")
		require.Error(t, err)
		require.NotErrorIs(t, err, github.ErrNeedsAdmin)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, s := range seen {
		require.NotContains(t, s, token)
	}
	require.Empty(t, seen, "nothing is sent to the other host")
}

// TestRedirectSameHost: a redirect on the API's own host (GitHub moves a
// renamed repository so) is followed.
func TestRedirectSameHost(t *testing.T) {
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+token {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		if strings.Contains(r.URL.Path, "/repos/o/r/") {
			http.Redirect(w, r, srv.URL+strings.Replace(r.URL.RequestURI(), "/repos/o/r/", "/repos/o/renamed/", 1), http.StatusMovedPermanently)
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Write([]byte(`[{"tag_name": "v0.13.0", "id": 7}]`))
	}))
	defer srv.Close()
	c, err := github.New(context.Background(), github.Options{Token: token, APIURL: srv.URL, Owner: "o", Repo: "r"})
	require.NoError(t, err)
	r, err := c.FindRelease(context.Background(), "v0.13.0")
	require.NoError(t, err)
	require.Equal(t, int64(7), r.ID)
}
