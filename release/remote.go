package release

import (
	"context"
	"errors"
	"fmt"
	"io"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/storage/memory"
)

// ReadRemoteFile returns a file at a tag of a remote repository, reading
// only that tag's commit (a shallow, in-memory clone): Kata's versions.yaml
// at a Kata release.
func ReadRemoteFile(ctx context.Context, url, tag, file string) ([]byte, error) {
	repo, err := git.CloneContext(ctx, memory.NewStorage(), nil, &git.CloneOptions{
		URL:           url,
		ReferenceName: plumbing.NewTagReferenceName(tag),
		SingleBranch:  true,
		Depth:         1,
		Tags:          git.NoTags,
	})
	if err != nil {
		return nil, fmt.Errorf("read %s at %s from %s: %w", file, tag, url, err)
	}
	head, err := repo.Head()
	if err != nil {
		return nil, err
	}
	c, err := repo.CommitObject(head.Hash())
	if err != nil {
		// An annotated tag: HEAD names the tag object.
		tag, terr := repo.TagObject(head.Hash())
		if terr != nil {
			return nil, err
		}
		if c, err = tag.Commit(); err != nil {
			return nil, err
		}
	}
	f, err := c.File(file)
	if err != nil {
		return nil, fmt.Errorf("%s at %s in %s: %w", file, tag, url, err)
	}
	r, err := f.Reader()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(r)
}

// RemoteHead returns the commit a remote repository's branch points at.
func RemoteHead(ctx context.Context, url, branch string) (string, error) {
	remote := git.NewRemote(memory.NewStorage(), &config.RemoteConfig{Name: "origin", URLs: []string{url}})
	refs, err := remote.ListContext(ctx, &git.ListOptions{})
	if err != nil {
		return "", fmt.Errorf("list the branches of %s: %w", url, err)
	}
	want := plumbing.NewBranchReferenceName(branch)
	for _, r := range refs {
		if r.Name() == want {
			return r.Hash().String(), nil
		}
	}
	return "", errors.New(url + " has no branch " + branch)
}
