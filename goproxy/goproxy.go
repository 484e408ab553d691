// Package goproxy asks a Go module proxy what it knows of a module
// version. The proxy caches the first commit it sees for a version and
// never forgets it, even after the git tag is deleted, so a release checks
// the proxy before it tags ([Client.Check]) and warms it after it pushes
// ([Client.Warm]).
//
// Only the .info endpoint of the GOPROXY protocol is used:
// GET <proxy>/<escaped module path>/@v/<escaped version>.info, whose
// Origin.Hash is the commit the proxy holds. Proxy URLs may be http(s) or
// file:// (a proxy laid out on disk, as the go command accepts). The
// package never reads the environment and prints nothing unless given a
// writer.
package goproxy

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"golang.org/x/mod/module"

	"github.com/confidential-containers/release-tools/internal/reach"
	"github.com/confidential-containers/release-tools/internal/redact"
)

// Sentinel errors, wrapped by the errors this package returns.
var (
	// ErrNotFound: the proxy answered 404 or 410 for the version.
	ErrNotFound = errors.New("not known to the proxy")
	// ErrUnreachable: the proxy could not be reached: its host name does
	// not resolve, or nothing accepts the connection.
	ErrUnreachable = errors.New("proxy unreachable")
	// ErrFailed: the proxy was reached and failed to answer: a 5xx or
	// another unexpected status, no answer within the timeout, or an
	// answer that does not read. Nothing may be decided on it.
	ErrFailed = errors.New("the proxy failed to answer")
	// ErrRefused: the proxy refused the request (401 or 403): it will not
	// serve that module to this client.
	ErrRefused = errors.New("refused by the proxy")
	// ErrNoProxy: GOPROXY names no proxy ("off", or only "direct").
	ErrNoProxy = errors.New("no module proxy in GOPROXY")
	// ErrFileProxy: a file:// proxy serves what is on disk and fetches
	// nothing, so it cannot be warmed.
	ErrFileProxy = errors.New("it serves what is on disk and fetches nothing")
	// ErrConflict: the proxy holds the version at another commit.
	ErrConflict = errors.New("the module proxy holds the version at another commit")
)

// DefaultProxy is what an empty GOPROXY means to the go command.
const DefaultProxy = "https://proxy.golang.org"

// FirstProxy returns the first entry of a GOPROXY list (comma or pipe
// separated) that is a proxy URL, not "off" or "direct", without a
// trailing slash. An empty list means [DefaultProxy], as for the go
// command. "off" before any proxy, or a list of only "direct", is
// [ErrNoProxy]; an entry that is not an http(s) or file URL is an error.
// Errors quote GOPROXY without the credentials its URLs may carry.
func FirstProxy(goproxy string) (_ string, err error) {
	defer func() { err = redact.Error(err) }()
	if strings.TrimSpace(goproxy) == "" {
		return DefaultProxy, nil
	}
	for _, e := range strings.FieldsFunc(goproxy, func(r rune) bool { return r == ',' || r == '|' }) {
		switch e = strings.TrimSpace(e); e {
		case "direct", "":
		case "off":
			return "", fmt.Errorf("goproxy: %w: GOPROXY=%q turns the proxy off", ErrNoProxy, goproxy)
		default:
			if !strings.HasPrefix(e, "https://") && !strings.HasPrefix(e, "http://") && !strings.HasPrefix(e, "file://") {
				return "", fmt.Errorf("goproxy: GOPROXY=%q: entry %q is not an http(s):// or file:// URL, \"direct\" or \"off\"", goproxy, e)
			}
			return strings.TrimRight(e, "/"), nil
		}
	}
	return "", fmt.Errorf("goproxy: %w: GOPROXY=%q names none", ErrNoProxy, goproxy)
}

// Origin is where the proxy got a version from; Hash is the commit.
type Origin struct {
	VCS, URL, Subdir, Ref, Hash string
}

// Info is the proxy's answer to <module>/@v/<version>.info. Origin is nil
// when the proxy does not say (older proxies, file:// proxies).
type Info struct {
	Version string
	Time    time.Time
	Origin  *Origin
}

// Client asks one proxy. The zero HTTP field means http.DefaultClient; a
// file:// URL is read from disk whatever HTTP is.
type Client struct {
	URL  string       // the proxy's base URL, from [FirstProxy]
	HTTP *http.Client // nil means http.DefaultClient
	// Timeout bounds each request, its answer read; zero means 30
	// seconds.
	Timeout time.Duration
}

// maxInfo bounds the size of an .info answer read.
const maxInfo = 1 << 20

// Info returns what the proxy knows of modulePath@version: an error
// wrapping [ErrNotFound] if nothing, [ErrUnreachable] if the proxy could
// not be reached, [ErrRefused] for a 401 or 403, and [ErrFailed] for any
// other failure to answer (a 5xx, no answer within the timeout, an answer
// that does not decode). An invalid module path or a version that is not canonical for it
// ([module.Check]) is an error before any request. No error carries the
// credentials of the proxy's URL.
func (c *Client) Info(ctx context.Context, modulePath, version string) (_ *Info, err error) {
	defer func() { err = redact.Error(err) }()
	if err := module.Check(modulePath, version); err != nil {
		return nil, fmt.Errorf("goproxy: %w", err)
	}
	escPath, err := module.EscapePath(modulePath)
	if err != nil {
		return nil, fmt.Errorf("goproxy: module path %q: %w", modulePath, err)
	}
	escVer, err := module.EscapeVersion(version)
	if err != nil {
		return nil, fmt.Errorf("goproxy: %s: version %q: %w", modulePath, version, err)
	}
	parent := ctx
	timeout := reach.Timeout(c.Timeout)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.URL+"/"+escPath+"/@v/"+escVer+".info", nil)
	if err != nil {
		return nil, fmt.Errorf("goproxy: proxy URL %q: %w", c.URL, err)
	}
	// failed says why the answer was not had: the caller's context ended,
	// the proxy could not be reached, or it did not answer in time.
	failed := func(err error) error {
		switch {
		case parent.Err() != nil:
			return fmt.Errorf("goproxy: ask %s about %s@%s: %w", c.URL, modulePath, version, parent.Err())
		case reach.Unreachable(err):
			return fmt.Errorf("goproxy: %w: %s: %v", ErrUnreachable, c.URL, err)
		case ctx.Err() != nil:
			return fmt.Errorf("goproxy: %w: %s: no answer for %s@%s within %s: %v", ErrFailed, c.URL, modulePath, version, timeout, err)
		}
		return fmt.Errorf("goproxy: %w: %s: %s@%s: %v", ErrFailed, c.URL, modulePath, version, err)
	}
	resp, err := c.client().Do(req)
	if err != nil {
		return nil, failed(err)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone:
		return nil, fmt.Errorf("goproxy: %s@%s: %w", modulePath, version, ErrNotFound)
	case resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusUnauthorized:
		return nil, fmt.Errorf("goproxy: %w: %s answered %s for %s@%s", ErrRefused, c.URL, resp.Status, modulePath, version)
	case resp.StatusCode != http.StatusOK:
		return nil, fmt.Errorf("goproxy: %w: %s answered %s for %s@%s", ErrFailed, c.URL, resp.Status, modulePath, version)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxInfo))
	if err != nil {
		return nil, failed(err)
	}
	var info Info
	if err := json.Unmarshal(data, &info); err != nil {
		return nil, fmt.Errorf("goproxy: %w: %s@%s: the answer of %s does not decode: %v", ErrFailed, modulePath, version, c.URL, err)
	}
	return &info, nil
}

// client is the HTTP client for c.URL: a file transport for file:// URLs.
func (c *Client) client() *http.Client {
	if strings.HasPrefix(c.URL, "file://") {
		t := &http.Transport{}
		t.RegisterProtocol("file", http.NewFileTransport(http.Dir("/")))
		return &http.Client{Transport: t}
	}
	if c.HTTP != nil {
		return c.HTTP
	}
	return http.DefaultClient
}

func short(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}
