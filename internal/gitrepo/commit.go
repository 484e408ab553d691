package gitrepo

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// Commits are a phase's commits on the current branch, made as `git
// commit` makes them, so that what the user configures git for applies:
// each commit's tree is the previous commit's plus exactly the phase's
// paths, staged as `git add` stages them (clean filters such as git-lfs,
// line-ending normalisation), the pre-commit, prepare-commit-msg and
// commit-msg hooks run (core.hooksPath honoured), and the commit is signed
// when commit.gpgsign says so. The commits are written as git writes
// objects (each complete before it is named, so a full disk cannot leave
// a broken object) but referenced by nothing until land: then the branch
// moves, once, and only if it is still where the phase found it, and the
// index follows. Like git's own commands, landing honours git's lock
// files (index.lock, the branch's lock), and moving the branch leaves a
// reflog entry, so `git reset --hard main@{1}` undoes it.
//
// The commits share one index of their own (the user's is left alone
// until land), and the configuration is read once: a phase of two commits
// starts five git processes (one configuration read, per commit an
// update-index and a commit-tree, one update-ref), whatever the number of
// paths (one more update-index per 128 KiB of their names). [Commits.Close]
// removes the phase's index.
type Commits struct {
	repo   *git.Repository
	root   string
	dirs   dirs
	branch plumbing.ReferenceName
	start  plumbing.Hash // where the branch was when the commits started
	old    plumbing.Hash // where the branch is now, as far as Commits knows
	head   plumbing.Hash
	paths  map[string]bool   // every path committed since start
	cfg    *commitConfig     // read at the first commit
	who    *object.Signature // the last commit's committer
	msgs   []string          // the commits' first lines
	// Out receives what the hooks print when they succeed (a failing
	// hook's output is in its [*HookError]); nil discards it.
	Out io.Writer

	tmp   string // the directory of the phase's index; "" until the first commit
	index string // the phase's index
	user  []byte // the user's index the phase's started as a copy of; nil: HEAD's tree read
	clean []byte // the index as git status found it clean ([Commits.CheckClean])
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

// CheckClean is [CheckClean] for the commits' work tree, which also notes
// the index git status found clean (unchanged while it ran): when it is
// still so at the first commit, nothing is staged in it, and the phase's
// index starts as a copy of it.
func (c *Commits) CheckClean() error {
	name := filepath.Join(c.dirs.git, "index")
	before, berr := os.ReadFile(name)
	if err := CheckClean(c.repo, c.root); err != nil {
		return err
	}
	if after, err := os.ReadFile(name); berr == nil && err == nil && bytes.Equal(before, after) {
		c.clean = after
	}
	return nil
}

// Commit records a commit on top of the previous one (or of the branch):
// its tree is the previous commit's with paths (slash-separated, relative
// to the root) as they are in the work tree, a path that no longer exists
// removed, and whatever the pre-commit hook stages. Nothing else of the
// user's index goes in: a change the user staged is not the phase's. msg
// is what the prepare-commit-msg and commit-msg hooks leave of it. who is
// its author and committer; the commit is signed (`git commit-tree -S`)
// when the repository's commit.gpgsign is true. A hook that fails is a
// [*HookError], and nothing is committed. The branch does not move until
// [Commits.Land].
func (c *Commits) Commit(paths []string, msg string, who *object.Signature) (plumbing.Hash, error) {
	cfg, err := c.config()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	if err := c.stage(paths); err != nil {
		return plumbing.ZeroHash, err
	}
	if msg, err = c.runHooks(cfg, msg); err != nil {
		return plumbing.ZeroHash, err
	}
	tree, err := c.writeTree()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	args := []string{"commit-tree", tree.String(), "-p", c.head.String(), "-m", msg}
	if cfg.sign {
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

// Close removes the phase's index. The commits cannot be used after it.
func (c *Commits) Close() error {
	if c.tmp == "" {
		return nil
	}
	err := os.RemoveAll(c.tmp)
	c.tmp, c.index = "", ""
	return err
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

// Land moves the branch to the last commit and the index with it, as
// `git commit` does: it takes index.lock first (a [*LockedError] if
// another git command holds it, or the branch's lock), moves the branch
// with `git update-ref` only if it is still where the commits started
// ([ErrMoved] otherwise), which appends an entry to the branch's reflog
// and HEAD's, then writes the index: the phase's own when the user's is
// still as the commits found it, else the user's with the committed
// paths' entries moved to the last commit (`git reset -- <paths>`). moved
// says whether the branch moved: after that, a failure needs the branch
// and index put back (see [Commits.Undo]); before it, nothing but
// unreferenced objects was written.
func (c *Commits) Land() (moved bool, err error) {
	if !c.Pending() {
		return false, nil
	}
	msg := "commit: " + c.msgs[len(c.msgs)-1]
	if len(c.msgs) > 1 {
		msg = fmt.Sprintf("commit (%d commits): %s", len(c.msgs), strings.Join(c.msgs, "; "))
	}
	index := ""
	if c.user != nil {
		index = c.index
	}
	moved, err = c.move(c.old, c.head, c.who, msg, index)
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
	moved, err := c.move(c.old, c.start, who, "reset: moving to "+c.start.String(), "")
	if moved {
		c.old, c.head = c.start, c.start
	}
	return err
}

// move moves the branch from one commit to another and the index with it,
// under index.lock; see [Commits.Land]. index, when not "", is the index
// to put in place of the user's if the user's is still the one the
// phase's index was copied from; otherwise the entries of the committed paths are reset.
func (c *Commits) move(from, to plumbing.Hash, who *object.Signature, msg, index string) (moved bool, err error) {
	l, err := lockIndex(c.dirs)
	if err != nil {
		return false, err
	}
	user, err := os.ReadFile(filepath.Join(c.dirs.git, "index"))
	if err != nil {
		l.rollback()
		return false, fmt.Errorf("read the index: %w", err)
	}
	replace := index != "" && bytes.Equal(user, c.user)
	if err := moveBranch(c.repo, c.root, c.dirs, c.branch, from, to, who, msg); err != nil {
		l.rollback()
		return false, fmt.Errorf("move %s from %s to %s: %w", c.branch.Short(), from, to, err)
	}
	if replace {
		err = copyFile(l, index)
	} else if _, err = l.Write(user); err == nil {
		err = resetIndex(c.root, l, to, c.committed())
	}
	if err != nil {
		l.rollback()
		return true, fmt.Errorf("write the index: %w", err)
	}
	if err := l.commit(); err != nil {
		return true, fmt.Errorf("write the index: %w", err)
	}
	return true, nil
}

// committed is every path committed since start, sorted.
func (c *Commits) committed() []string {
	paths := make([]string, 0, len(c.paths))
	for p := range c.paths {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	return paths
}

// copyFile copies the file name into w.
func copyFile(w io.Writer, name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}

// short lists paths for a message: the first five and a count of the rest.
func short(paths []string) string {
	return (&DirtyError{Files: paths}).List()
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}
