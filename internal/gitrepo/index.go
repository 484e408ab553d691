package gitrepo

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/format/index"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// stage stages paths in the phase's index, made at the first commit, as
// `git add --all` would.
func (c *Commits) stage(paths []string) error {
	if c.index == "" {
		if err := c.newIndex(); err != nil {
			return err
		}
	}
	env := []string{"GIT_INDEX_FILE=" + c.index}
	// update-index takes paths as they are (no pathspec magic, no ignore
	// rules: a file the phase creates goes in even when .gitignore names
	// it), runs the clean filters and normalises line endings as git add
	// does, and with --remove drops a path that no longer exists.
	sorted := append([]string(nil), paths...)
	sort.Strings(sorted)
	for _, b := range batches(sorted) {
		if _, err := gitIn(c.root, env, append([]string{"update-index", "--add", "--remove", "--"}, b...)...); err != nil {
			return fmt.Errorf("stage %s: %w", short(b), err)
		}
	}
	return nil
}

// newIndex makes the phase's index: a copy of the user's when that holds
// exactly the tree of the commits' parent (git status found nothing
// staged in it, see [Commits.CheckClean], or its cached tree says so),
// with the files' times and sizes, so git need not hash them again and it
// can become the user's index at land; else the parent's tree read by git
// read-tree.
func (c *Commits) newIndex() error {
	dir, err := os.MkdirTemp("", "release-tools-index-")
	if err != nil {
		return err
	}
	index, err := filepath.Abs(filepath.Join(dir, "index")) // git runs in root
	if err != nil {
		os.RemoveAll(dir)
		return err
	}
	c.tmp = dir
	if user, err := os.ReadFile(filepath.Join(c.dirs.git, "index")); err == nil && (c.clean != nil && bytes.Equal(user, c.clean) || c.cachedTree(user, c.head)) {
		if err := os.WriteFile(index, user, 0o644); err != nil {
			return err
		}
		// The copy keeps the user's index's time: git takes an entry
		// whose file changed in the second the index was written
		// ("racily clean") as unchanged when the index is newer than it,
		// and a file rewritten at its old size (go get replacing one
		// pseudo-version by another) would then be left out of the commit.
		if err := keepTime(index, filepath.Join(c.dirs.git, "index")); err != nil {
			return err
		}
		c.index, c.user = index, user
		return nil
	}
	if _, err := gitIn(c.root, []string{"GIT_INDEX_FILE=" + index}, "read-tree", c.head.String()); err != nil {
		return fmt.Errorf("git read-tree: %w", err)
	}
	c.index = index
	return nil
}

// writeTree writes the tree of the phase's index, as `git write-tree`
// does, without a process: a tree is made of the index's entries and
// nothing else (no filter or setting of the user's applies to it), and
// its objects are written as git writes loose objects, each complete
// before it is named. An index it cannot read so (a split or sparse
// index, a version it does not know, an unmerged entry) is left to git
// write-tree.
func (c *Commits) writeTree() (plumbing.Hash, error) {
	if h, ok := c.buildTree(); ok {
		return h, nil
	}
	out, err := gitIn(c.root, []string{"GIT_INDEX_FILE=" + c.index}, "write-tree")
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("git write-tree: %w", err)
	}
	h, err := parseHash(out)
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("git write-tree: %w", err)
	}
	return h, nil
}

// buildTree writes the trees of the phase's index, if it can read it.
func (c *Commits) buildTree() (plumbing.Hash, bool) {
	f, err := os.Open(c.index)
	if err != nil {
		return plumbing.ZeroHash, false
	}
	defer f.Close()
	idx := &index.Index{}
	if err := index.NewDecoder(f).Decode(idx); err != nil {
		return plumbing.ZeroHash, false
	}
	var entries []*index.Entry
	for _, e := range idx.Entries {
		switch {
		case e.IntentToAdd: // not in a tree until added
			continue
		case e.Stage != 0, e.Mode == filemode.Dir, e.Mode == filemode.Empty:
			return plumbing.ZeroHash, false
		}
		entries = append(entries, e)
	}
	h, err := writeTrees(c.repo.Storer, "", entries)
	if err != nil {
		return plumbing.ZeroHash, false
	}
	return h, true
}

// writeTrees writes the tree of entries (sorted by path, as in an index),
// whose paths all start with prefix ("" or "dir/"), and the trees below
// it, and returns its hash.
func writeTrees(s storer.EncodedObjectStorer, prefix string, entries []*index.Entry) (plumbing.Hash, error) {
	var tree object.Tree
	for i := 0; i < len(entries); {
		name := strings.TrimPrefix(entries[i].Name, prefix)
		dir, _, isDir := strings.Cut(name, "/")
		if !isDir {
			tree.Entries = append(tree.Entries, object.TreeEntry{Name: name, Mode: entries[i].Mode, Hash: entries[i].Hash})
			i++
			continue
		}
		sub := prefix + dir + "/"
		j := i + 1
		for j < len(entries) && strings.HasPrefix(entries[j].Name, sub) {
			j++
		}
		h, err := writeTrees(s, sub, entries[i:j])
		if err != nil {
			return plumbing.ZeroHash, err
		}
		tree.Entries = append(tree.Entries, object.TreeEntry{Name: dir, Mode: filemode.Dir, Hash: h})
		i = j
	}
	sort.Sort(object.TreeEntrySorter(tree.Entries))
	obj := s.NewEncodedObject()
	if err := tree.Encode(obj); err != nil {
		return plumbing.ZeroHash, err
	}
	return s.SetEncodedObject(obj)
}

// cachedTree reports whether the index data holds exactly the tree of
// commit as its cached tree says (git keeps it valid until an entry
// changes, and git commit leaves it whole). Anything it cannot read is
// not.
func (c *Commits) cachedTree(data []byte, commit plumbing.Hash) bool {
	idx := &index.Index{}
	if err := index.NewDecoder(bytes.NewReader(data)).Decode(idx); err != nil {
		return false
	}
	if idx.Cache == nil || len(idx.Cache.Entries) == 0 || idx.Cache.Entries[0].Path != "" {
		return false
	}
	cm, err := c.repo.CommitObject(commit)
	return err == nil && idx.Cache.Entries[0].Hash == cm.TreeHash
}

// keepTime gives the file name the modification time of the file from.
func keepTime(name, from string) error {
	st, err := os.Stat(from)
	if err != nil {
		return err
	}
	return os.Chtimes(name, st.ModTime(), st.ModTime())
}
