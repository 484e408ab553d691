package gitrepo

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/format/index"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// ErrMoved is returned, wrapped, when a branch is no longer at the commit
// it was expected at: something else moved it.
var ErrMoved = errors.New("branch moved")

// moveBranch moves branch from old to new as `git update-ref` does: it
// takes the branch's lock file (refusing, with a [*LockedError], if another
// git command holds it), checks under the lock that the branch is still at
// old ([ErrMoved] otherwise), writes new, and appends a reflog entry to the
// branch's log and, when HEAD names the branch, to HEAD's.
func moveBranch(repo *git.Repository, d dirs, branch plumbing.ReferenceName, old, new plumbing.Hash, who *object.Signature, msg string) error {
	l, err := lock(filepath.Join(d.common, filepath.FromSlash(branch.String())))
	if err != nil {
		return err
	}
	cur, err := repo.Storer.Reference(branch)
	if err != nil {
		l.rollback()
		return fmt.Errorf("read %s: %w", branch, err)
	}
	if cur.Hash() != old {
		l.rollback()
		return fmt.Errorf("%w: %s is at %s, not %s", ErrMoved, branch.Short(), cur.Hash(), old)
	}
	if _, err := fmt.Fprintf(l, "%s\n", new); err != nil {
		l.rollback()
		return err
	}
	entry := reflogEntry(old, new, who, msg)
	logs := []string{filepath.Join(d.common, "logs", filepath.FromSlash(branch.String()))}
	if head, err := os.ReadFile(filepath.Join(d.git, "HEAD")); err == nil && strings.TrimSpace(string(head)) == "ref: "+branch.String() {
		logs = append(logs, filepath.Join(d.git, "logs", "HEAD"))
	}
	for _, name := range logs {
		if err := appendLine(name, entry); err != nil {
			l.rollback()
			return fmt.Errorf("write the reflog %s: %w", name, err)
		}
	}
	return l.commit()
}

// reflogEntry is a line of a reflog as git writes it:
// "<old> <new> <name> <<email>> <unix time> <+zzzz>\t<message>\n".
func reflogEntry(old, new plumbing.Hash, who *object.Signature, msg string) string {
	msg = strings.Join(strings.Fields(msg), " ")
	return fmt.Sprintf("%s %s %s <%s> %d %s\t%s\n", old, new, who.Name, who.Email, who.When.Unix(), who.When.Format("-0700"), msg)
}

func appendLine(name, line string) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o666)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(line); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// lockIndex takes index.lock, as git does while it writes the index.
func lockIndex(d dirs) (*lockFile, error) {
	return lock(filepath.Join(d.git, "index"))
}

// writeIndex encodes idx into the taken index.lock and renames it over
// the index.
func writeIndex(l *lockFile, idx *index.Index) error {
	if err := index.NewEncoder(l).Encode(idx); err != nil {
		l.rollback()
		return err
	}
	return l.commit()
}

// treeIndex is the index of a commit's tree, as `git reset --mixed`
// leaves it: an entry of cur that has the same blob and mode keeps its
// file's size and time (so [Clean] need not hash it), the others have
// none (so it does).
func treeIndex(repo *git.Repository, commit plumbing.Hash, cur *index.Index) (*index.Index, error) {
	c, err := repo.CommitObject(commit)
	if err != nil {
		return nil, err
	}
	tree, err := c.Tree()
	if err != nil {
		return nil, err
	}
	had := map[string]*index.Entry{}
	for _, e := range cur.Entries {
		if e.Stage == 0 {
			had[e.Name] = e
		}
	}
	idx := &index.Index{Version: cur.Version}
	if idx.Version == 0 {
		idx.Version = 2
	}
	err = tree.Files().ForEach(func(f *object.File) error {
		e := &index.Entry{Name: f.Name, Hash: f.Hash, Mode: f.Mode}
		if o := had[f.Name]; o != nil && o.Hash == f.Hash && o.Mode == f.Mode {
			c := *o
			e = &c
		}
		idx.Entries = append(idx.Entries, e)
		return nil
	})
	if err != nil {
		return nil, err
	}
	// Submodules are not files: keep them from the tree's entries.
	walker := object.NewTreeWalker(tree, true, nil)
	defer walker.Close()
	for {
		name, te, err := walker.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if te.Mode == filemode.Submodule {
			idx.Entries = append(idx.Entries, &index.Entry{Name: name, Hash: te.Hash, Mode: te.Mode})
		}
	}
	sort.Slice(idx.Entries, func(i, j int) bool { return idx.Entries[i].Name < idx.Entries[j].Name })
	return idx, nil
}
