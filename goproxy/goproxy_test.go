package goproxy_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/goproxy"
	"github.com/confidential-containers/release-tools/internal/goproxytest"
	"github.com/confidential-containers/release-tools/internal/nettest"
)

const (
	commit = "410154b63f1a3a5431de308f9834052b62e7e7d7"
	other  = "b2de40ea39b8893864e05614848bd987ac19b871"
	caa    = "github.com/confidential-containers/cloud-api-adaptor/src/cloud-api-adaptor"
)

// proxy serves /<escaped path>/@v/<version>.info from known, answering
// not-found the first misses[path] times.
type proxy struct {
	mu     sync.Mutex
	known  map[string]string // "path@version" -> commit
	misses map[string]int
	asked  []string
}

func (p *proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	path, rest, ok := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/@v/")
	version, isInfo := strings.CutSuffix(rest, ".info")
	if !ok || !isInfo {
		http.NotFound(w, r)
		return
	}
	p.asked = append(p.asked, path+"@"+version)
	if p.misses[path] > 0 {
		p.misses[path]--
		http.Error(w, "not found: unknown revision", http.StatusNotFound)
		return
	}
	c, ok := p.known[path+"@"+version]
	if !ok {
		http.Error(w, "not found", http.StatusGone)
		return
	}
	fmt.Fprintf(w, `{"Version":%q,"Time":"2025-03-28T12:00:00Z","Origin":{"VCS":"git","URL":"https://github.com/confidential-containers/cloud-api-adaptor","Subdir":"src/cloud-api-adaptor","Ref":"refs/tags/src/cloud-api-adaptor/%s","Hash":%q}}`, version, version, c)
}

func TestFirstProxy(t *testing.T) {
	for in, want := range map[string]string{
		"":                                "https://proxy.golang.org",
		"https://proxy.golang.org,direct": "https://proxy.golang.org",
		"direct|https://goproxy.example/": "https://goproxy.example",
		"file:///tmp/proxy":               "file:///tmp/proxy",
	} {
		got, err := goproxy.FirstProxy(in)
		require.NoError(t, err, in)
		require.Equal(t, want, got, in)
	}
	for _, in := range []string{"off", "direct", "off,https://proxy.golang.org"} {
		_, err := goproxy.FirstProxy(in)
		require.ErrorIs(t, err, goproxy.ErrNoProxy, in)
	}
	_, err := goproxy.FirstProxy("proxy.golang.org,direct")
	require.ErrorContains(t, err, `entry "proxy.golang.org" is not an http(s):// or file:// URL`)
}

func TestCheck(t *testing.T) {
	p := &proxy{known: map[string]string{caa + "@v0.13.0": other, "example.com/done@v0.13.0": commit}}
	srv := httptest.NewServer(p)
	defer srv.Close()
	c := &goproxy.Client{URL: srv.URL}
	res, err := c.Check(context.Background(), []goproxy.Module{
		{Path: caa, Version: "v0.13.0", Commit: commit},
		{Path: "example.com/done", Version: "v0.13.0", Commit: commit},
		{Path: "example.com/new", Version: "v0.13.0", Commit: commit},
	})
	require.NoError(t, err)
	require.Equal(t, []goproxy.Answer{goproxy.KnownElsewhere, goproxy.Known, goproxy.Unknown}, []goproxy.Answer{res[0].Answer, res[1].Answer, res[2].Answer})
	require.Equal(t, other, res[0].Commit)
	err = goproxy.Conflicts(res)
	require.ErrorContains(t, err, caa+"@v0.13.0 is at b2de40ea39b8, not 410154b63f1a")
	require.Contains(t, p.asked, "github.com/confidential-containers/cloud-api-adaptor/src/cloud-api-adaptor@v0.13.0")

	// Module paths with capitals are escaped the proxy's way.
	_, err = c.Info(context.Background(), "github.com/Azure/x", "v1.0.0")
	require.ErrorIs(t, err, goproxy.ErrNotFound)
	require.Contains(t, p.asked, "github.com/!azure/x@v1.0.0")

	// Bad input is refused before any request.
	n := len(p.asked)
	_, err = c.Info(context.Background(), "github.com/x/y", "latest")
	require.ErrorContains(t, err, `goproxy: github.com/x/y@latest: invalid version`)
	_, err = c.Info(context.Background(), "-bad", "v1.0.0")
	require.ErrorContains(t, err, `goproxy: malformed module path "-bad"`)
	require.Len(t, p.asked, n)
}

// TestFileProxy: a proxy laid out on disk (GOPROXY=file://dir) is read
// like an HTTP one; it says no Origin, so a known version is done.
func TestFileProxy(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, goproxytest.Write(dir, goproxytest.Module{Path: "github.com/Example/m", Version: "v0.13.0"}))
	url, err := goproxy.FirstProxy("file://" + filepath.ToSlash(dir) + "/,direct")
	require.NoError(t, err)
	c := &goproxy.Client{URL: url}
	info, err := c.Info(context.Background(), "github.com/Example/m", "v0.13.0")
	require.NoError(t, err)
	require.Equal(t, "v0.13.0", info.Version)
	res, err := c.Check(context.Background(), []goproxy.Module{
		{Path: "github.com/Example/m", Version: "v0.13.0", Commit: commit},
		{Path: "github.com/Example/m", Version: "v0.14.0", Commit: commit},
	})
	require.NoError(t, err)
	require.Equal(t, goproxy.Known, res[0].Answer)
	require.Equal(t, goproxy.Unknown, res[1].Answer)
}

func TestUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close()
	c := &goproxy.Client{URL: srv.URL}
	res, err := c.Check(context.Background(), []goproxy.Module{{Path: caa, Version: "v0.13.0", Commit: commit}, {Path: "example.com/m", Version: "v0.13.0", Commit: commit}})
	require.ErrorIs(t, err, goproxy.ErrUnreachable)
	require.ErrorContains(t, err, "proxy unreachable")
	require.Len(t, res, 2, "every module has a result")
	require.Equal(t, goproxy.Unreachable, res[1].Answer)
	require.Equal(t, "unreachable", res[1].Answer.String())
	err = c.Warm(context.Background(), []goproxy.Module{{Path: caa, Version: "v0.13.0", Commit: commit}}, goproxy.WarmOptions{})
	require.ErrorIs(t, err, goproxy.ErrUnreachable, "not retried: only not-found is")

}

// TestFailed: a proxy that was reached and answered badly is not
// "unreachable": a 5xx, no answer within the timeout and an answer that
// does not decode fail (ErrFailed), a 403 is refused (ErrRefused); Check
// then gives no results, and Warm stops.
func TestFailed(t *testing.T) {
	serve := func(status int, body string) string {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(status)
			io.WriteString(w, body)
		}))
		t.Cleanup(srv.Close)
		return srv.URL
	}
	silent := nettest.Silent(t)
	for _, tc := range []struct {
		name, url, want string
		is              error
	}{
		{"502", serve(http.StatusBadGateway, "oops"), "the proxy failed to answer: " + "http://", goproxy.ErrFailed},
		{"unreadable", serve(http.StatusOK, "{not json"), "does not decode", goproxy.ErrFailed},
		{"no answer", "http://" + silent, "within 200ms", goproxy.ErrFailed},
		{"403", serve(http.StatusForbidden, "no"), "refused by the proxy: ", goproxy.ErrRefused},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &goproxy.Client{URL: tc.url, Timeout: 200 * time.Millisecond}
			start := time.Now()
			_, err := c.Info(context.Background(), caa, "v0.13.0")
			require.ErrorIs(t, err, tc.is)
			require.ErrorContains(t, err, tc.want)
			require.NotErrorIs(t, err, goproxy.ErrUnreachable)
			require.Less(t, time.Since(start), 5*time.Second)
			res, err := c.Check(context.Background(), []goproxy.Module{{Path: caa, Version: "v0.13.0", Commit: commit}})
			require.ErrorIs(t, err, tc.is)
			require.Nil(t, res)
			err = c.Warm(context.Background(), []goproxy.Module{{Path: caa, Version: "v0.13.0", Commit: commit}}, goproxy.WarmOptions{})
			require.ErrorIs(t, err, tc.is, "not retried: only not-found is")
		})
	}
}

func TestWarm(t *testing.T) {
	p := &proxy{known: map[string]string{caa + "@v0.13.0": commit}, misses: map[string]int{caa: 2}}
	srv := httptest.NewServer(p)
	defer srv.Close()
	c := &goproxy.Client{URL: srv.URL}
	var slept []time.Duration
	o := goproxy.WarmOptions{Initial: time.Second, MaxWait: 10 * time.Second, Sleep: func(_ context.Context, d time.Duration) error {
		slept = append(slept, d)
		return nil
	}}
	require.NoError(t, c.Warm(context.Background(), []goproxy.Module{{Path: caa, Version: "v0.13.0", Commit: commit}}, o))
	require.Equal(t, []time.Duration{time.Second, 2 * time.Second}, slept, "not found twice, then found")

	// A version that never appears gives up after MaxWait, the last
	// sleep cut to fit.
	slept = nil
	err := c.Warm(context.Background(), []goproxy.Module{{Path: "example.com/never", Version: "v0.13.0", Commit: commit}}, o)
	require.ErrorIs(t, err, goproxy.ErrNotFound)
	require.ErrorContains(t, err, "still not found after 10s")
	require.Equal(t, []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 3 * time.Second}, slept)

	// The proxy holding another commit is an error.
	err = c.Warm(context.Background(), []goproxy.Module{{Path: caa, Version: "v0.13.0", Commit: other}}, o)
	require.ErrorIs(t, err, goproxy.ErrConflict)
	require.ErrorContains(t, err, "at another commit: it has 410154b63f1a, not the tagged b2de40ea39b8")

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err = c.Warm(ctx, []goproxy.Module{{Path: "example.com/never", Version: "v0.13.0", Commit: commit}}, goproxy.WarmOptions{Initial: time.Hour})
	require.True(t, errors.Is(err, context.Canceled) || errors.Is(err, goproxy.ErrUnreachable), err)
}

// TestWarmClock: the bound is on the whole call, all modules together, by
// the injected clock; delays double up to MaxDelay; progress goes to Out.
func TestWarmClock(t *testing.T) {
	p := &proxy{known: map[string]string{"example.com/a@v0.13.0": commit, "example.com/b@v0.13.0": commit}, misses: map[string]int{"example.com/a": 3, "example.com/b": 9}}
	srv := httptest.NewServer(p)
	defer srv.Close()
	now := time.Date(2025, 3, 28, 12, 0, 0, 0, time.UTC)
	var slept []time.Duration
	var out strings.Builder
	o := goproxy.WarmOptions{
		Initial: time.Second, MaxDelay: 4 * time.Second, MaxWait: 20 * time.Second, Out: &out,
		Now: func() time.Time { return now },
		Sleep: func(_ context.Context, d time.Duration) error {
			slept = append(slept, d)
			now = now.Add(d + time.Second) // each request takes a second too
			return nil
		},
	}
	mods := []goproxy.Module{{Path: "example.com/a", Version: "v0.13.0", Commit: commit}, {Path: "example.com/b", Version: "v0.13.0", Commit: commit}}
	err := (&goproxy.Client{URL: srv.URL}).Warm(context.Background(), mods, o)
	require.ErrorIs(t, err, goproxy.ErrNotFound)
	require.ErrorContains(t, err, "warm example.com/b@v0.13.0: still not found after 20s")
	// a: 1+2+4 (+3s of requests) = 10s; b: 1 (12s), 2 (15s), 4 (20s): spent.
	require.Equal(t, []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, time.Second, 2 * time.Second, 4 * time.Second}, slept)
	require.Contains(t, out.String(), "proxy: example.com/a@v0.13.0 not there yet; asking again in 1s\n")
	require.Equal(t, 6, strings.Count(out.String(), "\n"))
}
