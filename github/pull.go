package github

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	gogithub "github.com/google/go-github/v84/github"
)

// Pull is a pull request as this package reports it.
type Pull struct {
	Number      int
	Title, Body string
	// Head is the head's label, "owner:branch"; HeadSHA the commit it was
	// at when GitHub answered (for a merged pull request, the last one).
	Head, HeadSHA string
	Base          string // the branch it merges into
	Open          bool   // state "open"; else closed
	Merged        bool
	Draft         bool
	URL           string // the pull request's page
}

// NewPull is a pull request to open with [Client.CreatePull].
type NewPull struct {
	Title, Body string
	// Head is the branch of this repository, or "owner:branch" for a
	// branch of a fork.
	Head  string
	Base  string
	Draft bool
}

// Owner is the repository's owner.
func (c *Client) Owner() string { return c.owner }

// FindPulls lists the pull requests, open or closed, from head
// ("owner:branch") into base, newest first. It changes nothing. An empty
// list means there is none; an error wraps [ErrUnavailable] when GitHub
// could not be asked or gave no usable answer.
func (c *Client) FindPulls(ctx context.Context, head, base string) ([]Pull, error) {
	if !strings.Contains(head, ":") {
		return nil, fmt.Errorf("github: pull request head %q is not owner:branch", head)
	}
	var out []Pull
	opts := &gogithub.PullRequestListOptions{State: "all", Head: head, Base: base, ListOptions: gogithub.ListOptions{PerPage: 100}}
	for {
		page, resp, err := c.gh.PullRequests.List(ctx, c.owner, c.repo, opts)
		if err := c.check(fmt.Sprintf("list the pull requests from %s into %s of %s", head, base, c.Repo()), resp, err); err != nil {
			return nil, err
		}
		for _, p := range page {
			out = append(out, pull(p))
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opts.Page = resp.NextPage
	}
}

// ErrPullExists is returned, wrapped, by [Client.CreatePull] when GitHub
// refuses the pull request because an open one from the same head into
// the same base exists (one opened since the caller looked): find it with
// [Client.FindPulls].
var ErrPullExists = errors.New("a pull request from this head into this base is open already")

// CreatePull opens the pull request p. GitHub refuses one when an open
// pull request from the same head into the same base exists: look first
// with [Client.FindPulls]; one opened since is an error wrapping
// [ErrPullExists].
func (c *Client) CreatePull(ctx context.Context, p NewPull) (*Pull, error) {
	r, resp, err := c.gh.PullRequests.Create(ctx, c.owner, c.repo, &gogithub.NewPullRequest{
		Title: &p.Title, Body: &p.Body, Head: &p.Head, Base: &p.Base, Draft: &p.Draft,
	})
	if cerr := c.check(fmt.Sprintf("open a pull request from %s into %s of %s", p.Head, p.Base, c.Repo()), resp, err); cerr != nil {
		var e *Error
		if errors.As(cerr, &e) && e.StatusCode == http.StatusUnprocessableEntity && pullExists(err) {
			e.errs = append(e.errs, ErrPullExists)
		}
		return nil, cerr
	}
	created := pull(r)
	return &created, nil
}

// EditPullBody sets the body of pull request number; nothing else of it
// changes.
func (c *Client) EditPullBody(ctx context.Context, number int, body string) (*Pull, error) {
	r, resp, err := c.gh.PullRequests.Edit(ctx, c.owner, c.repo, number, &gogithub.PullRequest{Body: &body})
	if err := c.check(fmt.Sprintf("update the body of pull request #%d of %s", number, c.Repo()), resp, err); err != nil {
		return nil, err
	}
	edited := pull(r)
	return &edited, nil
}

// pullExists reports whether err is GitHub's 422 for a pull request that
// exists: "A pull request already exists for owner:branch."
func pullExists(err error) bool {
	var resp *gogithub.ErrorResponse
	if !errors.As(err, &resp) {
		return false
	}
	for _, d := range resp.Errors {
		if strings.Contains(d.Message, "A pull request already exists") {
			return true
		}
	}
	return strings.Contains(resp.Message, "A pull request already exists")
}

func pull(p *gogithub.PullRequest) Pull {
	return Pull{
		Number: p.GetNumber(), Title: p.GetTitle(), Body: p.GetBody(),
		Head: p.GetHead().GetLabel(), HeadSHA: p.GetHead().GetSHA(), Base: p.GetBase().GetRef(),
		Open: p.GetState() == "open", Merged: p.GetMerged() || p.MergedAt != nil, Draft: p.GetDraft(),
		URL: p.GetHTMLURL(),
	}
}
