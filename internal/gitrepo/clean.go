package gitrepo

import (
	"os"
	"path/filepath"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
)

// Clean reports whether the work tree certainly has no change to a tracked
// file, without go-git's status (which also walks every directory for
// untracked and ignored files, a tenth of a second on a large tree):
//
//   - nothing is staged: the tree the index describes hashes to HEAD's tree;
//   - nothing is modified: each index entry's file has the entry's mode,
//     and its size and modification time, or else its content hashes to
//     the entry's blob. An entry as new as the index file itself is hashed
//     ("racily clean", as git says).
//
// false means "not certain": merge stages, intent-to-add entries,
// submodules and symlinks that need hashing are left to the caller.
func Clean(repo *git.Repository, root string) bool {
	idx, err := repo.Storer.Index()
	if err != nil {
		return false
	}
	head, err := repo.Head()
	if err != nil {
		return false
	}
	c, err := repo.CommitObject(head.Hash())
	if err != nil {
		return false
	}
	tree, err := indexTree(idx, func(v encoder) (plumbing.Hash, error) {
		obj := &plumbing.MemoryObject{}
		if err := v.Encode(obj); err != nil {
			return plumbing.ZeroHash, err
		}
		return obj.Hash(), nil
	})
	if err != nil || tree != c.TreeHash {
		return false
	}
	d, err := gitDirs(root)
	if err != nil {
		return false
	}
	idxInfo, err := os.Stat(filepath.Join(d.git, "index"))
	if err != nil {
		return false
	}
	for _, e := range idx.Entries {
		switch {
		case e.SkipWorktree:
			continue
		case e.Stage != 0, e.IntentToAdd, e.Mode == filemode.Submodule:
			return false
		}
		name := filepath.Join(root, filepath.FromSlash(e.Name))
		info, err := os.Lstat(name)
		if err != nil {
			return false
		}
		mode, err := filemode.NewFromOSFileMode(info.Mode())
		if err != nil || mode != e.Mode {
			return false
		}
		if info.Size() == int64(e.Size) && info.ModTime().Equal(e.ModifiedAt) && info.ModTime().Before(idxInfo.ModTime()) {
			continue
		}
		if mode == filemode.Symlink {
			return false
		}
		data, err := os.ReadFile(name)
		if err != nil || plumbing.ComputeHash(plumbing.BlobObject, data) != e.Hash {
			return false
		}
	}
	return true
}
