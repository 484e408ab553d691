package github

import (
	"context"
	"fmt"

	gogithub "github.com/google/go-github/v84/github"
)

// OpenPulls lists the open pull requests into base, newest first. It
// changes nothing. An error wraps [ErrUnavailable] when GitHub could not
// be asked or gave no usable answer.
func (c *Client) OpenPulls(ctx context.Context, base string) ([]Pull, error) {
	var out []Pull
	opts := &gogithub.PullRequestListOptions{State: "open", Base: base, ListOptions: gogithub.ListOptions{PerPage: 100}}
	for {
		page, resp, err := c.gh.PullRequests.List(ctx, c.owner, c.repo, opts)
		if err := c.check(fmt.Sprintf("list the open pull requests into %s of %s", base, c.Repo()), resp, err); err != nil {
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
