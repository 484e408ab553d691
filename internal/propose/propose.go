// Package propose proposes the commits of a phase for the mage frontend
// (package targets): with PR=1 it pushes them and opens or updates the
// pull request, otherwise it prints how to do that by hand; and it words
// the steps that follow a phase. It is the frontend's, as
// internal/magevars is.
package propose

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/confidential-containers/release-tools/github"
	"github.com/confidential-containers/release-tools/internal/gitremote"
	"github.com/confidential-containers/release-tools/internal/magevars"
	"github.com/confidential-containers/release-tools/internal/run"
	"github.com/confidential-containers/release-tools/publish"
	"github.com/confidential-containers/release-tools/pullrequest"
	"github.com/confidential-containers/release-tools/release"
)

// Proposal is how a committing target proposes its commits: the head
// branch, named for the phase and version, and the steps after the merge
// (printed after the phase when Print is set; always in the PR's body).
type Proposal struct {
	Branch string
	Next   []pullrequest.Next
	Print  bool
	// OnlyOne: with a pull request open from Branch already, the phase
	// does not run ([Proposer.OpenAlready]).
	OnlyOne bool
}

// Env is what a proposer takes of the frontend's runner: the variables,
// where it prints, and how it makes the GitHub client.
type Env struct {
	Vars   magevars.Vars
	Out    io.Writer
	GitHub func(context.Context, release.Repo) (*github.Client, error)
}

// Proposer proposes a phase's commits: with PR=1 it pushes them and opens
// or updates the pull request; otherwise it prints how to do that by hand.
// Every question (the GitHub client, the fork's owner) is asked before the
// phase runs.
type Proposer struct {
	r      Env
	repo   release.Repo
	p      Proposal
	gh     *github.Client // PR=1 only
	fork   string         // the owner of PR_REMOTE's repository when it is a fork
	before string         // HEAD before the phase
	plan   bytes.Buffer   // what the phase printed
	result *pullrequest.Result
}

// New is the proposer of p, for a phase on repo.
func New(ctx context.Context, r Env, repo release.Repo, p Proposal) (*Proposer, error) {
	pr := &Proposer{r: r, repo: repo, p: p}
	if r.Vars.DryRun || r.Vars.NoCommit {
		return pr, nil
	}
	var err error
	if pr.before, err = head(ctx, repo); err != nil {
		return nil, err
	}
	if !r.Vars.PR {
		pr.fork, _ = fork(r, repo, nil)
		return pr, nil
	}
	if pr.gh, err = r.GitHub(ctx, repo); err != nil {
		return nil, fmt.Errorf("PR=1: %w", err)
	}
	if pr.fork, err = fork(r, repo, pr.gh); err != nil {
		return nil, err
	}
	return pr, nil
}

// Out is where the phase prints: the terminal and the plan kept for the
// PR's body.
func (pr *Proposer) Out() io.Writer {
	if pr.r.Out == nil {
		return &pr.plan
	}
	return io.MultiWriter(pr.r.Out, &pr.plan)
}

func (pr *Proposer) pushRemote() string {
	if pr.r.Vars.PRRemote != "" {
		return pr.r.Vars.PRRemote
	}
	return pr.repo.Config.Remote
}

func (pr *Proposer) request(title string) pullrequest.Request {
	cfg := pr.repo.Config
	return pullrequest.Request{
		Root: pr.repo.Root, Remote: cfg.Remote, Base: cfg.Branch, PushRemote: pr.pushRemote(),
		Branch: pr.p.Branch, Fork: pr.fork, Title: title, Plan: pr.plan.String(), Next: pr.p.Next,
		Draft: pr.r.Vars.PRDraft,
	}
}

// MergePR begins the step that merges the pull request; [Proposer.Done]
// says how many commits it has.
const MergePR = "merge the PR"

// countMerge says in the merge step of next how many commits the pull
// request has: those of HEAD that the remote's release branch lacks (the
// phase's, and any the local branch had before it). Unknown, it says
// "its commits".
func (pr *Proposer) countMerge(ctx context.Context, next []pullrequest.Next) []pullrequest.Next {
	with := " with its commits"
	cfg := pr.repo.Config
	var s *gitremote.Standing
	if repo, err := pr.repo.Repository(); err == nil {
		s, _ = gitremote.Upstream(ctx, repo, pr.repo.Root, cfg.Remote, cfg.Branch, nil)
	}
	if s != nil && s.Known {
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
		if n.Command == "" && strings.HasPrefix(n.What, MergePR) {
			n.What = MergePR + with + strings.TrimPrefix(n.What, MergePR)
		}
		out[i] = n
	}
	return out
}

// Done proposes the commits of the phase titled title, which succeeded.
func (pr *Proposer) Done(ctx context.Context, title string) error {
	r := pr.r
	if r.Vars.DryRun {
		return nil
	}
	pr.p.Next = pr.countMerge(ctx, pr.p.Next)
	req := pr.request(title)
	switch {
	case r.Vars.NoCommit:
	case r.Vars.PR:
		fmt.Fprintln(r.Out)
		res, err := pullrequest.Open(ctx, pr.gh, req, r.Out)
		pr.result = res
		if err != nil {
			if errors.Is(err, pullrequest.ErrBranchTaken) {
				return fmt.Errorf("%w\n(or push to your fork instead: PR_REMOTE=<its remote>, pushed to now: %s)", err, req.PushRemote)
			}
			return err
		}
	default:
		now, err := head(ctx, pr.repo)
		if err != nil || now == pr.before {
			break
		}
		fmt.Fprintf(r.Out, "\nto propose it, push the branch and open the pull request (PR=1 with GITHUB_TOKEN does both):\n  %s\n", req.PushCommand())
		if host, repo, ok := webRepo(r, pr.repo); ok {
			fmt.Fprintf(r.Out, "  %s\n", req.CompareURL(host, repo))
		} else {
			fmt.Fprintf(r.Out, "  then open a pull request from %s into %s on GitHub\n", req.Branch, req.Base)
		}
	}
	if pr.p.Print {
		PrintNext(r.Out, pr.p.Next)
	}
	return nil
}

// Step is a step that follows a phase: the fix that is its command, and
// what it does.
type Step struct {
	Fix  release.Fix
	What string
}

// NextSteps are the steps that follow a phase, in order: the merge, the
// tags of version, then the given steps, each command rendered by render
// (the frontend's one renderer of a [release.Fix]).
func NextSteps(version, merge string, then []Step, render func(release.Fix) string) []pullrequest.Next {
	steps := []pullrequest.Next{
		{What: merge},
		{Command: render(release.Fix{Action: release.ActionTags, Args: []string{version}}), What: "plan the module tags on the merged head; check it"},
		{Command: render(release.Fix{Action: release.ActionTags, Args: []string{version}, Push: true}), What: "create and push them (they never move; SIGN=1 signs them)"},
	}
	for _, t := range then {
		steps = append(steps, pullrequest.Next{Command: render(t.Fix), What: t.What})
	}
	return steps
}

// PrintNext prints to w the steps that follow a phase, in order.
func PrintNext(w io.Writer, steps []pullrequest.Next) {
	width := 0
	for _, s := range steps {
		width = max(width, len(s.Command))
	}
	fmt.Fprintf(w, "\nnext, in order:\n")
	for i, s := range steps {
		if s.Command == "" {
			fmt.Fprintf(w, "  %d. %s\n", i+1, s.What)
		} else {
			fmt.Fprintf(w, "  %d. %-*s  %s\n", i+1, width, s.Command, s.What)
		}
	}
}

// webRepo is the web host and owner/repo of the release repository on
// GitHub, when the variables or the release remote's URL name them. The
// host is the release remote's (the one the user's git talks to), or
// github.com when GITHUB_API_URL is unset; never GITHUB_API_URL's, which
// is the API's host and may be a proxy or a test's loopback stand-in. A
// host neither gives is not guessed: no link then.
func webRepo(r Env, repo release.Repo) (host, name string, ok bool) {
	o, err := publish.GitHubOptions(repo, r.Vars.Getenv)
	if err != nil {
		return "", "", false
	}
	switch rem, err := github.ParseRemote(remoteURL(repo)); {
	case err == nil:
		host = rem.Host
	case o.APIURL == "":
		host = "github.com"
	default:
		return "", "", false
	}
	return host, o.Owner + "/" + o.Repo, true
}

// remoteURL is the release remote's URL as configured ("" when there is
// none).
func remoteURL(repo release.Repo) string {
	g, err := repo.Repository()
	if err != nil {
		return ""
	}
	cfg, err := g.Config()
	if err != nil {
		return ""
	}
	return cfg.Raw.Section("remote").Subsection(repo.Config.Remote).Option("url")
}

// fork is the owner of PR_REMOTE's GitHub repository when it is another
// repository than the release one (gh's, or the one the variables name
// when gh is nil), "" when PR_REMOTE is unset or the release remote.
func fork(r Env, repo release.Repo, gh *github.Client) (string, error) {
	name := r.Vars.PRRemote
	if name == "" || name == repo.Config.Remote {
		return "", nil
	}
	g, err := repo.Repository()
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
	} else if _, b, ok := webRepo(r, repo); ok {
		base = b
	}
	if strings.EqualFold(fork.Owner+"/"+fork.Repo, base) {
		return "", nil
	}
	return fork.Owner, nil
}

// Result is what PR=1 did ([pullrequest.Open]'s result; nil without PR=1
// or before [Proposer.Done]) and the steps that follow the merge.
func (pr *Proposer) Result() (*pullrequest.Result, []pullrequest.Next) {
	return pr.result, pr.p.Next
}

// OpenAlready is, for a proposal with OnlyOne and PR=1, the open pull
// request from its branch into the release branch when HEAD lacks the
// branch's commits (a scheduled run on a fresh checkout): the phase need
// not run again, and would make the same change as another commit, which
// the branch, holding the first, refuses. nil when there is none, when
// HEAD has the branch's commits (a run again where the first ran: it
// updates the pull request as usual), or when the proposal is not
// OnlyOne.
func (pr *Proposer) OpenAlready(ctx context.Context) (*github.Pull, error) {
	if !pr.p.OnlyOne || pr.gh == nil {
		return nil, nil
	}
	owner := pr.fork
	if owner == "" {
		owner = pr.gh.Owner()
	}
	pulls, err := pr.gh.FindPulls(ctx, owner+":"+pr.p.Branch, pr.repo.Config.Branch)
	if err != nil {
		return nil, err
	}
	for i := range pulls {
		if !pulls[i].Open {
			continue
		}
		out, err := run.Git(ctx, pr.repo.Root, "ls-remote", "--heads", pr.pushRemote(), "refs/heads/"+pr.p.Branch)
		if err != nil {
			return nil, fmt.Errorf("ask %s for branch %s: %w", pr.pushRemote(), pr.p.Branch, err)
		}
		at, _, _ := strings.Cut(string(out), "\t")
		// Exit 0: at is HEAD or an ancestor; 1: it is not; 128: at is
		// not here (a fresh checkout never fetched it).
		if at != "" {
			if _, err := run.Git(ctx, pr.repo.Root, "merge-base", "--is-ancestor", at, "HEAD"); err == nil {
				return nil, nil
			}
		}
		return &pulls[i], nil
	}
	return nil, nil
}

// head is the commit HEAD of repo points at, read in the process from
// the files git's own commands write (a phase moves HEAD with git
// update-ref), where the repository is open; else, or when that fails,
// asked of git, whose error says why. A phase reads it two or three
// times: a process each was most of what proposing cost.
func head(ctx context.Context, repo release.Repo) (string, error) {
	if repo.Git != nil {
		if ref, err := repo.Git.Head(); err == nil {
			return ref.Hash().String(), nil
		}
	}
	return pullrequest.Head(ctx, repo.Root)
}

// Committed reports whether the phase moved HEAD (true when that cannot
// be read).
func (pr *Proposer) Committed(ctx context.Context) bool {
	now, err := head(ctx, pr.repo)
	return err != nil || now != pr.before
}
