package github

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/confidential-containers/release-tools/internal/redact"
)

// RedirectError is a redirect GitHub's API answered to another host or
// scheme than the API URL's, which the client refuses to follow: it sends
// the token only to the API URL's own scheme and host.
type RedirectError struct {
	To   string // where the redirect leads, without credentials
	Home string // the API URL's scheme and host
}

func (e *RedirectError) Error() string {
	return fmt.Sprintf("the API redirected to %s, another host: the token is only sent to %s (check the API URL)", e.To, e.Home)
}

// onlyTo returns a copy of hc that sends requests only to api's scheme
// and host: it refuses a redirect elsewhere with a [*RedirectError], and
// its transport refuses any other request to another host, so that the
// Authorization header go-github adds never leaves the API's host. hc's
// own redirect policy applies after that check. (On github.com, asset
// uploads go to another host, uploads.github.com: this package uploads
// nothing, and would need to allow that host to.)
func onlyTo(hc *http.Client, api *url.URL) *http.Client {
	home := origin(api)
	shown := api.Scheme + "://" + api.Host
	g := *hc
	base := hc.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	g.Transport = hostOnly{home: home, shown: shown, next: base}
	policy := hc.CheckRedirect
	g.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if origin(req.URL) != home {
			return &RedirectError{To: redact.URL(req.URL.String()), Home: shown}
		}
		if policy != nil {
			return policy(req, via)
		}
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
	return &g
}

// hostOnly is a transport that refuses requests to another origin than
// home.
type hostOnly struct {
	home, shown string
	next        http.RoundTripper
}

func (h hostOnly) RoundTrip(req *http.Request) (*http.Response, error) {
	if origin(req.URL) != h.home {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, fmt.Errorf("github: refusing to send a request to %s: the token is only sent to %s", redact.URL(req.URL.Scheme+"://"+req.URL.Host), h.shown)
	}
	return h.next.RoundTrip(req)
}

// origin is u's scheme, host and port, lower-cased, with the scheme's
// default port made explicit.
func origin(u *url.URL) string {
	scheme := strings.ToLower(u.Scheme)
	port := u.Port()
	if port == "" {
		switch scheme {
		case "https":
			port = "443"
		case "http":
			port = "80"
		}
	}
	return scheme + "://" + strings.ToLower(u.Hostname()) + ":" + port
}
