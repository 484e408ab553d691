// Package github does the release steps that talk to GitHub: it creates
// the GitHub release of a version with GitHub's generated notes
// ([Client.PlanRelease], [ReleasePlan.Apply]) and turns the branch lock on
// and off ([Client.Lock]), and finds, opens and updates pull requests
// ([Client.FindPulls], [Client.CreatePull], [Client.EditPullBody]). It goes through go-github, never hand-written
// HTTP.
//
// Every operation plans before it changes anything, is idempotent (a
// release that exists, drafts included, is left alone; a lock already as
// asked is a no-op) and never forces or deletes anything.
//
// The token is the caller's: the package never reads the environment
// ([FromEnv] reads it through the getenv it is given) and never prints,
// logs or returns it, and sends it only to the API URL's scheme and host
// (a redirect elsewhere is refused). [Token] formats as "[redacted]", and
// every error from GitHub is rebuilt as an [*Error] holding only the
// operation, the status and GitHub's message with the token cut out;
// go-github's error values, which hold the request and its headers, are
// never returned.
package github

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	gogithub "github.com/google/go-github/v84/github"

	"github.com/confidential-containers/release-tools/internal/redact"
)

// Sentinel errors, wrapped by the errors this package returns.
var (
	// ErrNoToken: no token was given (GITHUB_TOKEN is empty).
	ErrNoToken = errors.New("no GitHub token: set GITHUB_TOKEN")
	// ErrNeedsAdmin: GitHub refused a branch protection read or change
	// (403 or 404): the token lacks admin rights on the repository.
	ErrNeedsAdmin = errors.New("the token needs admin rights")
	// ErrUnavailable: GitHub could not be asked, or gave no usable
	// answer: no connection, a timeout or cancellation, a redirect to
	// another host, bad credentials (401), a rate limit, a server error
	// (5xx), or an answer that is not JSON. The check or change was not
	// made: a caller must not read such an error as "not there" or "not
	// locked".
	ErrUnavailable = errors.New("GitHub could not be asked")
	// ErrRateLimited: GitHub's rate limit (primary or secondary) is
	// exhausted; [Error.Reset] says until when, if GitHub said. Errors that
	// wrap it wrap [ErrUnavailable] too.
	ErrRateLimited = errors.New("GitHub's rate limit is exhausted")
)

// Token is a GitHub token. It formats as "[redacted]" with every fmt verb
// and in slog, so that printing an [Options] cannot leak it.
type Token string

// Format writes "[redacted]", whatever the verb.
func (Token) Format(f fmt.State, _ rune) { io.WriteString(f, "[redacted]") }

// LogValue is "[redacted]".
func (Token) LogValue() slog.Value { return slog.StringValue("[redacted]") }

// Options say which repository to work on and how to reach GitHub.
type Options struct {
	Token Token
	// APIURL is the REST API base: "" means https://api.github.com/. Other
	// hosts get "/api/v3/" appended, as GitHub Enterprise Server wants
	// (go-github's WithEnterpriseURLs), unless the URL already ends so.
	APIURL      string
	Owner, Repo string
	// HTTP is the client used; nil means one with a one-minute timeout.
	// [New] uses a copy of it that sends requests, and so the token, only
	// to the API URL's scheme and host: a redirect elsewhere is refused
	// with a [*RedirectError].
	HTTP *http.Client
}

// Client works on one repository as one token.
type Client struct {
	gh          *gogithub.Client
	owner, repo string
	// redact cuts the token out of a string. The token is held only in
	// closures (this one and go-github's transport): fmt prints a func
	// field as an address, whatever the verb, where it would print a
	// string or a pointed-to struct.
	redact func(string) string
}

// New returns a client for o.Owner/o.Repo. It makes no request; ctx is
// for future use. A missing token ([ErrNoToken]), repository, or an API
// URL that is not http(s) or carries credentials, is an error.
func New(ctx context.Context, o Options) (*Client, error) {
	if o.Token == "" {
		return nil, fmt.Errorf("github: %w (a token with contents write rights creates releases; admin rights change the branch lock)", ErrNoToken)
	}
	if err := checkRepo(o.Owner, o.Repo); err != nil {
		return nil, err
	}
	api := &url.URL{Scheme: "https", Host: "api.github.com", Path: "/"}
	if o.APIURL != "" {
		u, err := url.Parse(o.APIURL)
		switch {
		case err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "":
			return nil, fmt.Errorf("github: API URL %q is not an http(s) URL like https://github.example.com/api/v3", redact.URL(o.APIURL))
		case u.User != nil:
			return nil, fmt.Errorf("github: API URL %q carries credentials: give the token as GITHUB_TOKEN instead", redact.URL(o.APIURL))
		}
		api = u
	}
	hc := o.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: time.Minute}
	}
	gh := gogithub.NewClient(onlyTo(hc, api))
	if o.APIURL != "" {
		var err error
		if gh, err = gh.WithEnterpriseURLs(o.APIURL, o.APIURL); err != nil {
			return nil, fmt.Errorf("github: API URL %q: %w", redact.URL(o.APIURL), err)
		}
	}
	tok := string(o.Token)
	redact := func(s string) string { return strings.ReplaceAll(s, tok, "[redacted]") }
	return &Client{gh: gh.WithAuthToken(tok), owner: o.Owner, repo: o.Repo, redact: redact}, nil
}

// Repo is "owner/repo".
func (c *Client) Repo() string { return c.owner + "/" + c.repo }
