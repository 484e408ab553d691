package gitremote

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/transport"

	"github.com/confidential-containers/release-tools/internal/redact"
)

// ErrNoRemote is returned, wrapped, by [Upstream] when the repository has
// no remote of the name; ErrNoRemoteBranch when the remote has no such
// branch.
var (
	ErrNoRemote       = errors.New("no such remote")
	ErrNoRemoteBranch = errors.New("no such branch on the remote")
)

// ListTimeout bounds the listing of a remote's branches over the network.
const ListTimeout = 30 * time.Second

// RemoteError is a remote whose branches could not be listed: unreachable,
// refusing, or too slow ([ListTimeout]).
type RemoteError struct {
	Remote, URL string
	Err         error
}

// Error names the remote and its URL, without the credentials the URL
// (and go-git's error quoting it) may carry.
func (e *RemoteError) Error() string {
	return redact.URL(fmt.Sprintf("list the branches of %s (%s): %v", e.Remote, e.URL, e.Err))
}

func (e *RemoteError) Unwrap() error { return e.Err }

// Line is a commit as a message names it: its hash and the first line of
// its message.
type Line struct{ Hash, Subject string }

func (l Line) String() string { return l.Hash[:min(12, len(l.Hash))] + " " + l.Subject }

// Standing is where HEAD stands against a remote's branch as the remote
// has it now.
type Standing struct {
	Branch       string // the branch HEAD names; "HEAD" when detached
	Remote, URL  string
	RemoteBranch string
	Head         string // the commit HEAD names
	RemoteHead   string // the commit of the remote's branch, on the remote now
	// Known: RemoteHead can be read here (this repository has it, or the
	// remote is a local repository read in place), and Ahead and Behind
	// are the whole answer. Otherwise this repository has not fetched it:
	// Ahead and Behind are empty, and HEAD is behind or diverged.
	Known bool
	// Ahead are the commits of HEAD that RemoteHead lacks, Behind those of
	// RemoteHead that HEAD lacks, newest first.
	Ahead, Behind []Line
}

// Tracking is the remote's branch as git names it: "origin/main".
func (s *Standing) Tracking() string { return s.Remote + "/" + s.RemoteBranch }

// Upstream compares HEAD of repo, whose work tree is root, with branch of remote
// as the remote has it now, read fresh: a local remote (a path or file://
// URL) is read in place, any other has its branches listed (waiting is
// told first, with what it waits for; within [ListTimeout]). It writes
// nothing, to .git or elsewhere: no fetch. Errors wrap [ErrNoRemote],
// [ErrNoRemoteBranch], or are a [*RemoteError] for a remote that could not
// be listed. Neither its errors nor what waiting is told carry the
// credentials of the remote's URL.
//
// Ahead and Behind are counted by walking the two histories newest commit
// first until what is left is common to both, as git does: exact unless a
// commit is dated before one of its parents (clock skew).
func Upstream(ctx context.Context, repo *git.Repository, root, remote, branch string, waiting func(what string)) (_ *Standing, err error) {
	defer func() { err = redact.Error(err) }()
	r, err := repo.Remote(remote)
	if errors.Is(err, git.ErrRemoteNotFound) {
		return nil, fmt.Errorf("%w %q in %s", ErrNoRemote, remote, root)
	}
	if err != nil {
		return nil, fmt.Errorf("remote %q: %w", remote, err)
	}
	if len(r.Config().URLs) == 0 {
		return nil, fmt.Errorf("%w %q in %s: it has no URL", ErrNoRemote, remote, root)
	}
	url := r.Config().URLs[0]
	s := &Standing{Remote: remote, URL: url, RemoteBranch: branch, Branch: "HEAD"}
	head, err := repo.Head()
	if err != nil {
		return nil, fmt.Errorf("read HEAD: %w", err)
	}
	if head.Name().IsBranch() {
		s.Branch = head.Name().Short()
	}
	s.Head = head.Hash().String()

	want := plumbing.NewBranchReferenceName(branch)
	var rh plumbing.Hash
	src := OpenLocal(url)
	if src != nil {
		ref, err := src.Reference(want, true)
		if err != nil {
			return nil, fmt.Errorf("%w: %s (%s) has no branch %s", ErrNoRemoteBranch, remote, url, branch)
		}
		rh = ref.Hash()
	} else {
		if waiting != nil {
			waiting("reading branch " + branch + " of " + remote + " (" + redact.URL(url) + ")")
		}
		lctx, cancel := context.WithTimeout(ctx, ListTimeout)
		defer cancel()
		refs, err := r.ListContext(lctx, &git.ListOptions{})
		if err != nil && !errors.Is(err, transport.ErrEmptyRemoteRepository) {
			if lctx.Err() != nil && ctx.Err() == nil {
				err = fmt.Errorf("no answer within %s: %w", ListTimeout, err)
			}
			return nil, &RemoteError{Remote: remote, URL: url, Err: err}
		}
		for _, ref := range refs {
			if ref.Name() == want {
				rh = ref.Hash()
			}
		}
		if rh.IsZero() {
			return nil, fmt.Errorf("%w: %s (%s) has no branch %s", ErrNoRemoteBranch, remote, url, branch)
		}
	}
	s.RemoteHead = rh.String()

	get := func(h plumbing.Hash) (*object.Commit, error) {
		c, err := repo.CommitObject(h)
		if errors.Is(err, plumbing.ErrObjectNotFound) && src != nil {
			return src.CommitObject(h)
		}
		return c, err
	}
	if _, err := get(rh); errors.Is(err, plumbing.ErrObjectNotFound) {
		return s, nil // not fetched: behind or diverged, by how much is not known here
	} else if err != nil {
		return nil, fmt.Errorf("read %s (%s): %w", s.Tracking(), rh, err)
	}
	s.Known = true
	s.Ahead, s.Behind, err = aheadBehind(get, head.Hash(), rh)
	if err != nil {
		return nil, fmt.Errorf("compare %s with %s: %w", s.Branch, s.Tracking(), err)
	}
	return s, nil
}

// side marks which of the two heads a commit is reachable from.
type side uint8

const (
	fromHead side = 1 << iota
	fromRemote
	fromBoth = fromHead | fromRemote
)

// aheadBehind walks back from a and b, newest commit first, marking each
// commit with the heads it is reachable from, until every commit left to
// walk is reachable from both: the commits marked a's alone are ahead,
// b's alone behind. A commit that get cannot find (a shallow clone's
// boundary) ends its line.
func aheadBehind(get func(plumbing.Hash) (*object.Commit, error), a, b plumbing.Hash) (ahead, behind []Line, err error) {
	marks := map[plumbing.Hash]side{}
	seen := map[plumbing.Hash]*object.Commit{}
	var order []*object.Commit // as first reached: newest first
	q, n := &byTime{}, 0
	mark := func(h plumbing.Hash, s side) error {
		if marks[h]|s == marks[h] {
			return nil
		}
		if seen[h] == nil {
			c, err := get(h)
			if errors.Is(err, plumbing.ErrObjectNotFound) {
				return nil
			}
			if err != nil {
				return err
			}
			seen[h] = c
			order = append(order, c)
		}
		marks[h] |= s
		n++
		heap.Push(q, queued{c: seen[h], n: n})
		return nil
	}
	if err := mark(a, fromHead); err != nil {
		return nil, nil, err
	}
	if err := mark(b, fromRemote); err != nil {
		return nil, nil, err
	}
	for q.Len() > 0 && !q.common(marks) {
		c := heap.Pop(q).(queued).c
		for _, p := range c.ParentHashes {
			if err := mark(p, marks[c.Hash]); err != nil {
				return nil, nil, err
			}
		}
	}
	var as, bs []*object.Commit
	for _, c := range order {
		switch marks[c.Hash] {
		case fromHead:
			as = append(as, c)
		case fromRemote:
			bs = append(bs, c)
		}
	}
	return lines(as), lines(bs), nil
}

// lines are the commits as lines.
func lines(cs []*object.Commit) []Line {
	out := make([]Line, len(cs))
	for i, c := range cs {
		subject, _, _ := strings.Cut(c.Message, "\n")
		out[i] = Line{Hash: c.Hash.String(), Subject: subject}
	}
	return out
}

// byTime is a queue of commits, the newest (by committer time) first and,
// among commits of one time, the first queued first (as git does: a
// commit is queued before its parents, so it is walked before them).
type byTime []queued

type queued struct {
	c *object.Commit
	n int // the order it was queued in
}

func (q byTime) Len() int { return len(q) }
func (q byTime) Less(i, j int) bool {
	ti, tj := q[i].c.Committer.When, q[j].c.Committer.When
	if !ti.Equal(tj) {
		return ti.After(tj)
	}
	return q[i].n < q[j].n
}
func (q byTime) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *byTime) Push(x any)   { *q = append(*q, x.(queued)) }
func (q *byTime) Pop() any {
	old := *q
	e := old[len(old)-1]
	*q = old[:len(old)-1]
	return e
}

// common reports whether every commit left to walk is reachable from both
// heads: nothing older can be reachable from one alone.
func (q byTime) common(marks map[plumbing.Hash]side) bool {
	for _, e := range q {
		if marks[e.c.Hash] != fromBoth {
			return false
		}
	}
	return true
}
