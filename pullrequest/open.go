package pullrequest

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/confidential-containers/release-tools/github"
)

// Sentinel errors, wrapped by the errors [Open] returns.
var (
	// ErrBranchTaken: the head branch holds commits the current branch
	// does not have; see [*BranchError].
	ErrBranchTaken = errors.New("the branch holds other commits")
	// ErrMerged: the pull request from the head branch was merged, and
	// the current branch has commits after the ones merged.
	ErrMerged = errors.New("the pull request was merged")
	// ErrClosed: the pull request from the head branch was closed
	// without being merged.
	ErrClosed = errors.New("the pull request was closed")
)

// Request is the pull request of the commits on a repository's current
// branch that the release branch does not have.
type Request struct {
	Root string // the repository
	// The pull request merges into branch Base of the repository at the
	// git remote Remote.
	Remote, Base string
	// PushRemote is the git remote the head branch is pushed to: "" is
	// Remote, or a fork's remote.
	PushRemote string
	Branch     string // the head branch, such as release/v0.23.0
	// Fork is the owner of PushRemote's GitHub repository when it is a
	// fork: the head is then "Fork:Branch". "" when it is the repository.
	Fork  string
	Title string
	// Plan is what the phase printed; Next the steps that follow the
	// merge. [Body] makes the body of them.
	Plan  string
	Next  []Next
	Draft bool // open it as a draft
}

func (r Request) pushRemote() string {
	if r.PushRemote != "" {
		return r.PushRemote
	}
	return r.Remote
}

// head is the pull request's head for GitHub: the branch, or
// "owner:branch" for a fork.
func (r Request) head() string {
	if r.Fork != "" {
		return r.Fork + ":" + r.Branch
	}
	return r.Branch
}

// Outcome is what [Open] did.
type Outcome int

const (
	Nothing  Outcome = iota + 1 // no commits to propose
	Opened                      // the branch pushed and the pull request opened
	Updated                     // new commits pushed fast-forward, the body updated
	UpToDate                    // open at these commits already: nothing changed
	Merged                      // merged at these commits already: nothing changed
)

func (o Outcome) String() string {
	switch o {
	case Nothing:
		return "nothing to propose"
	case Opened:
		return "opened"
	case Updated:
		return "updated"
	case UpToDate:
		return "open already, up to date"
	case Merged:
		return "merged already"
	}
	return fmt.Sprintf("Outcome(%d)", int(o))
}

// Result is what [Open] found and did.
type Result struct {
	Outcome Outcome
	Pull    *github.Pull // nil for Nothing
	Commits []Commit     // the commits proposed, oldest first
	Pushed  int          // how many commits the push added to the head branch
}

// BranchError is a head branch that holds commits the current branch
// does not have: someone else's, or an earlier run's that were since
// changed here (a diverged branch). It is left alone.
type BranchError struct {
	Remote, Branch string
	At             string   // the commit the branch is at
	Head           string   // the current branch's commit
	Others         []Commit // the branch's commits that the current branch does not have
	Diverged       bool     // the current branch has commits the branch does not have, too
}

func (e *BranchError) Error() string {
	how := "is ahead of HEAD"
	if e.Diverged {
		how = "diverged from HEAD"
	}
	return fmt.Sprintf("pullrequest: branch %s of %s is at %s and %s (%s): it holds %s not made here:%s\n"+
		"It is left alone: never forced, never deleted. Look at it: git fetch %s %s && git log --stat HEAD..FETCH_HEAD. "+
		"If its commits belong in the pull request, bring them into this branch (git merge FETCH_HEAD, or rebase on it) and run again; "+
		"if they do not, delete or rename that branch yourself, or push this one to another branch by hand",
		e.Branch, e.Remote, short(e.At), how, short(e.Head), commitsWord(len(e.Others)), list(e.Others), e.Remote, e.Branch)
}

func (e *BranchError) Unwrap() error { return ErrBranchTaken }

// Open proposes the commits of the current branch that branch r.Base of
// r.Remote does not have, as the pull request r, on gh's repository.
//
// Every check comes first: the commits (none: [Nothing], and nothing is
// pushed), the head branch on the push remote (a branch with commits
// HEAD does not have is a [*BranchError]), and the pull requests from
// it into r.Base. Then: with an open pull request at HEAD already, it
// changes nothing ([UpToDate]); with one behind HEAD, it pushes the new
// commits, fast-forward only, and updates the body ([Updated]); a merged
// one at HEAD is [Merged], and one merged before commits that HEAD has
// since is [ErrMerged]; a closed one is [ErrClosed] while its branch is
// there (once the branch is deleted, a new one is opened); with none, it
// pushes the branch and opens the pull request ([Opened]). It never
// forces a push and never deletes a branch. It says what it found and did
// on w.
func Open(ctx context.Context, gh *github.Client, r Request, w io.Writer) (*Result, error) {
	if w == nil {
		w = io.Discard
	}
	res, err := open(ctx, gh, r, w)
	if err != nil {
		var be *BranchError
		if !errors.As(err, &be) {
			err = fmt.Errorf("pullrequest: %s: %w", r.Branch, err)
		}
	}
	return res, err
}

// facts is what [Open] finds before it acts.
type facts struct {
	head    string   // HEAD's commit
	commits []Commit // on HEAD and not on the base branch, oldest first
	remote  string   // the remote the head branch is pushed to
	at      string   // the commit the head branch is at there; "" for none
	// pull is the pull request from the head branch into the base: an open
	// one, else a merged one, else a closed one; nil for none.
	pull *github.Pull
}

func open(ctx context.Context, gh *github.Client, r Request, w io.Writer) (*Result, error) {
	f, err := find(ctx, gh, r, w)
	if err != nil {
		return nil, err
	}
	if len(f.commits) == 0 {
		return &Result{Outcome: Nothing, Commits: f.commits}, nil
	}
	return act(ctx, gh, r, f, w)
}

// find reads the commits to propose, the head branch (a [*BranchError]
// when it holds commits HEAD does not have) and the pull request from it,
// and says what it found on w. With no commits to propose it reads no
// more.
func find(ctx context.Context, gh *github.Client, r Request, w io.Writer) (*facts, error) {
	if err := checkBranch(ctx, r.Root, r.Branch); err != nil {
		return nil, err
	}
	f := &facts{remote: r.pushRemote()}
	// The base branch and, when it is pushed to the same remote, the head
	// branch, asked of the remote at once: one round trip.
	branches := []string{r.Base}
	if f.remote == r.Remote {
		branches = append(branches, r.Branch)
	}
	at, err := remoteBranches(ctx, r.Root, r.Remote, branches...)
	if err != nil {
		return nil, err
	}
	if f.head, f.commits, err = proposed(ctx, r, at[0]); err != nil {
		return nil, err
	}
	if len(f.commits) == 0 {
		fmt.Fprintf(w, "pr: HEAD %s is on %s/%s already: nothing to propose\n", short(f.head), r.Remote, r.Base)
		return f, nil
	}
	fmt.Fprintf(w, "pr: %s on HEAD that %s/%s does not have:%s\n", commitsWord(len(f.commits)), r.Remote, r.Base, list(f.commits))
	headAt := ""
	if len(at) == 2 {
		headAt = at[1]
	} else if headAt, err = remoteBranch(ctx, r.Root, f.remote, r.Branch); err != nil { // a fork's remote
		return nil, err
	}
	if f.at, err = headBranch(ctx, r.Root, f.remote, r.Branch, f.head, headAt); err != nil {
		return nil, err
	}
	if f.pull, err = findPull(ctx, gh, r, f.at, w); err != nil {
		return nil, err
	}
	return f, nil
}

// proposed returns HEAD's commit and the commits on it that branch
// r.Base of r.Remote, at commit base there ("" for none), does not have,
// oldest first.
func proposed(ctx context.Context, r Request, base string) (h string, cs []Commit, err error) {
	h, err = head(ctx, r.Root)
	if err != nil {
		return "", nil, err
	}
	if base == "" {
		return "", nil, fmt.Errorf("%s has no branch %s to merge into", r.Remote, r.Base)
	}
	if err := fetchIfMissing(ctx, r.Root, r.Remote, r.Base, base); err != nil {
		return "", nil, err
	}
	cs, err = commits(ctx, r.Root, base, h)
	return h, cs, err
}

// headBranch returns at, the commit branch is at on remote ("" for
// none), and a [*BranchError] when it holds commits that h does not have.
func headBranch(ctx context.Context, root, remote, branch, h, at string) (string, error) {
	if at == "" || at == h {
		return at, nil
	}
	if err := fetchIfMissing(ctx, root, remote, branch, at); err != nil {
		return "", err
	}
	if behind, err := isAncestor(ctx, root, at, h); err != nil || behind {
		return at, err
	}
	others, err := commits(ctx, root, h, at)
	if err != nil {
		return "", err
	}
	ahead, err := isAncestor(ctx, root, h, at)
	if err != nil {
		return "", err
	}
	return "", &BranchError{Remote: remote, Branch: branch, At: at, Head: h, Others: others, Diverged: !ahead}
}

// findPull returns the pull request from the head branch into r.Base: an
// open one, else a merged one, else a closed one (nil for none). With
// the head branch gone (at ""), a pull request closed without merging is
// history, and w is told a new one is opened.
func findPull(ctx context.Context, gh *github.Client, r Request, at string, w io.Writer) (*github.Pull, error) {
	owner := r.Fork
	if owner == "" {
		owner = gh.Owner()
	}
	pulls, err := gh.FindPulls(ctx, owner+":"+r.Branch, r.Base)
	if err != nil {
		return nil, err
	}
	// A pull request closed without merging whose branch is gone (deleted
	// after it was closed, as act's error advises) is history: a new
	// one is opened.
	if at == "" {
		live := pulls[:0:0]
		for _, p := range pulls {
			if !p.Open && !p.Merged {
				fmt.Fprintf(w, "pr: #%d from %s was closed without merging and its branch is gone: a new pull request is opened (%s)\n", p.Number, p.Head, p.URL)
			} else {
				live = append(live, p)
			}
		}
		pulls = live
	}
	for _, want := range []func(github.Pull) bool{
		func(p github.Pull) bool { return p.Open },
		func(p github.Pull) bool { return p.Merged },
		func(github.Pull) bool { return true },
	} {
		for i := range pulls {
			if want(pulls[i]) {
				return &pulls[i], nil
			}
		}
	}
	return nil, nil
}

// act does what the facts f ask: nothing when the pull request is merged
// or open at HEAD already; an error when it was merged before HEAD's
// last commits, or closed; else it pushes HEAD to the head branch, fast-
// forward only, and updates the pull request's body or opens one.
func act(ctx context.Context, gh *github.Client, r Request, f *facts, w io.Writer) (*Result, error) {
	res := &Result{Outcome: Nothing, Commits: f.commits, Pull: f.pull}
	if done, err := settled(r, f, res, w); done || err != nil {
		return res, err
	}
	h, at, found := f.head, f.at, f.pull
	if at != h {
		if err := pushHead(ctx, r, f, res, w); err != nil {
			return res, err
		}
	}
	body := Body(r.Title, r.Plan, f.commits, r.Next)
	if found != nil {
		p, err := gh.EditPullBody(ctx, found.Number, body)
		if err != nil {
			return res, err
		}
		res.Outcome, res.Pull = Updated, p
		fmt.Fprintf(w, "pr: #%d updated: %s pushed, the body lists all %d (%s)\n", p.Number, commitsWord(res.Pushed), len(f.commits), p.URL)
		return res, nil
	}
	p, err := gh.CreatePull(ctx, github.NewPull{Title: r.Title, Body: body, Head: r.head(), Base: r.Base, Draft: r.Draft})
	if errors.Is(err, github.ErrPullExists) {
		return raced(ctx, gh, r, body, res, w, err)
	}
	if err != nil {
		return res, err
	}
	res.Outcome, res.Pull = Opened, p
	kind := "pull request"
	if p.Draft {
		kind = "draft pull request"
	}
	fmt.Fprintf(w, "pr: opened %s #%d from %s into %s: %s\n", kind, p.Number, p.Head, r.Base, p.URL)
	return res, nil
}

// raced ends at the pull request another run opened from the same head
// between the look and the create (GitHub's 422 "A pull request already
// exists"): its body is updated to list the commits, as for one found.
// createErr is returned when it cannot be found.
func raced(ctx context.Context, gh *github.Client, r Request, body string, res *Result, w io.Writer, createErr error) (*Result, error) {
	found, err := findPull(ctx, gh, r, "", io.Discard)
	if err != nil {
		return res, err
	}
	if found == nil || !found.Open {
		return res, createErr
	}
	p, err := gh.EditPullBody(ctx, found.Number, body)
	if err != nil {
		return res, err
	}
	res.Outcome, res.Pull = Updated, p
	fmt.Fprintf(w, "pr: #%d from %s was opened meanwhile (by another run): its body now lists all %d (%s)\n", p.Number, p.Head, len(res.Commits), p.URL)
	return res, nil
}

// settled reports whether the pull request needs nothing more (merged,
// or open at HEAD already, with res.Outcome saying which), or can take
// nothing more (an error wrapping [ErrMerged] or [ErrClosed]).
func settled(r Request, f *facts, res *Result, w io.Writer) (done bool, err error) {
	h, found := f.head, f.pull
	switch {
	case found != nil && found.Merged && !found.Open:
		if found.HeadSHA == h {
			res.Outcome = Merged
			fmt.Fprintf(w, "pr: #%d from %s was merged at %s: nothing to do (%s)\n", found.Number, found.Head, short(h), found.URL)
			return true, nil
		}
		return true, fmt.Errorf("%w: #%d from %s, at %s (%s); HEAD %s has commits since: push them to another branch and open a pull request by hand (git push %s HEAD:refs/heads/%s-2)",
			ErrMerged, found.Number, found.Head, short(found.HeadSHA), found.URL, short(h), f.remote, r.Branch)
	case found != nil && !found.Open:
		return true, fmt.Errorf("%w without being merged: #%d from %s (%s): reopen it on GitHub and run again, or delete the branch (git push %s --delete %s) and run again for a new one",
			ErrClosed, found.Number, found.Head, found.URL, f.remote, r.Branch)
	case found != nil && f.at == h:
		res.Outcome = UpToDate
		fmt.Fprintf(w, "pr: #%d from %s is open at %s already: nothing pushed or opened (%s)\n", found.Number, found.Head, short(h), found.URL)
		return true, nil
	}
	return false, nil
}

// pushHead pushes HEAD to the head branch, new or fast-forward, and
// counts the commits it added in res.Pushed.
func pushHead(ctx context.Context, r Request, f *facts, res *Result, w io.Writer) error {
	h, at := f.head, f.at
	from := "a new branch"
	if at != "" {
		from = "fast-forward from " + short(at)
	}
	if err := push(ctx, r.Root, f.remote, h, r.Branch); err != nil {
		return err
	}
	if at == "" {
		res.Pushed = len(f.commits)
	} else if added, err := commits(ctx, r.Root, at, h); err == nil {
		res.Pushed = len(added)
	}
	fmt.Fprintf(w, "pr: pushed %s to %s as %s (%s)\n", short(h), f.remote, r.Branch, from)
	return nil
}

func commitsWord(n int) string {
	if n == 1 {
		return "1 commit"
	}
	return fmt.Sprintf("%d commits", n)
}
