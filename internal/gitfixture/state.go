package gitfixture

import (
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	git "github.com/go-git/go-git/v5"
)

// Head is the commit HEAD of the repository at dir names.
func Head(dir string) (string, error) {
	repo, err := git.PlainOpen(dir)
	if err != nil {
		return "", err
	}
	h, err := repo.Head()
	if err != nil {
		return "", err
	}
	return h.Hash().String(), nil
}

// HashTree hashes everything below dir: each file's, directory's and
// link's name relative to dir and mode, each regular file's bytes and,
// with times, each modification time. Equal hashes say nothing below dir
// changed; with times, that nothing was even rewritten with the same
// bytes (what a dry run must leave; a refused run may create and remove a
// lock file, which moves its directory's time).
func HashTree(dir string, times bool) (string, error) {
	h := sha256.New()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%s\x00", rel, info.Mode())
		if times {
			fmt.Fprintf(h, "%d\x00", info.ModTime().UnixNano())
		}
		if info.Mode().IsRegular() {
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			h.Write(data)
		}
		return nil
	})
	return fmt.Sprintf("%x", h.Sum(nil)), err
}
