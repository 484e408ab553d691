package github

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	gogithub "github.com/google/go-github/v84/github"

	"github.com/confidential-containers/release-tools/internal/redact"
)

// Error is a failed GitHub request: what was being done, GitHub's status
// (0 when no answer came) and its message, with the token cut out. It
// wraps the sentinels that classify it ([ErrUnavailable],
// [ErrRateLimited], [ErrNeedsAdmin]), a refused redirect's
// [*RedirectError] and the context's error when that ended the request;
// never go-github's error values.
type Error struct {
	Op         string
	StatusCode int
	Message    string
	Hint       string    // what to do, when known
	Reset      time.Time // when a rate limit resets, if GitHub said; else zero
	errs       []error   // sentinels and the context's error, for errors.Is
}

func (e *Error) Error() string {
	msg := "github: " + e.Op + ": "
	if e.StatusCode != 0 {
		msg += fmt.Sprintf("GitHub answered %d %s: ", e.StatusCode, http.StatusText(e.StatusCode))
	}
	msg += e.Message
	if e.Hint != "" {
		msg += ": " + e.Hint
	}
	return msg
}

// Unwrap returns the sentinels e wraps.
func (e *Error) Unwrap() []error { return e.errs }

// check turns the outcome of a go-github call into an error: err rebuilt
// by [Client.fail], or, when the call succeeded but the answer is not
// JSON (a 200 with an empty body or a web page reads as "nothing" to
// go-github), a not-JSON error.
func (c *Client) check(op string, resp *gogithub.Response, err error) error {
	if err != nil {
		return c.fail(op, resp, err)
	}
	if hr := httpResponse(resp); hr != nil && !isJSON(hr) {
		return c.notJSON(&Error{Op: op}, hr, nil)
	}
	return nil
}

// fail rebuilds a go-github error as an [*Error] that cannot hold the
// token: only the status and message strings are kept, the token cut out
// of them, never the request.
func (c *Client) fail(op string, resp *gogithub.Response, err error) *Error {
	e := &Error{Op: op}
	var (
		rate  *gogithub.RateLimitError
		abuse *gogithub.AbuseRateLimitError
		eresp *gogithub.ErrorResponse
		redir *RedirectError
	)
	hr := httpResponse(resp)
	switch {
	case errors.As(err, &redir):
		e.Message = redir.Error()
		e.errs = []error{ErrUnavailable, redir} // it holds no header, only URLs without credentials
	case errors.As(err, &rate):
		e.StatusCode = status(rate.Response)
		e.Message = rate.Message
		if notAsked(rate.Message) {
			e.StatusCode, e.Message = 0, "not asked: an earlier answer said the rate limit is exhausted"
		}
		e.Reset = rate.Rate.Reset.Time
		c.rateLimited(e)
	case errors.As(err, &abuse):
		e.StatusCode = status(abuse.Response)
		e.Message = abuse.Message + " (secondary rate limit)"
		if notAsked(abuse.Message) {
			e.StatusCode, e.Message = 0, "not asked: an earlier answer said the secondary rate limit is exhausted"
		}
		if abuse.RetryAfter != nil {
			e.Reset = time.Now().Add(*abuse.RetryAfter)
		}
		c.rateLimited(e)
	case errors.As(err, &eresp) && status(eresp.Response) == http.StatusTooManyRequests:
		e.StatusCode = http.StatusTooManyRequests
		e.Message = eresp.Message
		e.Reset = resetOf(eresp.Response.Header)
		c.rateLimited(e)
	case hr != nil && (!isJSON(hr) || badJSON(err)):
		c.notJSON(e, hr, err)
	case errors.As(err, &eresp):
		e.StatusCode = status(eresp.Response)
		e.Message = eresp.Message
		for _, d := range eresp.Errors {
			e.Message += fmt.Sprintf("; %s %s %s %s", d.Resource, d.Field, d.Code, d.Message)
		}
		switch {
		case e.StatusCode == http.StatusUnauthorized:
			e.errs = []error{ErrUnavailable}
			e.Hint = "the token is not valid (mistyped, expired or revoked?)"
		case e.StatusCode >= 500:
			e.errs = []error{ErrUnavailable}
		}
	default:
		e.Message = err.Error()
		e.errs = []error{ErrUnavailable}
		switch {
		case errors.Is(err, context.Canceled):
			e.errs = append(e.errs, context.Canceled)
		case errors.Is(err, context.DeadlineExceeded):
			e.errs = append(e.errs, context.DeadlineExceeded)
		}
	}
	e.Message = c.redact(strings.TrimSpace(e.Message))
	return e
}

// rateLimited marks e as a rate limit and says when it resets.
func (c *Client) rateLimited(e *Error) {
	e.errs = []error{ErrUnavailable, ErrRateLimited}
	if e.Reset.IsZero() {
		e.Hint = "GitHub's rate limit is exhausted; try again later"
		return
	}
	e.Hint = fmt.Sprintf("GitHub's rate limit is exhausted until %s (in %s); try again then",
		e.Reset.UTC().Format(time.RFC3339), max(time.Until(e.Reset), 0).Round(time.Second))
}

// notJSON fills e for an answer that is not JSON, which the API never
// sends: the API URL most likely points at something else. decodeErr is
// the JSON decoder's error, if any.
func (c *Client) notJSON(e *Error, hr *http.Response, decodeErr error) *Error {
	e.StatusCode = hr.StatusCode
	ct := hr.Header.Get("Content-Type")
	what := "an answer with no content type"
	if ct != "" {
		what = fmt.Sprintf("a %q answer", ct)
	}
	e.Message = what + ", not JSON"
	if isJSON(hr) && badJSON(decodeErr) {
		e.Message = fmt.Sprintf("%s that does not read as JSON (%v)", what, decodeErr)
	}
	if hr.Request != nil && hr.Request.URL != nil {
		e.Message += fmt.Sprintf(", to %s %s", hr.Request.Method, redact.URL(hr.Request.URL.String()))
	}
	e.Message = c.redact(e.Message)
	e.Hint = "this is not GitHub's REST API: GITHUB_API_URL may be wrong (it should be like https://github.example.com/api/v3, or unset for github.com)"
	e.errs = []error{ErrUnavailable}
	return e
}

// notAsked reports whether a go-github rate limit error message is its
// own: it makes no request while an earlier answer's limit lasts, and
// reports a 403 that GitHub did not send.
func notAsked(msg string) bool { return strings.Contains(msg, "not making remote request") }

// badJSON reports whether err is a JSON decoder's: the answer's body is
// not the JSON its content type claims.
func badJSON(err error) bool {
	var (
		syntax *json.SyntaxError
		typ    *json.UnmarshalTypeError
	)
	return errors.As(err, &syntax) || errors.As(err, &typ) || errors.Is(err, io.ErrUnexpectedEOF)
}

func httpResponse(resp *gogithub.Response) *http.Response {
	if resp == nil {
		return nil
	}
	return resp.Response
}

// isJSON reports whether hr is a JSON answer, or one without a body
// (204, 304).
func isJSON(hr *http.Response) bool {
	if hr.StatusCode == http.StatusNoContent || hr.StatusCode == http.StatusNotModified {
		return true
	}
	mt, _, err := mime.ParseMediaType(hr.Header.Get("Content-Type"))
	return err == nil && (mt == "application/json" || strings.HasSuffix(mt, "+json"))
}

// resetOf is when a rate limit resets by GitHub's headers: Retry-After
// (seconds) or X-RateLimit-Reset (Unix time); zero when neither says.
func resetOf(h http.Header) time.Time {
	if s, err := strconv.Atoi(h.Get("Retry-After")); err == nil {
		return time.Now().Add(time.Duration(s) * time.Second)
	}
	if s, err := strconv.ParseInt(h.Get(gogithub.HeaderRateReset), 10, 64); err == nil {
		return time.Unix(s, 0)
	}
	return time.Time{}
}

func status(r *http.Response) int {
	if r == nil {
		return 0
	}
	return r.StatusCode
}

// has reports whether a GitHub error detail has code.
func has(err error, code string) bool {
	var resp *gogithub.ErrorResponse
	if !errors.As(err, &resp) {
		return false
	}
	for _, d := range resp.Errors {
		if d.Code == code {
			return true
		}
	}
	return false
}
