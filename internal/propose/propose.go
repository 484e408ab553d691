package targets

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"

	git "github.com/go-git/go-git/v5"

	"github.com/confidential-containers/release-tools/github"
	"github.com/confidential-containers/release-tools/internal/gitremote"
	"github.com/confidential-containers/release-tools/publish"
	"github.com/confidential-containers/release-tools/pullrequest"
	"github.com/confidential-containers/release-tools/release"
)

// proposal is how a committing target proposes its commits: the head
// branch, named for the phase and version, and the steps after the merge
// (printed after the phase when print is set; always in the PR's body).
type proposal struct {
	branch string
	next   []pullrequest.Next
	print  bool
}

// proposer proposes a phase's commits: with PR=1 it pushes them and opens
// or updates the pull request; otherwise it prints how to do that by hand.
// Every question (the GitHub client, the fork's owner) is asked before the
// phase runs.
type proposer struct {
	r      *runner
	repo   release.Repo
	p      proposal
	gh     *github.Client // PR=1 only
	fork   string         // the owner of PR_REMOTE's repository when it is a fork
	before string         // HEAD before the phase
	plan   bytes.Buffer   // what the phase printed
}

func (r *runner) proposer(ctx context.Context, repo release.Repo, p proposal) (*proposer, error) {
	pr := &proposer{r: r, repo: repo, p: p}
	if r.Vars.DryRun || r.Vars.NoCommit {
		return pr, nil
	}
	var err error
	if pr.before, err = pullrequest.Head(ctx, repo.Root); err != nil {
		return nil, err
	}
	if !r.Vars.PR {
		pr.fork, _ = r.fork(repo, nil)
		return pr, nil
	}
	if pr.gh, err = r.github(ctx, repo); err != nil {
		return nil, fmt.Errorf("PR=1: %w", err)
	}
	if pr.fork, err = r.fork(repo, pr.gh); err != nil {
		return nil, err
	}
	return pr, nil
}

// out is where the phase prints: the terminal and the plan kept for the
// PR's body.
func (pr *proposer) out() io.Writer {
	if pr.r.Out == nil {
		return &pr.plan
	}
	return io.MultiWriter(pr.r.Out, &pr.plan)
}

func (pr *proposer) pushRemote() string {
	if pr.r.Vars.PRRemote != "" {
		return pr.r.Vars.PRRemote
	}
	return pr.repo.Config.Remote
}

func (pr *proposer) request(title string) pullrequest.Request {
	cfg := pr.repo.Config
	return pullrequest.Request{
		Root: pr.repo.Root, Remote: cfg.Remote, Base: cfg.Branch, PushRemote: pr.pushRemote(),
		Branch: pr.p.branch, Fork: pr.fork, Title: title, Plan: pr.plan.String(), Next: pr.p.next,
		Draft: pr.r.Vars.PRDraft,
	}
}

// mergePR begins the step that merges the pull request; [countMerge]
// says how many commits it has.
const mergePR = "merge the PR"

// countMerge says in the merge step of next how many commits the pull
// request has: those of HEAD that the remote's release branch lacks (the
// phase's, and any the local branch had before it). Unknown, it says
// "its commits".
func (pr *proposer) countMerge(ctx context.Context, next []pullrequest.Next) []pullrequest.Next {
	with := " with its commits"
	cfg := pr.repo.Config
	if s, err := gitremote.Upstream(ctx, pr.repo.Root, cfg.Remote, cfg.Branch, nil); err == nil && s.Known {
		switch n := len(s.Ahead); n {
		case 0:
			with = ""
		case 1:
			with = " with this commit"
		default:
			with = fmt.Sprintf(" with its %d commits", n)
		}
	}
	out := make([]pullrequest.Next, len(next))
	for i, n := range next {
		if n.Command == "" && strings.HasPrefix(n.What, mergePR) {
			n.What = mergePR + with + strings.TrimPrefix(n.What, mergePR)
		}
		out[i] = n
	}
	return out
}

// done proposes the commits of the phase titled title, which succeeded.
func (pr *proposer) done(ctx context.Context, title string) error {
	r := pr.r
	if r.Vars.DryRun {
		return nil
	}
	pr.p.next = pr.countMerge(ctx, pr.p.next)
	req := pr.request(title)
	switch {
	case r.Vars.NoCommit:
	case r.Vars.PR:
		fmt.Fprintln(r.Out)
		if _, err := pullrequest.Open(ctx, pr.gh, req, r.Out); err != nil {
			if errors.Is(err, pullrequest.ErrBranchTaken) {
				return fmt.Errorf("%w\n(or push to your fork instead: PR_REMOTE=<its remote>, pushed to now: %s)", err, req.PushRemote)
			}
			return err
		}
	default:
		now, err := pullrequest.Head(ctx, pr.repo.Root)
		if err != nil || now == pr.before {
			break
		}
		fmt.Fprintf(r.Out, "\nto propose it, push the branch and open the pull request (PR=1 with GITHUB_TOKEN does both):\n  %s\n", req.PushCommand())
		if host, repo, ok := r.webRepo(pr.repo); ok {
			fmt.Fprintf(r.Out, "  %s\n", req.CompareURL(host, repo))
		} else {
			fmt.Fprintf(r.Out, "  then open a pull request from %s into %s on GitHub\n", req.Branch, req.Base)
		}
	}
	if pr.p.print {
		r.printNext(pr.p.next)
	}
	return nil
}

// webRepo is the host and owner/repo of the release repository on
// GitHub, when the variables or the release remote's URL name it.
func (r *runner) webRepo(repo release.Repo) (host, name string, ok bool) {
	o, err := publish.GitHubOptions(repo, r.Vars.Getenv)
	if err != nil {
		return "", "", false
	}
	host = "github.com"
	if o.APIURL != "" {
		u, err := url.Parse(o.APIURL)
		if err != nil || u.Host == "" {
			return "", "", false
		}
		host = u.Host
	}
	return host, o.Owner + "/" + o.Repo, true
}

// fork is the owner of PR_REMOTE's GitHub repository when it is another
// repository than the release one (gh's, or the one the variables name
// when gh is nil), "" when PR_REMOTE is unset or the release remote.
func (r *runner) fork(repo release.Repo, gh *github.Client) (string, error) {
	name := r.Vars.PRRemote
	if name == "" || name == repo.Config.Remote {
		return "", nil
	}
	g, err := git.PlainOpen(repo.Root)
	if err != nil {
		return "", err
	}
	cfg, err := g.Config()
	if err != nil {
		return "", err
	}
	// The URL as configured: go-git's remote config has git's
	// url.<base>.insteadOf rewrites applied.
	raw := cfg.Raw.Section("remote").Subsection(name).Option("url")
	if raw == "" {
		return "", fmt.Errorf("PR_REMOTE=%s: no such remote in %s (git remote add %s <your fork's URL>)", name, repo.Root, name)
	}
	fork, err := github.ParseRemote(raw)
	if err != nil {
		return "", fmt.Errorf("PR_REMOTE=%s: %w: the head of a pull request from a fork is owner:branch", name, err)
	}
	base := ""
	if gh != nil {
		base = gh.Repo()
	} else if _, b, ok := r.webRepo(repo); ok {
		base = b
	}
	if strings.EqualFold(fork.Owner+"/"+fork.Repo, base) {
		return "", nil
	}
	return fork.Owner, nil
}
