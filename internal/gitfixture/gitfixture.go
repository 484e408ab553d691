// Package gitfixture builds git repositories for the tests and the demo: a
// work tree on branch main with files committed, bare remotes reached by
// file:// URLs, and pushes. Author, committer and time are fixed, so the
// same files give the same commits.
package gitfixture

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/go-git/go-billy/v5/osfs"
	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
	"github.com/go-git/go-git/v5/storage/memory"
)

// Who commits in fixture repositories.
const (
	Name  = "Release Tester"
	Email = "release-tester@example.com"
)

// When is the time of every fixture commit.
var When = time.Date(2025, 3, 28, 12, 0, 0, 0, time.UTC)

// Init creates a repository in dir on branch main, with user.name and
// user.email in its config, and commits files (slash-separated paths) as
// its first commit. The commit's objects are written as one pack, not one
// file each: creating files is most of what a fixture costs.
func Init(dir string, files map[string][]byte, msg string) (*git.Repository, error) {
	repo, _, err := initPacked(dir, files, msg)
	return repo, err
}

// initPacked is Init, returning the pack it wrote as well.
func initPacked(dir string, files map[string][]byte, msg string) (*git.Repository, []byte, error) {
	repo, err := git.PlainInitWithOptions(dir, &git.PlainInitOptions{
		InitOptions: git.InitOptions{DefaultBranch: plumbing.Main},
	})
	if err != nil {
		return nil, nil, err
	}
	cfg, err := repo.Config()
	if err != nil {
		return nil, nil, err
	}
	cfg.User.Name, cfg.User.Email = Name, Email
	if err := repo.SetConfig(cfg); err != nil {
		return nil, nil, err
	}
	// The commit is made in memory, on the work tree in dir (so that the
	// index has the files' times), then stored in the repository.
	mem := memory.NewStorage()
	staged, err := git.InitWithOptions(mem, osfs.New(dir), git.InitOptions{DefaultBranch: plumbing.Main})
	if err != nil {
		return nil, nil, err
	}
	commit, err := Commit(staged, files, msg)
	if err != nil {
		return nil, nil, err
	}
	pack, err := packAll(mem)
	if err != nil {
		return nil, nil, err
	}
	if err := writePack(repo, pack); err != nil {
		return nil, nil, err
	}
	idx, err := mem.Index()
	if err != nil {
		return nil, nil, err
	}
	if err := repo.Storer.SetIndex(idx); err != nil {
		return nil, nil, err
	}
	if err := repo.Storer.SetReference(plumbing.NewHashReference(plumbing.Main, commit)); err != nil {
		return nil, nil, err
	}
	return repo, pack, nil
}

// packAll encodes every object of mem as a pack, without deltas.
func packAll(mem *memory.Storage) ([]byte, error) {
	hashes := make([]plumbing.Hash, 0, len(mem.Objects))
	for h := range mem.Objects {
		hashes = append(hashes, h)
	}
	var buf bytes.Buffer
	if _, err := packfile.NewEncoder(&buf, mem, false).Encode(hashes, 0); err != nil {
		return nil, fmt.Errorf("pack the fixture's objects: %w", err)
	}
	return buf.Bytes(), nil
}

// writePack stores a pack in repo, with its index.
func writePack(repo *git.Repository, pack []byte) error {
	pw, ok := repo.Storer.(storer.PackfileWriter)
	if !ok {
		return fmt.Errorf("the repository's storage takes no pack")
	}
	w, err := pw.PackfileWriter()
	if err != nil {
		return err
	}
	if _, err := w.Write(pack); err != nil {
		w.Close()
		return err
	}
	return w.Close()
}

// Commit writes files into the repository's work tree and commits them
// (with any other change to tracked files) on the current branch.
func Commit(repo *git.Repository, files map[string][]byte, msg string) (plumbing.Hash, error) {
	wt, err := repo.Worktree()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		p := filepath.Join(wt.Filesystem.Root(), filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return plumbing.ZeroHash, err
		}
		if err := os.WriteFile(p, files[name], 0o644); err != nil {
			return plumbing.ZeroHash, err
		}
	}
	// Adding everything stages every change already: the commit need not
	// look for changes again (a scan of the whole work tree).
	all := true
	if len(files) > 0 {
		if err := wt.AddWithOptions(&git.AddOptions{All: true}); err != nil {
			return plumbing.ZeroHash, err
		}
		all = false
	}
	sig := &object.Signature{Name: Name, Email: Email, When: When}
	return wt.Commit(msg, &git.CommitOptions{All: all, Author: sig, Committer: sig, AllowEmptyCommits: true})
}

// Bare creates a bare repository in dir and returns its file:// URL.
func Bare(dir string) (string, error) {
	if _, err := git.PlainInitWithOptions(dir, &git.PlainInitOptions{
		InitOptions: git.InitOptions{DefaultBranch: plumbing.Main}, Bare: true,
	}); err != nil {
		return "", err
	}
	return "file://" + filepath.ToSlash(dir), nil
}

// AddRemote adds a remote to repo.
func AddRemote(repo *git.Repository, name, url string) error {
	_, err := repo.CreateRemote(&config.RemoteConfig{Name: name, URLs: []string{url}})
	return err
}

// Push pushes refspecs ("refs/heads/main:refs/heads/main") to a remote.
func Push(repo *git.Repository, remote string, refspecs ...string) error {
	specs := make([]config.RefSpec, len(refspecs))
	for i, s := range refspecs {
		specs[i] = config.RefSpec(s)
	}
	err := repo.Push(&git.PushOptions{RemoteName: remote, RefSpecs: specs})
	if err != nil && err != git.NoErrAlreadyUpToDate {
		return fmt.Errorf("push %v to %s: %w", refspecs, remote, err)
	}
	return nil
}

// WithRemote is Init plus a bare remote "origin" in remoteDir that has main,
// and origin/main in the work tree's repository, as a push leaves them. The
// pack is copied in the process: a push would start git-receive-pack and
// the three processes it starts in turn.
func WithRemote(dir, remoteDir string, files map[string][]byte, msg string) (*git.Repository, error) {
	repo, pack, err := initPacked(dir, files, msg)
	if err != nil {
		return nil, err
	}
	url, err := Bare(remoteDir)
	if err != nil {
		return nil, err
	}
	if err := AddRemote(repo, "origin", url); err != nil {
		return nil, err
	}
	bare, err := git.PlainOpen(remoteDir)
	if err != nil {
		return nil, err
	}
	if err := writePack(bare, pack); err != nil {
		return nil, fmt.Errorf("copy objects to %s: %w", remoteDir, err)
	}
	head, err := repo.Head()
	if err != nil {
		return nil, err
	}
	if err := bare.Storer.SetReference(plumbing.NewHashReference(plumbing.Main, head.Hash())); err != nil {
		return nil, err
	}
	if err := repo.Storer.SetReference(plumbing.NewHashReference(plumbing.NewRemoteReferenceName("origin", "main"), head.Hash())); err != nil {
		return nil, err
	}
	return repo, nil
}

// Tags maps the tags of the repository at dir to the commits they point
// at, annotated tags peeled.
func Tags(dir string) (map[string]string, error) {
	repo, err := git.PlainOpen(dir)
	if err != nil {
		return nil, err
	}
	iter, err := repo.Tags()
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	err = iter.ForEach(func(ref *plumbing.Reference) error {
		h := ref.Hash()
		if tag, err := repo.TagObject(h); err == nil {
			h = tag.Target
		}
		out[ref.Name().Short()] = h.String()
		return nil
	})
	return out, err
}

// Release is one commit of a [Releases] repository and the tag it gets.
// It is an alias of a struct, not a type of its own, so that package
// fixture gives releases (fixture.KataReleases) without importing this
// package: the tests that only read fixture files do not link go-git.
type Release = struct {
	Tag   string
	Files map[string][]byte
}

// Releases creates a repository in dir with one commit per release, in
// order, each tagged (a lightweight tag): a Kata Containers repository
// with versions.yaml at its releases, say.
func Releases(dir string, releases ...Release) (*git.Repository, error) {
	var repo *git.Repository
	for _, r := range releases {
		var err error
		if repo == nil {
			repo, err = Init(dir, r.Files, r.Tag)
		} else {
			_, err = Commit(repo, r.Files, r.Tag)
		}
		if err != nil {
			return nil, err
		}
		head, err := repo.Head()
		if err != nil {
			return nil, err
		}
		if _, err := repo.CreateTag(r.Tag, head.Hash(), nil); err != nil {
			return nil, err
		}
	}
	return repo, nil
}
