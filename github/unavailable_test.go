package github_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	gogithub "github.com/google/go-github/v84/github"
	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/github"
	"github.com/confidential-containers/release-tools/internal/ghfake"
)

// answer is a handler that answers every request with status, content
// type and body.
func answer(status int, contentType, body string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		w.WriteHeader(status)
		fmt.Fprint(w, body)
	})
}

// clientOn returns a client of o/r on an API served by h, with token.
func clientOn(t *testing.T, h http.Handler, tok github.Token) (*github.Client, string) {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c, err := github.New(context.Background(), github.Options{Token: tok, APIURL: srv.URL, Owner: "o", Repo: "r"})
	require.NoError(t, err)
	return c, srv.URL
}

// TestUnavailable: when GitHub could not be asked, or gave no usable
// answer, FindRelease and LockState fail with ErrUnavailable: never "no
// release" or "not locked", and never ErrNeedsAdmin.
func TestUnavailable(t *testing.T) {
	closed := httptest.NewServer(answer(200, "application/json", "[]"))
	closed.Close()
	for _, tc := range []struct {
		name string
		h    http.Handler
		tok  github.Token
		want string // in the error of FindRelease
	}{
		{"bad credentials", &ghfake.Server{Admin: true}, token + "X", "GitHub answered 401 Unauthorized: Bad credentials: the token is not valid"},
		{"server error", answer(500, "application/json", `{"message":"Server Error"}`), token, "GitHub answered 500 Internal Server Error: Server Error"},
		{"proxy error page", answer(502, "text/html", "<html>Bad Gateway</html>"), token, `GitHub answered 502 Bad Gateway: a "text/html" answer, not JSON`},
		{"binary 200", answer(200, "application/octet-stream", "\x00\x01\x02"), token, `GitHub answered 200 OK: a "application/octet-stream" answer, not JSON`},
		{"binary 200 called JSON", answer(200, "application/json", "\x00\x01\x02"), token, `GitHub answered 200 OK: a "application/json" answer that does not read as JSON (invalid character '\x00' looking for beginning of value), to GET`},
		{"truncated JSON", answer(200, "application/json", `[{"tag_name": "v0.1`), token, "does not read as JSON (unexpected EOF)"},
		{"empty 200", answer(200, "", ""), token, "GitHub answered 200 OK: an answer with no content type, not JSON"},
		{"web page 404", answer(404, "text/html", "<html>Not Found</html>"), token, `GitHub answered 404 Not Found: a "text/html" answer, not JSON`},
		{"no server", nil, token, "connection refused"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var c *github.Client
			if tc.h == nil {
				var err error
				c, err = github.New(context.Background(), github.Options{Token: tc.tok, APIURL: closed.URL, Owner: "o", Repo: "r"})
				require.NoError(t, err)
			} else {
				c, _ = clientOn(t, tc.h, tc.tok)
			}
			r, err := c.FindRelease(context.Background(), "v0.13.0")
			require.Nil(t, r)
			require.ErrorIs(t, err, github.ErrUnavailable)
			require.ErrorContains(t, err, tc.want)
			require.NotErrorIs(t, err, github.ErrRateLimited)

			_, err = c.LockState(context.Background(), "main")
			require.ErrorIs(t, err, github.ErrUnavailable)
			require.NotErrorIs(t, err, github.ErrNeedsAdmin)
		})
	}
}

// TestNotJSON: an answer that is not JSON names the request, the status
// and the content type, and says the API URL may be wrong, instead of
// go-github's "invalid character '\x00'".
func TestNotJSON(t *testing.T) {
	c, url := clientOn(t, answer(200, "application/octet-stream", "\x00\x00garbage"), token)
	_, err := c.FindRelease(context.Background(), "v0.13.0")
	require.EqualError(t, err, `github: list the releases of o/r: GitHub answered 200 OK: a "application/octet-stream" answer, not JSON, to GET `+url+
		`/api/v3/repos/o/r/releases?per_page=100: this is not GitHub's REST API: GITHUB_API_URL may be wrong (it should be like https://github.example.com/api/v3, or unset for github.com)`)
	var e *github.Error
	require.ErrorAs(t, err, &e)
	require.Equal(t, 200, e.StatusCode)
}

// TestFoundOrNot: what is not there is no error, and no unavailability.
func TestFoundOrNot(t *testing.T) {
	f := &ghfake.Server{Admin: true, Releases: history(), Protection: map[string]*gogithub.Protection{}}
	c := newFake(t, f)
	r, err := c.FindRelease(context.Background(), "v9.9.9")
	require.NoError(t, err)
	require.Nil(t, r)
	locked, err := c.LockState(context.Background(), "main")
	require.NoError(t, err)
	require.False(t, locked)

	f.Admin = false
	_, err = c.LockState(context.Background(), "main")
	require.ErrorIs(t, err, github.ErrNeedsAdmin)
	require.NotErrorIs(t, err, github.ErrUnavailable, "GitHub answered: the token lacks rights")
}

// TestRateLimited: a rate limit is told apart from missing admin rights,
// and says when it resets.
func TestRateLimited(t *testing.T) {
	reset := time.Now().Add(41 * time.Minute).Truncate(time.Second)
	secondary := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Retry-After", "60")
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprint(w, `{"message":"You have exceeded a secondary rate limit.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"}`)
	})
	tooMany := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-RateLimit-Reset", fmt.Sprint(reset.Unix()))
		w.WriteHeader(http.StatusTooManyRequests)
		fmt.Fprint(w, `{"message":"Too many requests"}`)
	})
	for _, tc := range []struct {
		name      string
		h         http.Handler
		want      string
		wantReset time.Time // zero: about a minute from now
	}{
		{"primary", &ghfake.Server{Admin: true, RateLimitReset: reset}, "GitHub answered 403 Forbidden: API rate limit exceeded for user ID 1.: GitHub's rate limit is exhausted until " + reset.UTC().Format(time.RFC3339), reset},
		{"secondary", secondary, "GitHub answered 403 Forbidden: You have exceeded a secondary rate limit. (secondary rate limit): GitHub's rate limit is exhausted until", time.Time{}},
		{"429", tooMany, "GitHub answered 429 Too Many Requests: Too many requests: GitHub's rate limit is exhausted until " + reset.UTC().Format(time.RFC3339), reset},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := clientOn(t, tc.h, token)
			for i, op := range []func() error{
				func() error { _, err := c.LockState(context.Background(), "main"); return err },
				func() error { _, err := c.Lock(context.Background(), "main", true); return err },
				func() error { _, err := c.FindRelease(context.Background(), "v0.13.0"); return err },
			} {
				err := op()
				require.ErrorIs(t, err, github.ErrRateLimited)
				require.ErrorIs(t, err, github.ErrUnavailable)
				require.NotErrorIs(t, err, github.ErrNeedsAdmin)
				require.NotContains(t, err.Error(), "admin")
				if i == 0 {
					require.ErrorContains(t, err, tc.want)
				} else {
					require.ErrorContains(t, err, ": not asked: an earlier answer said the", "go-github asks no more")
				}
				var e *github.Error
				require.True(t, errors.As(err, &e))
				if tc.wantReset.IsZero() {
					require.WithinDuration(t, time.Now().Add(time.Minute), e.Reset, 5*time.Second)
				} else {
					require.True(t, e.Reset.Equal(tc.wantReset), "%v", e.Reset)
				}
			}
		})
	}
}
