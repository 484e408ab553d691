package tags

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/confidential-containers/release-tools/gomod"
	"github.com/confidential-containers/release-tools/internal/gitremote"
	"github.com/confidential-containers/release-tools/internal/gitrepo"
	"github.com/confidential-containers/release-tools/internal/gittree"
	"github.com/confidential-containers/release-tools/internal/redact"
	"github.com/confidential-containers/release-tools/version"
)

// Options says where and how to tag.
type Options struct {
	Remote string // default "origin"
	Branch string // the release branch on the remote; default "main"
	// Commit, when set, is tagged instead of the remote branch's head: a
	// full or abbreviated hash of a commit in the local repository that is
	// on the remote's branch (its head or an ancestor of it).
	Commit string
	// Check, when set, is asked whether the commit to tag may be tagged,
	// before the tags are planned: it is given the commit and a temporary
	// directory holding the regular files of the commit's tree (no links,
	// no submodules), removed when it returns. Its error stops [NewPlan]
	// and is returned wrapped.
	Check func(commit, dir string) error
	// Exclude lists module directories not to tag (placeholder modules,
	// such as CAA's src/cloud-api-adaptor/podvm).
	Exclude []string
	// TopLevel adds the repository's vX.Y.Z tag, on the same commit.
	TopLevel bool
	// Annotated makes annotated tags with Message (lightweight otherwise),
	// tagged by the repository's configured user.
	Annotated bool
	Message   string
	// Sign makes signed annotated tags through the git command (git tag -s), which
	// uses the user's signing setup (gpg.format, user.signingKey, agents); Message
	// (default the version) is their message.
	Sign bool
	// AllowNonAtomic lets Apply push to a remote that cannot push
	// atomically, where some tags could land and others not.
	AllowNonAtomic bool
	// Notices is told when Apply takes over a stale repository lock (its
	// run gone from this host); nil discards it.
	Notices io.Writer
}

// PlannedTag is a tag with what Apply will do about it: create and push a
// [Absent] one, push a [LocalOnly] one, nothing for [Pushed], and nothing at all
// while any is a [Conflict].
type PlannedTag struct {
	Tag
	State State
	// Local and RemoteCommit are the commits an existing tag points at,
	// "" where it does not exist.
	LocalCommit, RemoteCommit string
}

// Plan is the tags of one version on one commit, checked against the
// repository, its go.mod files and the remote. Apply carries it out.
type Plan struct {
	Version        version.Version
	Commit, Remote string
	// From says where Commit came from ("origin/main on the remote now" or
	// "given").
	From string
	Tags []PlannedTag
	// AtomicPush is whether the remote advertised atomic pushes.
	AtomicPush bool

	repo *git.Repository
	// deleteTag deletes a local tag that holds was; nil means
	// gitrepo.DeleteTag. Tests set it to make a deletion fail.
	deleteTag func(name, was string) error
	dir       string // the repository's directory, where git commands run
	url       string // the remote's
	opts      Options
	fetch     bool // the local repository lacks Commit: Apply fetches it first
}

// Sentinel errors, wrapped by the errors this package returns.
var (
	ErrTagConflict     = errors.New("tag exists on another commit")
	ErrVersionMismatch = errors.New("go.mod requires another version")
	ErrNoAtomicPush    = errors.New("remote cannot push atomically")
	ErrNoRemote        = errors.New("no such remote")
	ErrUnsignedTag     = gitrepo.ErrUnsignedTag // the git plumbing's
	ErrWrongMajor      = errors.New("version does not fit the module's major version")
	// ErrNotOnBranch: a given commit is not on the remote's release
	// branch; ErrHeadNotFetched: the branch's head is not in this
	// repository, so whether it is cannot be told. (The same values as
	// the git plumbing's, whose rule they name.)
	ErrNotOnBranch    = gitremote.ErrNotOnBranch
	ErrHeadNotFetched = gitremote.ErrHeadNotFetched
)

// NewPlan plans the tags of v in repo, the repository whose work tree is
// repoDir. It plans
// on the head of the remote's release branch as the remote has it now
// (never the local branch), unless opts.Commit names the commit, which
// must then be on that branch ([*NotOnBranchError] otherwise, or
// [ErrHeadNotFetched] when the local repository lacks the branch's head);
// it writes nothing to the repository, not even a fetch (Apply fetches
// the commit if the repository does not have it). HEAD may be detached:
// tagging needs no branch. It reads the modules from that commit's tree,
// checks that every require between them that is not the zero
// pseudo-version names exactly v ([*RequiresError] otherwise), asks
// opts.Check about the commit's tree, and classifies each tag by its local
// and remote commits ([Classify]). It creates nothing; conflicts are in
// the plan (see [Plan.Err]), other problems are errors. No error carries
// the credentials of the remote's URL.
func NewPlan(ctx context.Context, repo *git.Repository, repoDir string, v version.Version, opts Options) (_ *Plan, err error) {
	defer func() { err = redact.Error(err) }()
	if opts.Remote == "" {
		opts.Remote = "origin"
	}
	if opts.Branch == "" {
		opts.Branch = "main"
	}
	if v.IsZero() {
		return nil, errors.New("tags: no version")
	}
	if repo == nil {
		return nil, fmt.Errorf("tags: no repository given for %s", repoDir)
	}
	remote, err := repo.Remote(opts.Remote)
	if err != nil {
		return nil, fmt.Errorf("tags: %w %q in %s: add it with `git remote add %s <url>`", ErrNoRemote, opts.Remote, repoDir, opts.Remote)
	}
	if len(remote.Config().URLs) == 0 {
		return nil, fmt.Errorf("tags: remote %q has no URL: set it with `git remote set-url %s <url>`", opts.Remote, opts.Remote)
	}
	p := &Plan{Version: v, Remote: opts.Remote, repo: repo, dir: repoDir, url: remote.Config().URLs[0], opts: opts}
	commit, err := p.resolve(ctx)
	if err != nil {
		return nil, err
	}
	var list []Tag
	var planErr error // the plan's own errors, said in full
	err = gittree.WithTree(commit, func(dir string) error {
		list, planErr = p.modules(dir)
		return planErr
	})
	if err != nil && planErr == nil {
		return nil, fmt.Errorf("tags: %w", err)
	}
	if err != nil {
		return nil, err
	}
	if opts.TopLevel && !hasRootTag(list, v) {
		list = append(list, Tag{Name: v.String(), Dir: "."})
	}
	remoteRefs, err := remoteTags(ctx, repo, opts.Remote)
	if err != nil {
		return nil, err
	}
	if p.AtomicPush, err = gitremote.PushesAtomically(ctx, p.url); err != nil {
		return nil, fmt.Errorf("tags: ask %s for atomic pushes: %w", opts.Remote, err)
	}
	for _, t := range list {
		local, err := gitrepo.LocalTag(repo, t.Name)
		if err != nil {
			return nil, fmt.Errorf("tags: %w", err)
		}
		pt := PlannedTag{Tag: t, LocalCommit: local, RemoteCommit: remoteRefs[t.Name]}
		pt.State = Classify(pt.LocalCommit, pt.RemoteCommit, p.Commit)
		p.Tags = append(p.Tags, pt)
	}
	return p, nil
}

// modules reads the modules of the plan's commit from its tree in dir,
// checks their requires and, with Options.Check, the tree, and returns
// their tags in dependency order.
func (p *Plan) modules(dir string) ([]Tag, error) {
	mods, err := gomod.Discover(dir)
	if err != nil {
		return nil, fmt.Errorf("tags: commit %s: %w", short(p.Commit), err)
	}
	if err := checkRequires(mods, p.Version, p.Commit); err != nil {
		return nil, err
	}
	if p.opts.Check != nil {
		if err := p.opts.Check(p.Commit, dir); err != nil {
			return nil, fmt.Errorf("tags: %w", err)
		}
	}
	list, err := order(mods, p.Version, p.opts.Exclude)
	if err != nil {
		return nil, fmt.Errorf("tags: commit %s: %w", short(p.Commit), err)
	}
	return list, nil
}

func hasRootTag(list []Tag, v version.Version) bool {
	for _, t := range list {
		if t.Name == v.String() {
			return true
		}
	}
	return false
}

// resolve sets p.Commit, opts.Commit or the head of the remote's branch
// now, and returns that commit. Planning writes nothing to .git (a dry run
// stays dry): the head is listed from the remote, and its commit is read
// from the local repository if it has it, else from the remote
// ([gitremote.BranchCommit]); then [Plan.Apply] fetches it before tagging. A
// given commit must be the head or an ancestor of it ([Plan.given]).
func (p *Plan) resolve(ctx context.Context) (*object.Commit, error) {
	track := plumbing.NewRemoteReferenceName(p.opts.Remote, p.opts.Branch)
	h, err := gitremote.RemoteHead(ctx, p.url, p.opts.Branch)
	if err != nil {
		return nil, fmt.Errorf("tags: %s: %w", p.opts.Remote, err)
	}
	head := plumbing.NewHash(h)
	if c := p.opts.Commit; c != "" {
		return p.given(c, head)
	}
	p.Commit, p.From = h, track.Short()+" on the remote now"
	if c, err := p.repo.CommitObject(head); err == nil {
		return c, nil
	}
	p.fetch = true
	c, err := gitremote.BranchCommit(ctx, p.url, p.opts.Branch)
	if err != nil {
		return nil, fmt.Errorf("tags: read %s of %s: %w", p.opts.Branch, p.opts.Remote, err)
	}
	if c.Hash != head {
		return nil, fmt.Errorf("tags: %s moved from %s to %s while it was read; plan again", track.Short(), short(h), short(c.Hash.String()))
	}
	return c, nil
}

// given resolves the commit c given to tag in the local repository and
// checks that it is on the remote's branch, whose head is now head: head
// itself or an ancestor of it. Tagging a commit the branch lacks would
// publish it with the tags, unreviewed. Ancestry is read from the local
// repository, which must have head ([ErrHeadNotFetched] otherwise; a plan
// writes nothing, not even a fetch).
func (p *Plan) given(c string, head plumbing.Hash) (*object.Commit, error) {
	h, err := p.repo.ResolveRevision(plumbing.Revision(c))
	if err != nil {
		return nil, fmt.Errorf("tags: commit %q: %w", c, err)
	}
	commit, err := p.repo.CommitObject(*h)
	if err != nil {
		return nil, fmt.Errorf("tags: %q is not a commit: %w", c, err)
	}
	p.Commit, p.From = h.String(), "given"
	if *h == head {
		return commit, nil
	}
	track := plumbing.NewRemoteReferenceName(p.opts.Remote, p.opts.Branch).Short()
	err = gitremote.OnBranch(p.repo, track, head, h.String())
	switch {
	case errors.Is(err, ErrHeadNotFetched):
		return nil, fmt.Errorf("tags: %w: %s is at %s now, a commit this repository does not have, so whether %s is on it cannot be told: fetch it (git fetch %s) and plan again",
			ErrHeadNotFetched, track, short(head.String()), short(h.String()), p.opts.Remote)
	case errors.Is(err, ErrNotOnBranch):
		return nil, &NotOnBranchError{Commit: h.String(), Remote: p.opts.Remote, Branch: p.opts.Branch, Head: head.String()}
	case err != nil:
		return nil, fmt.Errorf("tags: %w", err)
	}
	return commit, nil
}

// NotOnBranchError is [NewPlan]'s error for a given commit that is not
// on the remote's release branch: neither its head nor an ancestor of it.
// It wraps [ErrNotOnBranch].
type NotOnBranchError struct {
	Commit, Remote, Branch string
	Head                   string // the branch's head on the remote now
}

func (e *NotOnBranchError) Error() string {
	return fmt.Sprintf("tags: %v: %s is not on %s/%s (at %s now): pushing its tags would publish a commit the release branch lacks, unreviewed; merge it into %s, then tag the merged commit",
		ErrNotOnBranch, e.Commit, e.Remote, e.Branch, short(e.Head), e.Branch)
}

func (e *NotOnBranchError) Unwrap() error { return ErrNotOnBranch }

// fetchCommit fetches the remote's branch into its remote-tracking ref,
// for a plan made on a commit the local repository did not have, and
// checks that the branch is still at the planned commit.
func (p *Plan) fetchCommit(ctx context.Context) error {
	head, err := gitremote.FetchBranch(ctx, p.repo, p.opts.Remote, p.opts.Branch)
	if err != nil {
		return fmt.Errorf("tags: %w", err)
	}
	if head != p.Commit {
		return fmt.Errorf("tags: %s/%s moved from %s to %s since the plan; nothing was tagged: plan again", p.opts.Remote, p.opts.Branch, short(p.Commit), short(head))
	}
	p.fetch = false
	return nil
}

// Require is a require between the repository's modules that names
// another version than the one to tag ([gomod.OtherRequires]).
type Require = gomod.Requirement

// RequiresError is [NewPlan]'s error for a commit whose go.mod files
// require another version of the repository's own modules than the one
// to tag: their tags would name modules that do not build together. It
// wraps [ErrVersionMismatch].
type RequiresError struct {
	Commit   string
	Version  version.Version
	Requires []Require // sorted by directory, then module
}

func (e *RequiresError) Error() string {
	bad := make([]string, len(e.Requires))
	for i, r := range e.Requires {
		bad[i] = fmt.Sprintf("%s/go.mod requires %s %s", r.Dir, r.Module, r.Version)
	}
	return fmt.Sprintf("tags: %v: at %s, %s, not %s: move them to %s, merge, and tag the merged commit",
		ErrVersionMismatch, short(e.Commit), strings.Join(bad, "; "), e.Version, e.Version)
}

func (e *RequiresError) Unwrap() error { return ErrVersionMismatch }

// checkRequires checks that the modules require each other at v.
func checkRequires(mods []gomod.Module, v version.Version, commit string) error {
	if bad := gomod.OtherRequires(mods, v.String()); len(bad) > 0 {
		return &RequiresError{Commit: commit, Version: v, Requires: bad}
	}
	return nil
}

// Err returns the plan's conflicts as a [*ConflictError] (wrapping
// [ErrTagConflict]) naming each tag, both commits and what to do; nil
// when there are none.
func (p *Plan) Err() error {
	e := &ConflictError{Version: p.Version, Commit: p.Commit, Remote: p.Remote}
	for _, t := range p.Tags {
		if t.State != Conflict {
			continue
		}
		e.Tags = append(e.Tags, t)
		if t.RemoteCommit == "" {
			e.Stray = append(e.Stray, t.Name)
		}
	}
	if len(e.Tags) == 0 {
		return nil
	}
	e.Complete = p.completeOn()
	return e
}

// completeOn is the one commit every tag of the plan is on, on the
// remote, when they all are there and none is elsewhere locally; "".
func (p *Plan) completeOn() string {
	on := ""
	for _, t := range p.Tags {
		switch {
		case t.RemoteCommit == "", on != "" && t.RemoteCommit != on, t.LocalCommit != "" && t.LocalCommit != t.RemoteCommit:
			return ""
		}
		on = t.RemoteCommit
	}
	return on
}

// WriteTo writes the plan: the commit, each tag and its state, and the
// git commands that would do the same by hand.
func (p *Plan) WriteTo(w io.Writer) (int64, error) { return p.write(w, true) }

// WriteForApply writes the plan as [Plan.WriteTo] does but without the
// git commands by hand: for a plan about to be applied.
func (p *Plan) WriteForApply(w io.Writer) (int64, error) { return p.write(w, false) }

func (p *Plan) write(w io.Writer, byHand bool) (int64, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "tags for %s on %s (%s)\n", p.Version, p.Commit, p.From)
	var todo []PlannedTag
	for _, t := range p.Tags {
		note := ""
		switch t.State {
		case Absent:
			todo = append(todo, t)
		case LocalOnly:
			todo = append(todo, t)
			note = " (exists locally, to push)"
		case Pushed:
			note = " (already on " + p.Remote + ")"
		case Conflict:
			note = fmt.Sprintf(" (local %s, %s %s)", orNone(t.LocalCommit), p.Remote, orNone(t.RemoteCommit))
		}
		fmt.Fprintf(&b, "  %-8s %s%s\n", t.State, t.Name, note)
	}
	if !p.AtomicPush {
		fmt.Fprintf(&b, "  note: %s does not advertise atomic pushes\n", p.Remote)
	}
	if byHand && len(todo) > 0 && p.Err() == nil {
		b.WriteString("by hand:\n")
		for _, t := range todo {
			lines := commands([]Tag{t.Tag}, p.Commit, p.Remote, p.tagFlags())
			if t.LocalCommit != "" {
				lines = lines[1:] // made already: only the push
			}
			for _, c := range lines {
				b.WriteString("  " + c + "\n")
			}
		}
	}
	n, err := io.WriteString(w, b.String())
	return int64(n), err
}

// tagFlags are the flags of the by-hand `git tag` commands that make the
// tags Apply makes.
func (p *Plan) tagFlags() string {
	switch {
	case p.opts.Sign:
		return "-s -m " + shellQuote(p.message())
	case p.opts.Annotated:
		return "-a -m " + shellQuote(p.message())
	}
	return ""
}

// shellQuote quotes s for a POSIX shell, unless it is made only of
// characters that need no quoting.
func shellQuote(s string) string {
	plain := s != "" && !strings.ContainsFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("+-./:=@_", r))
	})
	if plain {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func orNone(c string) string {
	if c == "" {
		return "none"
	}
	return short(c)
}

func short(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}
