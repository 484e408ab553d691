package gitrepo

import (
	"errors"
	"fmt"

	git "github.com/go-git/go-git/v5"
)

// Tracked returns the paths (slash-separated) in git's index of the work
// tree at root: the files git tracks there. It returns nil, and no error,
// when root is no git work tree.
func Tracked(root string) (map[string]bool, error) {
	repo, err := Open(root)
	if errors.Is(err, git.ErrRepositoryNotExists) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("open the repository at %s to read what git tracks: %w", root, err)
	}
	idx, err := repo.Storer.Index()
	if err != nil {
		return nil, fmt.Errorf("read git's index in %s: %w", root, err)
	}
	tracked := make(map[string]bool, len(idx.Entries))
	for _, e := range idx.Entries {
		tracked[e.Name] = true
	}
	return tracked, nil
}
