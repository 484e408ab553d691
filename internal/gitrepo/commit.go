package gitrepo

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/format/index"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
	"github.com/go-git/go-git/v5/storage/memory"
)

// Commits are a phase's commits, built in memory on the current branch and
// written together by land: every new object (blobs, trees, commits) in
// one packfile rather than a loose file each (creating a file costs far
// more than writing one, and a release that pins a thousand overlays would
// otherwise create over two thousand), then the branch moves, once, and
// only if it is still where the phase found it, then the index. Until
// land, the repository is untouched. Like git's own commands, landing
// honours git's lock files (index.lock, the branch's lock), and moving the
// branch leaves a reflog entry, so `git reset --hard main@{1}` undoes it.
type Commits struct {
	repo   *git.Repository
	root   string
	dirs   dirs
	branch plumbing.ReferenceName
	start  plumbing.Hash // where the branch was when the commits started
	old    plumbing.Hash // where the branch is now, as far as Commits knows
	head   plumbing.Hash
	idx    *index.Index
	objs   *objects
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
	idx, err := repo.Storer.Index()
	if err != nil {
		return nil, err
	}
	d, err := gitDirs(root)
	if err != nil {
		return nil, err
	}
	return &Commits{repo: repo, root: root, dirs: d, branch: branch, start: old.Hash(), old: old.Hash(), head: old.Hash(), idx: idx, objs: newObjects(repo.Storer)}, nil
}

// Commit stages paths and records a commit of the index on top of the
// previous one, in memory.
func (c *Commits) Commit(paths []string, msg string, sig *object.Signature) (plumbing.Hash, error) {
	for _, p := range paths {
		if err := c.objs.stage(c.idx, c.root, p); err != nil {
			return plumbing.ZeroHash, fmt.Errorf("git add %s: %w", p, err)
		}
	}
	tree, err := c.objs.tree(c.idx)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	h, err := c.objs.put(&object.Commit{Author: *sig, Committer: *sig, Message: msg, TreeHash: tree, ParentHashes: []plumbing.Hash{c.head}})
	if err != nil {
		return plumbing.ZeroHash, err
	}
	c.head = h
	c.who = sig
	c.msgs = append(c.msgs, firstLine(msg))
	return h, nil
}

// Branch is the branch the commits go on.
func (c *Commits) Branch() plumbing.ReferenceName { return c.branch }

// Head is the last commit made (the branch's commit before the first).
func (c *Commits) Head() plumbing.Hash { return c.head }

// Pending reports whether there are commits that have not landed.
func (c *Commits) Pending() bool { return c.head != c.old }

// Land writes the commits, moves the branch to the last one and writes
// the index, as `git commit` does: it takes index.lock first and the
// branch's lock to move it (a [*LockedError] if another git command holds
// either), moves the branch only if it is still where the commits started
// ([ErrMoved] otherwise), and appends an entry to the branch's reflog and
// HEAD's. moved says whether the branch moved: after that, a failure needs
// the branch and index put back (see [Commits.Undo]); before it, nothing
// but unreferenced objects was written.
func (c *Commits) Land() (moved bool, err error) {
	if !c.Pending() {
		return false, nil
	}
	l, err := lockIndex(c.dirs)
	if err != nil {
		return false, err
	}
	if err := c.objs.flush(); err != nil {
		l.rollback()
		return false, fmt.Errorf("write objects: %w", err)
	}
	msg := "commit: " + c.msgs[len(c.msgs)-1]
	if len(c.msgs) > 1 {
		msg = fmt.Sprintf("commit (%d commits): %s", len(c.msgs), strings.Join(c.msgs, "; "))
	}
	if err := moveBranch(c.repo, c.dirs, c.branch, c.old, c.head, c.who, msg); err != nil {
		l.rollback()
		return false, fmt.Errorf("move %s from %s to %s: %w", c.branch.Short(), c.old, c.head, err)
	}
	c.old = c.head
	c.msgs = nil
	c.objs = newObjects(c.repo.Storer)
	if err := writeIndex(l, c.idx); err != nil {
		return true, fmt.Errorf("write the index: %w", err)
	}
	return true, nil
}

// Undo moves the branch back to where the commits started, and the index
// to that commit's tree, leaving the work tree's files as they are (the
// phase restores those itself), like `git reset --mixed`: under git's
// locks, only if the branch is still where Land left it ([ErrMoved]
// otherwise), with a reflog entry "reset: moving to <commit>" by who.
func (c *Commits) Undo(who *object.Signature) error {
	if c.old == c.start {
		return nil
	}
	l, err := lockIndex(c.dirs)
	if err != nil {
		return err
	}
	idx, err := treeIndex(c.repo, c.start, c.idx)
	if err != nil {
		l.rollback()
		return fmt.Errorf("read the index of %s: %w", c.start, err)
	}
	if err := moveBranch(c.repo, c.dirs, c.branch, c.old, c.start, who, "reset: moving to "+c.start.String()); err != nil {
		l.rollback()
		return fmt.Errorf("move %s back from %s to %s: %w", c.branch.Short(), c.old, c.start, err)
	}
	c.old, c.head, c.idx = c.start, c.start, idx
	if err := writeIndex(l, idx); err != nil {
		return fmt.Errorf("write the index: %w", err)
	}
	return nil
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

// objects collects new objects in memory until flush writes them to the
// repository as one packfile.
type objects struct {
	repo  storer.EncodedObjectStorer
	mem   *memory.Storage
	added []plumbing.Hash
}

func newObjects(repo storer.EncodedObjectStorer) *objects {
	return &objects{repo: repo, mem: memory.NewStorage()}
}

type encoder interface {
	Encode(plumbing.EncodedObject) error
}

// put encodes an object and keeps it unless the repository has it already.
func (o *objects) put(v encoder) (plumbing.Hash, error) {
	obj := o.mem.NewEncodedObject()
	if err := v.Encode(obj); err != nil {
		return plumbing.ZeroHash, err
	}
	return o.keep(obj)
}

func (o *objects) keep(obj plumbing.EncodedObject) (plumbing.Hash, error) {
	h := obj.Hash()
	if o.repo.HasEncodedObject(h) == nil || o.mem.HasEncodedObject(h) == nil {
		return h, nil
	}
	if _, err := o.mem.SetEncodedObject(obj); err != nil {
		return plumbing.ZeroHash, err
	}
	o.added = append(o.added, h)
	return h, nil
}

// stage records a work tree file as a blob and points its index entry at it.
func (o *objects) stage(idx *index.Index, root, p string) error {
	name := filepath.Join(root, filepath.FromSlash(p))
	info, err := os.Lstat(name)
	if errors.Is(err, fs.ErrNotExist) { // a file the phase deleted
		if _, err := idx.Remove(p); err != nil && !errors.Is(err, index.ErrEntryNotFound) {
			return err
		}
		return nil
	}
	if err != nil {
		return err
	}
	data, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	obj := o.mem.NewEncodedObject()
	obj.SetType(plumbing.BlobObject)
	obj.SetSize(int64(len(data)))
	w, err := obj.Writer()
	if err != nil {
		return err
	}
	if _, err := w.Write(data); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	h, err := o.keep(obj)
	if err != nil {
		return err
	}
	mode, err := filemode.NewFromOSFileMode(info.Mode())
	if err != nil {
		return err
	}
	e, err := idx.Entry(p)
	if errors.Is(err, index.ErrEntryNotFound) {
		e = idx.Add(p)
	} else if err != nil {
		return err
	}
	e.Hash, e.Mode, e.Size, e.ModifiedAt = h, mode, uint32(len(data)), info.ModTime()
	return nil
}

// tree builds the trees of the index, keeps the new ones, and returns the
// root tree's hash.
func (o *objects) tree(idx *index.Index) (plumbing.Hash, error) {
	return indexTree(idx, o.put)
}

// indexTree builds the trees of the index bottom-up, handing each to put,
// and returns the root tree's hash.
func indexTree(idx *index.Index, put func(encoder) (plumbing.Hash, error)) (plumbing.Hash, error) {
	trees := map[string]*object.Tree{"": {}}
	for _, e := range idx.Entries {
		dir := ""
		parts := strings.Split(e.Name, "/")
		for i, part := range parts {
			full := path.Join(dir, part)
			if i == len(parts)-1 {
				trees[dir].Entries = append(trees[dir].Entries, object.TreeEntry{Name: part, Mode: e.Mode, Hash: e.Hash})
				break
			}
			if _, ok := trees[full]; !ok {
				trees[full] = &object.Tree{}
				trees[dir].Entries = append(trees[dir].Entries, object.TreeEntry{Name: part, Mode: filemode.Dir})
			}
			dir = full
		}
	}
	var write func(dir string) (plumbing.Hash, error)
	write = func(dir string) (plumbing.Hash, error) {
		t := trees[dir]
		for i, e := range t.Entries {
			if e.Mode == filemode.Dir {
				h, err := write(path.Join(dir, e.Name))
				if err != nil {
					return plumbing.ZeroHash, err
				}
				t.Entries[i].Hash = h
			}
		}
		// Git orders a tree's entries by name, a directory's as if it ended in "/".
		key := func(e object.TreeEntry) string {
			if e.Mode == filemode.Dir {
				return e.Name + "/"
			}
			return e.Name
		}
		sort.Slice(t.Entries, func(i, j int) bool { return key(t.Entries[i]) < key(t.Entries[j]) })
		return put(t)
	}
	return write("")
}

// flush writes the new objects to the repository as one packfile.
func (o *objects) flush() error {
	if len(o.added) == 0 {
		return nil
	}
	pw, ok := o.repo.(storer.PackfileWriter)
	if !ok {
		for _, h := range o.added {
			obj, err := o.mem.EncodedObject(plumbing.AnyObject, h)
			if err != nil {
				return err
			}
			if _, err := o.repo.SetEncodedObject(obj); err != nil {
				return err
			}
		}
		return nil
	}
	w, err := pw.PackfileWriter()
	if err != nil {
		return err
	}
	if _, err := packfile.NewEncoder(w, o.mem, false).Encode(o.added, 0); err != nil {
		w.Close()
		return err
	}
	return w.Close()
}
