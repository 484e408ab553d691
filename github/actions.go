package github

import (
	"context"
	"fmt"

	gogithub "github.com/google/go-github/v84/github"
)

// Run is a workflow run as this package reports it.
type Run struct {
	ID      int64
	Name    string // the workflow's name
	Event   string // what started it ("release")
	HeadSHA string
	// Status is GitHub's: "queued", "in_progress", "waiting", "pending",
	// "requested" or "completed"; Conclusion is set once completed:
	// "success", "failure", "cancelled", "skipped", "timed_out",
	// "action_required", "neutral", "stale" or "startup_failure".
	Status, Conclusion string
	URL                string // the run's page (html_url)
}

// Job is one job of a workflow run.
type Job struct {
	ID                 int64
	Name               string
	Status, Conclusion string // as [Run]'s
	URL                string // the job's page (html_url)
}

// Done reports whether the run or job has finished.
func (r Run) Done() bool { return r.Status == "completed" }

// Done reports whether the job has finished.
func (j Job) Done() bool { return j.Status == "completed" }

// Green reports whether a finished job or run counts as passed: success,
// or skipped or neutral (a job a condition left out).
func Green(conclusion string) bool {
	switch conclusion {
	case "success", "skipped", "neutral":
		return true
	}
	return false
}

// Runs lists the workflow runs that event started on commit headSHA,
// newest first. It changes nothing. An error wraps [ErrUnavailable] when
// GitHub could not be asked or gave no usable answer.
func (c *Client) Runs(ctx context.Context, event, headSHA string) ([]Run, error) {
	var out []Run
	opts := &gogithub.ListWorkflowRunsOptions{Event: event, HeadSHA: headSHA, ListOptions: gogithub.ListOptions{PerPage: 100}}
	for {
		page, resp, err := c.gh.Actions.ListRepositoryWorkflowRuns(ctx, c.owner, c.repo, opts)
		if err := c.check(fmt.Sprintf("list the workflow runs of event %s on %s of %s", event, headSHA, c.Repo()), resp, err); err != nil {
			return nil, err
		}
		for _, r := range page.WorkflowRuns {
			out = append(out, Run{
				ID: r.GetID(), Name: r.GetName(), Event: r.GetEvent(), HeadSHA: r.GetHeadSHA(),
				Status: r.GetStatus(), Conclusion: r.GetConclusion(), URL: r.GetHTMLURL(),
			})
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opts.Page = resp.NextPage
	}
}

// Jobs lists the jobs of the latest attempt of workflow run id. It
// changes nothing.
func (c *Client) Jobs(ctx context.Context, id int64) ([]Job, error) {
	var out []Job
	opts := &gogithub.ListWorkflowJobsOptions{Filter: "latest", ListOptions: gogithub.ListOptions{PerPage: 100}}
	for {
		page, resp, err := c.gh.Actions.ListWorkflowJobs(ctx, c.owner, c.repo, id, opts)
		if err := c.check(fmt.Sprintf("list the jobs of workflow run %d of %s", id, c.Repo()), resp, err); err != nil {
			return nil, err
		}
		for _, j := range page.Jobs {
			out = append(out, Job{ID: j.GetID(), Name: j.GetName(), Status: j.GetStatus(), Conclusion: j.GetConclusion(), URL: j.GetHTMLURL()})
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opts.Page = resp.NextPage
	}
}
