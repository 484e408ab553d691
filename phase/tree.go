package phase

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	git "github.com/go-git/go-git/v5"

	"github.com/confidential-containers/release-tools/internal/fsutil"
	"github.com/confidential-containers/release-tools/internal/gitrepo"
	"github.com/confidential-containers/release-tools/internal/udiff"
)

// Change is one file's edit: its bytes before and after, nil for a file
// that does not exist (Old nil: the change creates it; New nil: it removes
// it). Plan and apply share it, so a dry run shows exactly what a real run
// writes.
type Change struct {
	Path     string // relative to the repository root, slash-separated
	Old, New []byte
}

// Diff renders the change as a unified diff with three lines of context;
// a created or removed file is diffed against /dev/null, as git does.
func (c Change) Diff() string { return udiff.File(c.Path, c.Old, c.New) }

// Apply writes the change below root, only if the file still holds Old
// (or, for Old nil, still does not exist).
func (c Change) Apply(root string) error {
	name := filepath.Join(root, filepath.FromSlash(c.Path))
	cur, err := fsutil.ReadIfExists(name)
	if err != nil {
		return err
	}
	if (cur == nil) != (c.Old == nil) || !bytes.Equal(cur, c.Old) {
		return fmt.Errorf("%s changed since the plan was made; run again", c.Path)
	}
	if c.New == nil {
		return os.Remove(name)
	}
	return fsutil.WriteFile(name, cur != nil, c.New)
}

// Tree is the repository's files as a phase's edits leave them: it reads
// from disk and keeps every edit in memory, so the steps of a plan build on
// each other and nothing is written until the plan is applied.
//
// It edits only files git tracks: an edit, write or removal of an
// existing file that is not in git's index (untracked or ignored: a copied
// overlay directory, a local settings file) changes nothing, and the file
// is listed by [Tree.LeftAlone] (the phase's plan names it). Creating a
// file that does not exist is an edit like any other.
type Tree struct {
	Root string
	// Git is the repository at Root, for the steps that read it
	// ([Tree.Repository]); nil: a tree over files only.
	Git      *git.Repository
	progress io.Writer         // told about lookups that wait on the network
	files    map[string][]byte // current content of edited files; nil: removed
	log      []Change          // every edit, in order
	tracked  map[string]bool   // the paths in git's index; nil until read
	all      bool              // Root is no git work tree: every file counts as tracked
	left     []string          // untracked files an edit left alone, each time
	touched  map[string]bool   // every path an edit, write or removal was asked for
}

// NewTree returns a tree over the repository at root.
func NewTree(root string) *Tree {
	return &Tree{Root: root, files: map[string][]byte{}, touched: map[string]bool{}}
}

// ErrNoRepository is returned, wrapped, when a phase or a tree was given
// no git handle: whoever builds one opens the repository once
// (release.New) and passes it as Git.
var ErrNoRepository = errors.New("no git repository handle given (Git is nil)")

// Repository is the git handle of the repository at Root, Git; an error
// wrapping [ErrNoRepository] when that is nil.
func (t *Tree) Repository() (*git.Repository, error) {
	if t.Git == nil {
		return nil, fmt.Errorf("%s: %w", t.Root, ErrNoRepository)
	}
	return t.Git, nil
}

// Waiting says, on the phase's output, that a lookup that waits on the
// network starts.
func (t *Tree) Waiting(what string) {
	if t.progress != nil {
		fmt.Fprintf(t.progress, "  ... %s (waits on the network)\n", what)
	}
}

// ErrOutside is returned, wrapped, for a path that leaves the repository
// or goes through a symbolic link.
var ErrOutside = errors.New("not a file inside the repository")

// check refuses a path that is not a clean relative path inside the
// root, or that is or goes through a symbolic link: a phase edits and
// commits files of the repository only.
func (t *Tree) check(p string) error {
	if p == "" || path.IsAbs(p) || path.Clean(p) != p || p == ".." || strings.HasPrefix(p, "../") || strings.Contains(p, "\\") {
		return fmt.Errorf("%q: %w (give a slash-separated path relative to the root, without ..)", p, ErrOutside)
	}
	dir := t.Root
	for _, part := range strings.Split(p, "/") {
		dir = filepath.Join(dir, part)
		info, err := os.Lstat(dir)
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		if info.Mode()&fs.ModeSymlink != 0 {
			rel, _ := filepath.Rel(t.Root, dir)
			return fmt.Errorf("%s: %w: %s is a symbolic link; edit the file it points at by hand, or replace the link", p, ErrOutside, filepath.ToSlash(rel))
		}
	}
	return nil
}

// Read returns a file's content as the edits so far leave it. A file that
// does not exist is an error wrapping [fs.ErrNotExist].
func (t *Tree) Read(path string) ([]byte, error) {
	data, err := t.read(path)
	if err == nil && data == nil {
		return nil, fmt.Errorf("%s: %w", path, fs.ErrNotExist)
	}
	return data, err
}

// Exists reports whether a file exists as the edits so far leave it.
func (t *Tree) Exists(path string) (bool, error) {
	data, err := t.read(path)
	return data != nil, err
}

// read is Read with nil for a file that does not exist.
func (t *Tree) read(path string) ([]byte, error) {
	if err := t.check(path); err != nil {
		return nil, err
	}
	if data, ok := t.files[path]; ok {
		return data, nil
	}
	return fsutil.ReadIfExists(filepath.Join(t.Root, filepath.FromSlash(path)))
}

// Edit replaces a file's content with what edit makes of it, and returns
// the change (nil when the content stays).
func (t *Tree) Edit(path string, edit func([]byte) ([]byte, error)) (*Change, error) {
	old, leave, err := t.begin(path, true)
	if leave || err != nil {
		return nil, err
	}
	out, err := edit(old)
	if err != nil {
		return nil, err
	}
	return t.put(path, old, out), nil
}

// Write sets a file's content, creating it if it does not exist, and
// returns the change (nil when the content stays).
func (t *Tree) Write(path string, data []byte) (*Change, error) {
	old, leave, err := t.begin(path, false)
	if leave || err != nil {
		return nil, err
	}
	if data == nil {
		data = []byte{}
	}
	return t.put(path, old, data), nil
}

// Remove removes a file, and returns the change (nil when there is no
// such file).
func (t *Tree) Remove(path string) (*Change, error) {
	old, leave, err := t.begin(path, false)
	if leave || err != nil {
		return nil, err
	}
	return t.put(path, old, nil), nil
}

// begin is the start of every edit of path: its bytes now (nil: it does
// not exist, an error wrapping fs.ErrNotExist if it must), the path noted
// as touched, and whether the edit must leave it alone (see leaveAlone).
func (t *Tree) begin(path string, mustExist bool) (old []byte, leave bool, err error) {
	read := t.read
	if mustExist {
		read = t.Read
	}
	if old, err = read(path); err != nil {
		return nil, false, err
	}
	t.touched[path] = true
	leave, err = t.leaveAlone(path, old)
	return old, leave, err
}

// LeftAlone lists the existing files that edits left alone because git
// does not track them, in the order they were first met.
func (t *Tree) LeftAlone() []string { return unique(t.left) }

// unique is paths without repeats, in the order they were first met.
func unique(paths []string) []string {
	var out []string
	for _, p := range paths {
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// leaveAlone reports whether an edit of path, which holds old (nil: does
// not exist), must change nothing: the file exists and git does not track
// it (and this phase did not create it). It notes the file in t.left.
func (t *Tree) leaveAlone(path string, old []byte) (bool, error) {
	if _, ours := t.files[path]; old == nil || ours {
		return false, nil
	}
	if t.tracked == nil && !t.all {
		if err := t.readIndex(); err != nil {
			return false, err
		}
	}
	if t.all || t.tracked[path] {
		return false, nil
	}
	t.left = append(t.left, path)
	return true, nil
}

// readIndex reads the paths git tracks from the index of the repository
// at Root; a Root that is no git work tree tracks everything.
func (t *Tree) readIndex() (err error) {
	t.tracked, err = gitrepo.Tracked(t.Root)
	t.all = err == nil && t.tracked == nil
	return err
}

func (t *Tree) put(path string, old, data []byte) *Change {
	if (old == nil) == (data == nil) && bytes.Equal(old, data) {
		return nil
	}
	t.files[path] = data
	c := Change{Path: path, Old: old, New: data}
	t.log = append(t.log, c)
	return &c
}
