// Package gitremote is the git plumbing for repositories other than the
// local one: reading a remote or another repository (a file at a tag:
// [ReadRemoteFile]; the commit of a tag or a branch: [TagCommit],
// [BranchCommit], [RemoteHead]; the tags: [RemoteTags]; whether it has a
// commit: [HasCommit]), whether a commit is on a remote's branch
// ([OnRemoteBranch], [OnBranch]), where HEAD stands against a remote's
// branch ([Upstream]), and the local repository's exchanges with its
// remotes (pushing tags: [PushTags]; fetching a branch: [FetchBranch]). A
// repository at a local path or file:// URL is read in place
// ([OpenLocal]). It knows nothing of releases; the local repository
// itself is package internal/gitrepo's, which this package builds on.
package gitremote

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage/memory"

	"github.com/confidential-containers/release-tools/internal/gitrepo"
	"github.com/confidential-containers/release-tools/internal/redact"
)

// ReadRemoteFile returns a file at a tag of a remote repository, reading
// only that tag's commit (a shallow, in-memory clone): Kata's versions.yaml
// at a Kata release. A local repository (a path or file:// URL) is read in
// place. It also returns the commit the tag names. Its errors name url
// without the credentials it may carry.
func ReadRemoteFile(ctx context.Context, url, tag, file string) (data []byte, commit string, err error) {
	defer func() { err = redact.Error(err) }()
	c, err := TagCommit(ctx, url, tag)
	if err != nil {
		return nil, "", fmt.Errorf("read %s at %s from %s: %w", file, tag, url, err)
	}
	f, err := c.File(file)
	if err != nil {
		return nil, "", fmt.Errorf("%s at %s in %s: %w", file, tag, url, err)
	}
	r, err := f.Reader()
	if err != nil {
		return nil, "", err
	}
	defer r.Close()
	data, err = io.ReadAll(r)
	return data, c.Hash.String(), err
}

// TagCommit returns the commit a tag of a remote repository names. Its
// errors carry no credentials of url.
func TagCommit(ctx context.Context, url, tag string) (*object.Commit, error) {
	return refCommit(ctx, url, plumbing.NewTagReferenceName(tag))
}

// BranchCommit returns the commit at the head of a branch of a remote
// repository: read in place from a local one, else through a shallow
// clone in memory of that branch alone (nothing is written to disk). Its
// errors carry no credentials of url.
func BranchCommit(ctx context.Context, url, branch string) (*object.Commit, error) {
	return refCommit(ctx, url, plumbing.NewBranchReferenceName(branch))
}

// refCommit returns the commit a ref of a remote repository names,
// peeling an annotated tag.
func refCommit(ctx context.Context, url string, name plumbing.ReferenceName) (_ *object.Commit, err error) {
	defer func() { err = redact.Error(err) }()
	var repo *git.Repository
	var h plumbing.Hash
	if local := OpenLocal(url); local != nil {
		ref, err := local.Reference(name, true)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		repo, h = local, ref.Hash()
	} else {
		cloned, err := git.CloneContext(ctx, memory.NewStorage(), nil, &git.CloneOptions{
			URL:           url,
			ReferenceName: name,
			SingleBranch:  true,
			Depth:         1,
			Tags:          git.NoTags,
		})
		if err != nil {
			return nil, err
		}
		head, err := cloned.Head()
		if err != nil {
			return nil, err
		}
		repo, h = cloned, head.Hash()
	}
	if t, err := repo.TagObject(h); err == nil { // an annotated tag
		return t.Commit()
	}
	return repo.CommitObject(h)
}

// RemoteHead returns the commit a remote repository's branch points at. A
// local repository is read in place. Its errors carry no credentials of
// url.
func RemoteHead(ctx context.Context, url, branch string) (_ string, err error) {
	defer func() { err = redact.Error(err) }()
	want := plumbing.NewBranchReferenceName(branch)
	if local := OpenLocal(url); local != nil {
		ref, err := local.Reference(want, true)
		if err != nil {
			return "", fmt.Errorf("%s has no branch %s: %w", url, branch, err)
		}
		return ref.Hash().String(), nil
	}
	remote := git.NewRemote(memory.NewStorage(), &config.RemoteConfig{Name: "origin", URLs: []string{url}})
	refs, err := remote.ListContext(ctx, &git.ListOptions{})
	if err != nil {
		return "", fmt.Errorf("list the branches of %s: %w", url, err)
	}
	for _, r := range refs {
		if r.Name() == want {
			return r.Hash().String(), nil
		}
	}
	return "", errors.New(url + " has no branch " + branch)
}

// OpenLocal opens the repository at a local path or file:// URL in place:
// go-git's file transport would run git-upload-pack for every lookup. It
// returns nil for any other URL, or a path that is not a repository (the
// transport then reports the error). The repository it opens is the
// remote, not the one being released (whose handle release.New opens once
// and every caller is given): this is the only other opener.
func OpenLocal(url string) *git.Repository {
	path, ok := strings.CutPrefix(url, "file://")
	if !ok && (strings.Contains(url, "://") || !filepath.IsAbs(url)) {
		return nil
	}
	repo, err := gitrepo.Open(path)
	if err != nil {
		return nil
	}
	return repo
}
