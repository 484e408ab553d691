package tags

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"sort"
	"strings"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/transport"
	"github.com/go-git/go-git/v5/storage/memory"

	"github.com/confidential-containers/release-tools/gomod"
	"github.com/confidential-containers/release-tools/internal/gitrepo"
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
	Auth           transport.AuthMethod
}

// PlannedTag is a tag with what Apply will do about it: create and push a
// [New] one, push a [LocalOnly] one, nothing for [Done], and nothing at all
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
	// deleteTag deletes a local tag; nil means repo.DeleteTag. Tests set
	// it to make a deletion fail.
	deleteTag func(name string) error
	dir       string // the repository's directory, where git commands run
	opts      Options
	fetch     bool // the local repository lacks Commit: Apply fetches it first
}

// Sentinel errors, wrapped by the errors this package returns.
var (
	ErrTagConflict     = errors.New("tag exists on another commit")
	ErrVersionMismatch = errors.New("go.mod requires another version")
	ErrNoAtomicPush    = errors.New("remote cannot push atomically")
	ErrNoRemote        = errors.New("no such remote")
	ErrUnsignedTag     = errors.New("tag is not signed")
	ErrWrongMajor      = errors.New("version does not fit the module's major version")
	// ErrNotOnBranch: a given commit is not on the remote's release
	// branch; ErrHeadNotFetched: the branch's head is not in this
	// repository, so whether it is cannot be told. (The same values as
	// the git plumbing's, whose rule they name.)
	ErrNotOnBranch    = gitrepo.ErrNotOnBranch
	ErrHeadNotFetched = gitrepo.ErrHeadNotFetched
)

// NewPlan plans the tags of v in the repository at repoDir. It plans
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
func NewPlan(ctx context.Context, repoDir string, v version.Version, opts Options) (_ *Plan, err error) {
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
	repo, err := gitrepo.Open(repoDir)
	if err != nil {
		return nil, fmt.Errorf("tags: open %s: %w", repoDir, err)
	}
	remote, err := repo.Remote(opts.Remote)
	if err != nil {
		return nil, fmt.Errorf("tags: %w %q in %s: add it with `git remote add %s <url>`", ErrNoRemote, opts.Remote, repoDir, opts.Remote)
	}
	p := &Plan{Version: v, Remote: opts.Remote, repo: repo, dir: repoDir, opts: opts}
	commit, err := p.resolve(ctx, remote)
	if err != nil {
		return nil, err
	}
	mods, err := modules(commit)
	if err != nil {
		return nil, fmt.Errorf("tags: commit %s: %w", short(p.Commit), err)
	}
	if err := checkRequires(mods, v, p.Commit); err != nil {
		return nil, err
	}
	if opts.Check != nil {
		if err := checkTree(commit, opts.Check); err != nil {
			return nil, fmt.Errorf("tags: %w", err)
		}
	}
	list, err := order(mods, v, opts.Exclude)
	if err != nil {
		return nil, fmt.Errorf("tags: commit %s: %w", short(p.Commit), err)
	}
	if opts.TopLevel && !hasRootTag(list, v) {
		list = append(list, Tag{Name: v.String(), Dir: "."})
	}
	remoteRefs, err := Remote(ctx, remote, opts.Auth)
	if err != nil {
		return nil, err
	}
	if p.AtomicPush, err = pushesAtomically(ctx, remote, opts.Auth); err != nil {
		return nil, fmt.Errorf("tags: ask %s for atomic pushes: %w", opts.Remote, err)
	}
	for _, t := range list {
		local, err := Local(repo, t.Name)
		if err != nil {
			return nil, err
		}
		pt := PlannedTag{Tag: t, LocalCommit: local, RemoteCommit: remoteRefs[t.Name]}
		pt.State = Classify(pt.LocalCommit, pt.RemoteCommit, p.Commit)
		p.Tags = append(p.Tags, pt)
	}
	return p, nil
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
// from the local repository if it has it, else from the remote in place
// (a local path) or a shallow clone in memory; then [Plan.Apply] fetches
// it before tagging. A given commit must be the head or an ancestor of it
// ([Plan.given]).
func (p *Plan) resolve(ctx context.Context, remote *git.Remote) (*object.Commit, error) {
	branch := plumbing.NewBranchReferenceName(p.opts.Branch)
	track := plumbing.NewRemoteReferenceName(p.opts.Remote, p.opts.Branch)
	noBranch := func(err error) error {
		return fmt.Errorf("tags: %s has no branch %q: %w", p.opts.Remote, p.opts.Branch, err)
	}
	url := remote.Config().URLs[0]
	var head plumbing.Hash
	src := gitrepo.OpenLocal(url)
	if src != nil {
		ref, err := src.Reference(branch, true)
		if err != nil {
			return nil, noBranch(err)
		}
		head = ref.Hash()
	} else {
		refs, err := remote.ListContext(ctx, &git.ListOptions{Auth: p.opts.Auth})
		if err != nil {
			return nil, fmt.Errorf("tags: list the branches of %s: %w", p.opts.Remote, err)
		}
		for _, r := range refs {
			if r.Name() == branch {
				head = r.Hash()
			}
		}
		if head.IsZero() {
			return nil, noBranch(plumbing.ErrReferenceNotFound)
		}
	}
	if c := p.opts.Commit; c != "" {
		return p.given(c, head)
	}
	p.Commit, p.From = head.String(), track.Short()+" on the remote now"
	if c, err := p.repo.CommitObject(head); err == nil {
		return c, nil
	}
	p.fetch = true
	if src == nil {
		cloned, err := git.CloneContext(ctx, memory.NewStorage(), nil, &git.CloneOptions{
			URL: url, Auth: p.opts.Auth, ReferenceName: branch, SingleBranch: true, Depth: 1, Tags: git.NoTags,
		})
		if err != nil {
			return nil, fmt.Errorf("tags: read %s of %s: %w", p.opts.Branch, p.opts.Remote, err)
		}
		ref, err := cloned.Head()
		if err != nil {
			return nil, err
		}
		if ref.Hash() != head {
			return nil, fmt.Errorf("tags: %s moved from %s to %s while it was read; plan again", track.Short(), short(head.String()), short(ref.Hash().String()))
		}
		src = cloned
	}
	c, err := src.CommitObject(head)
	if err != nil {
		return nil, fmt.Errorf("tags: read %s (%s): %w", track.Short(), short(head.String()), err)
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
	err = gitrepo.OnBranch(p.repo, track, head, h.String())
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

// checkTree writes the tree of commit into a temporary directory and
// gives it to check.
func checkTree(commit *object.Commit, check func(commit, dir string) error) error {
	tree, err := commit.Tree()
	if err != nil {
		return fmt.Errorf("commit %s: %w", short(commit.Hash.String()), err)
	}
	dir, err := os.MkdirTemp("", "tags-tree-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if err := gitrepo.WriteTree(tree, dir); err != nil {
		return fmt.Errorf("commit %s: %w", short(commit.Hash.String()), err)
	}
	return check(commit.Hash.String(), dir)
}

// fetchCommit fetches the remote's branch into its remote-tracking ref,
// for a plan made on a commit the local repository did not have, and
// checks that the branch is still at the planned commit.
func (p *Plan) fetchCommit(ctx context.Context) error {
	remote, err := p.repo.Remote(p.Remote)
	if err != nil {
		return err
	}
	track := plumbing.NewRemoteReferenceName(p.opts.Remote, p.opts.Branch)
	spec := config.RefSpec("+" + plumbing.NewBranchReferenceName(p.opts.Branch).String() + ":" + track.String())
	err = remote.FetchContext(ctx, &git.FetchOptions{RemoteName: p.opts.Remote, RefSpecs: []config.RefSpec{spec}, Tags: git.NoTags, Auth: p.opts.Auth})
	if err != nil && !errors.Is(err, git.NoErrAlreadyUpToDate) {
		return fmt.Errorf("tags: fetch %s from %s: %w", p.opts.Branch, p.opts.Remote, err)
	}
	ref, err := p.repo.Reference(track, true)
	if err != nil {
		return fmt.Errorf("tags: %s has no branch %q: %w", p.opts.Remote, p.opts.Branch, err)
	}
	if ref.Hash().String() != p.Commit {
		return fmt.Errorf("tags: %s moved from %s to %s since the plan; nothing was tagged: plan again", track.Short(), short(p.Commit), short(ref.Hash().String()))
	}
	p.fetch = false
	return nil
}

// modules reads the go.mod files of a commit's tree.
func modules(commit *object.Commit) ([]gomod.Module, error) {
	tree, err := commit.Tree()
	if err != nil {
		return nil, err
	}
	var mods []gomod.Module
	walker := object.NewTreeWalker(tree, true, nil)
	defer walker.Close()
	for {
		name, entry, err := walker.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if entry.Mode.IsFile() && path.Base(name) == "go.mod" && !skipped(path.Dir(name)) {
			f, err := tree.TreeEntryFile(&entry)
			if err != nil {
				return nil, err
			}
			data, err := f.Contents()
			if err != nil {
				return nil, err
			}
			m, err := gomod.Parse(path.Dir(name), []byte(data))
			if err != nil {
				return nil, err
			}
			mods = append(mods, m)
		}
	}
	return mods, nil
}

// skipped reports whether a directory is one Go does not look in.
func skipped(dir string) bool {
	for _, d := range strings.Split(dir, "/") {
		if d != "." && gomod.SkipDir(d) {
			return true
		}
	}
	return false
}

// Require is a require between the repository's modules that names
// another version than the one to tag.
type Require struct {
	Dir     string // the directory of the module whose go.mod requires
	Module  string // the module path required
	Version string // the version required
}

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
	internal := map[string]bool{}
	for _, m := range mods {
		internal[m.Path] = true
	}
	var bad []Require
	for _, m := range mods {
		for r, rv := range m.Requires {
			if internal[r] && rv != v.String() && rv != gomod.ZeroPseudoVersion {
				bad = append(bad, Require{Dir: m.Dir, Module: r, Version: rv})
			}
		}
	}
	if len(bad) == 0 {
		return nil
	}
	sort.Slice(bad, func(i, j int) bool {
		if bad[i].Dir != bad[j].Dir {
			return bad[i].Dir < bad[j].Dir
		}
		return bad[i].Module < bad[j].Module
	})
	return &RequiresError{Commit: commit, Version: v, Requires: bad}
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
func (p *Plan) WriteTo(w io.Writer) (int64, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "tags for %s on %s (%s)\n", p.Version, p.Commit, p.From)
	var todo []PlannedTag
	for _, t := range p.Tags {
		note := ""
		switch t.State {
		case New:
			todo = append(todo, t)
		case LocalOnly:
			todo = append(todo, t)
			note = " (exists locally, to push)"
		case Done:
			note = " (already on " + p.Remote + ")"
		case Conflict:
			note = fmt.Sprintf(" (local %s, %s %s)", orNone(t.LocalCommit), p.Remote, orNone(t.RemoteCommit))
		}
		fmt.Fprintf(&b, "  %-8s %s%s\n", t.State, t.Name, note)
	}
	if !p.AtomicPush {
		fmt.Fprintf(&b, "  note: %s does not advertise atomic pushes\n", p.Remote)
	}
	if len(todo) > 0 && p.Err() == nil {
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
