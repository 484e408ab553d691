package github

import (
	"context"
	"fmt"
	"strings"

	gogithub "github.com/google/go-github/v84/github"
)

// Comment is a comment on an issue or pull request.
type Comment struct {
	ID   int64
	Body string
	URL  string // the comment's page (html_url)
}

// On returns a client of the same token and API for another repository,
// owner/repo (an announcement goes to another project's tracking issue).
func (c *Client) On(owner, repo string) (*Client, error) {
	if err := checkRepo(owner, repo); err != nil {
		return nil, err
	}
	o := *c
	o.owner, o.repo = owner, repo
	return &o, nil
}

// FindComment returns the first comment on issue number whose body
// contains marker, or nil when there is none. It changes nothing.
func (c *Client) FindComment(ctx context.Context, number int, marker string) (*Comment, error) {
	opts := &gogithub.IssueListCommentsOptions{ListOptions: gogithub.ListOptions{PerPage: 100}}
	for {
		page, resp, err := c.gh.Issues.ListComments(ctx, c.owner, c.repo, number, opts)
		if err := c.check(fmt.Sprintf("list the comments of issue #%d of %s", number, c.Repo()), resp, err); err != nil {
			return nil, err
		}
		for _, k := range page {
			if strings.Contains(k.GetBody(), marker) {
				return &Comment{ID: k.GetID(), Body: k.GetBody(), URL: k.GetHTMLURL()}, nil
			}
		}
		if resp.NextPage == 0 {
			return nil, nil
		}
		opts.Page = resp.NextPage
	}
}

// AddComment posts body as a comment on issue number.
func (c *Client) AddComment(ctx context.Context, number int, body string) (*Comment, error) {
	k, resp, err := c.gh.Issues.CreateComment(ctx, c.owner, c.repo, number, &gogithub.IssueComment{Body: &body})
	if err := c.check(fmt.Sprintf("comment on issue #%d of %s", number, c.Repo()), resp, err); err != nil {
		return nil, err
	}
	return &Comment{ID: k.GetID(), Body: k.GetBody(), URL: k.GetHTMLURL()}, nil
}
