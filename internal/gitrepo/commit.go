package gitrepo

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// Commits are a phase's commits on the current branch, made by git itself
// so that what the user configures git for applies: each commit's tree is
// the previous commit's plus exactly the phase's paths, staged as `git add`
// stages them (clean filters such as git-lfs, line-ending normalisation),
// and the commit is signed when commit.gpgsign says so. The commits are
// written as git writes objects (each complete before it is named, so a
// full disk cannot leave a broken object) but referenced by nothing until
// land: then the branch moves, once, and only if it is still where the
// phase found it, and the index entries of the committed paths follow.
// Like git's own commands, landing honours git's lock files (index.lock,
// the branch's lock), and moving the branch leaves a reflog entry, so `git
// reset --hard main@{1}` undoes it.
type Commits struct {
	repo   *git.Repository
	root   string
	dirs   dirs
	branch plumbing.ReferenceName
	start  plumbing.Hash // where the branch was when the commits started
	old    plumbing.Hash // where the branch is now, as far as Commits knows
	head   plumbing.Hash
	paths  map[string]bool   // every path committed since start
	sign   *bool             // commit.gpgsign, read at the first commit
	who    *object.Signature // the last commit's committer
	msgs   []string          // the commits' first lines
}

// NewCommits starts a phase's commits on the branch HEAD names. A
// detached HEAD is refused ([ErrDetached]): commits on it would be found
// only by git fsck.
func NewCommits(repo *git.Repository, root string) (*Commits, error) {
	head, err := repo.Storer.Reference(plumbing.HEAD)
	if err != nil {
		return nil, err
	}
	if head.Type() != plumbing.SymbolicReference {
		return nil, fmt.Errorf("%w at %s: check out the release branch first", ErrDetached, head.Hash())
	}
	branch := head.Target()
	old, err := repo.Storer.Reference(branch)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", branch, err)
	}
	d, err := gitDirs(root)
	if err != nil {
		return nil, err
	}
	return &Commits{repo: repo, root: root, dirs: d, branch: branch, start: old.Hash(), old: old.Hash(), head: old.Hash(), paths: map[string]bool{}}, nil
}

// Commit records a commit on top of the previous one (or of the branch):
// its tree is the previous commit's with paths (slash-separated, relative
// to the root) as they are in the work tree, a path that no longer exists
// removed. Nothing else of the index goes in: a change the user staged is
// not the phase's. who is its author and committer; the commit is signed
// (`git commit-tree -S`) when the repository's commit.gpgsign is true.
// The branch does not move until [Commits.Land].
func (c *Commits) Commit(paths []string, msg string, who *object.Signature) (plumbing.Hash, error) {
	tree, err := c.tree(paths)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	sign, err := c.signing()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	args := []string{"commit-tree", tree, "-p", c.head.String(), "-m", msg}
	if sign {
		args = append(args, "-S")
	}
	out, err := gitIn(c.root, identity(who), args...)
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("git commit-tree: %w", err)
	}
	h, err := parseHash(out)
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("git commit-tree: %w", err)
	}
	for _, p := range paths {
		c.paths[p] = true
	}
	c.head = h
	c.who = who
	c.msgs = append(c.msgs, firstLine(msg))
	return h, nil
}

// tree stages paths over the previous commit's tree in an index of its
// own (the user's is left alone), as `git add --all` would, and writes
// the tree: three git processes, whatever the number of paths (one more
// per 128 KiB of their names).
func (c *Commits) tree(paths []string) (string, error) {
	dir, err := os.MkdirTemp("", "release-tools-index-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dir)
	index, err := filepath.Abs(filepath.Join(dir, "index")) // git runs in root
	if err != nil {
		return "", err
	}
	env := []string{"GIT_INDEX_FILE=" + index}
	if _, err := gitIn(c.root, env, "read-tree", c.head.String()); err != nil {
		return "", fmt.Errorf("git read-tree: %w", err)
	}
	// update-index takes paths as they are (no pathspec magic, no ignore
	// rules: a file the phase creates goes in even when .gitignore names
	// it), runs the clean filters and normalises line endings as git add
	// does, and with --remove drops a path that no longer exists.
	sorted := append([]string(nil), paths...)
	sort.Strings(sorted)
	for _, b := range batches(sorted) {
		if _, err := gitIn(c.root, env, append([]string{"update-index", "--add", "--remove", "--"}, b...)...); err != nil {
			return "", fmt.Errorf("stage %s: %w", short(b), err)
		}
	}
	out, err := gitIn(c.root, env, "write-tree")
	if err != nil {
		return "", fmt.Errorf("git write-tree: %w", err)
	}
	h, err := parseHash(out)
	if err != nil {
		return "", fmt.Errorf("git write-tree: %w", err)
	}
	return h.String(), nil
}

// signing reads commit.gpgsign once: `git commit` signs when it is true,
// but `git commit-tree` only when told (-S).
func (c *Commits) signing() (bool, error) {
	if c.sign == nil {
		out, err := gitIn(c.root, nil, "config", "--type=bool", "--default=false", "--get", "commit.gpgsign")
		if err != nil {
			return false, fmt.Errorf("read commit.gpgsign: %w", err)
		}
		sign := strings.TrimSpace(string(out)) == "true"
		c.sign = &sign
	}
	return *c.sign, nil
}

// parseHash reads the object name git printed.
func parseHash(out []byte) (plumbing.Hash, error) {
	s := strings.TrimSpace(string(out))
	if !plumbing.IsHash(s) {
		return plumbing.ZeroHash, fmt.Errorf("not an object name: %q", s)
	}
	return plumbing.NewHash(s), nil
}

// Branch is the branch the commits go on.
func (c *Commits) Branch() plumbing.ReferenceName { return c.branch }

// Head is the last commit made (the branch's commit before the first).
func (c *Commits) Head() plumbing.Hash { return c.head }

// Pending reports whether there are commits that have not landed.
func (c *Commits) Pending() bool { return c.head != c.old }

// Land moves the branch to the last commit and the index entries of the
// committed paths to it, as `git commit` does: it takes index.lock first
// (a [*LockedError] if another git command holds it, or the branch's
// lock), moves the branch with `git update-ref` only if it is still where
// the commits started ([ErrMoved] otherwise), which appends an entry to
// the branch's reflog and HEAD's, then writes the index. moved says
// whether the branch moved: after that, a failure needs the branch and
// index put back (see [Commits.Undo]); before it, nothing but unreferenced
// objects was written.
func (c *Commits) Land() (moved bool, err error) {
	if !c.Pending() {
		return false, nil
	}
	msg := "commit: " + c.msgs[len(c.msgs)-1]
	if len(c.msgs) > 1 {
		msg = fmt.Sprintf("commit (%d commits): %s", len(c.msgs), strings.Join(c.msgs, "; "))
	}
	moved, err = c.move(c.old, c.head, c.who, msg)
	if moved {
		c.old = c.head
		c.msgs = nil
	}
	return moved, err
}

// Undo moves the branch back to where the commits started, and the index
// entries of the committed paths to that commit, leaving the work tree's
// files as they are (the phase restores those itself), like `git reset
// --mixed`: under git's locks, only if the branch is still where Land left
// it ([ErrMoved] otherwise), with a reflog entry "reset: moving to
// <commit>" by who.
func (c *Commits) Undo(who *object.Signature) error {
	if c.old == c.start {
		return nil
	}
	moved, err := c.move(c.old, c.start, who, "reset: moving to "+c.start.String())
	if moved {
		c.old, c.head = c.start, c.start
	}
	return err
}

// move moves the branch from one commit to another and the index entries
// of the committed paths with it, under index.lock; see [Commits.Land].
func (c *Commits) move(from, to plumbing.Hash, who *object.Signature, msg string) (moved bool, err error) {
	l, err := lockIndex(c.dirs)
	if err != nil {
		return false, err
	}
	if err := copyIndex(c.dirs, l); err != nil {
		l.rollback()
		return false, fmt.Errorf("read the index: %w", err)
	}
	if err := moveBranch(c.repo, c.root, c.dirs, c.branch, from, to, who, msg); err != nil {
		l.rollback()
		return false, fmt.Errorf("move %s from %s to %s: %w", c.branch.Short(), from, to, err)
	}
	paths := make([]string, 0, len(c.paths))
	for p := range c.paths {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	if err := resetIndex(c.root, l, to, paths); err != nil {
		l.rollback()
		return true, fmt.Errorf("write the index: %w", err)
	}
	if err := l.commit(); err != nil {
		return true, fmt.Errorf("write the index: %w", err)
	}
	return true, nil
}

// short lists paths for a message: the first five and a count of the rest.
func short(paths []string) string {
	return (&DirtyError{Files: paths}).List()
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}
