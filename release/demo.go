package release

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"time"

	git "github.com/go-git/go-git/v5"

	"github.com/confidential-containers/release-tools/internal/fixture"
	"github.com/confidential-containers/release-tools/internal/gitfixture"
)

// Demo builds, below dir, a cloud-api-adaptor-shaped repository from the
// real v0.13.0 files, a bare remote, a Kata Containers repository (tags
// 3.14.0 and 3.15.0) and an operator repository, all local, then runs
// every phase of a release on them in order, writing each plan and result
// to w. The go commands are skipped (the real go.mod files need the
// network); merging each phase's PR is simulated by pushing main.
func Demo(ctx context.Context, dir string, w io.Writer) error {
	root := filepath.Join(dir, "cloud-api-adaptor")
	remote := filepath.Join(dir, "remote.git")
	kataDir := filepath.Join(dir, "kata-containers")
	operatorDir := filepath.Join(dir, "operator")

	files, err := fixture.Files(fixture.KataSync, "before")
	if err != nil {
		return err
	}
	if _, err := gitfixture.WithRemote(root, remote, files, "cloud-api-adaptor before the v0.13.0 cycle"); err != nil {
		return err
	}
	if err := demoKata(kataDir); err != nil {
		return err
	}
	if _, err := gitfixture.Init(operatorDir, map[string][]byte{"README.md": []byte("operator\n")}, "operator main"); err != nil {
		return err
	}
	fmt.Fprintf(w, "demo: repositories in %s\n", dir)
	fmt.Fprintf(w, "demo: every phase runs with SKIP_GO=1: go get and go mod tidy would fetch the real\n"+
		"      go.mod files' dependencies from the network, and the demo stays offline\n\n")

	cfg := CAA()
	in := Inputs{KataRepo: "file://" + kataDir, OperatorRepo: "file://" + operatorDir, ReleaseDate: time.Now().UTC().Format(time.DateOnly), Progress: w}
	opts := Options{SkipGo: true, Out: w}
	const imageSHA = fixture.ImageSHA
	merge := func() error {
		fmt.Fprintf(w, "demo: pushing main to the remote, as merging the PR would\n\n")
		// Opened afresh: a phase writes its commits as a new packfile, and
		// go-git reads the list of packfiles once per repository value.
		repo, err := git.PlainOpen(root)
		if err != nil {
			return err
		}
		return gitfixture.Push(repo, "origin", "refs/heads/main:refs/heads/main")
	}
	phases := []struct {
		title string
		build func() (*Phase, error)
		tag   string
	}{
		{title: "deps:sync " + fixture.KataVersion, build: func() (*Phase, error) { return DepsSync(ctx, root, cfg, fixture.KataVersion, in) }},
		{title: "prerelease v0.13.0-alpha.1", build: func() (*Phase, error) { return Prerelease(ctx, root, cfg, "v0.13.0-alpha.1", in) }},
		{tag: "v0.13.0-alpha.1"},
		{title: "release v0.13.0 " + imageSHA, build: func() (*Phase, error) { return Release(root, cfg, "v0.13.0", imageSHA) }},
		{tag: "v0.13.0"},
		{title: "postrelease v0.13.0", build: func() (*Phase, error) { return Postrelease(root, cfg, "v0.13.0", in) }},
	}
	for _, ph := range phases {
		if ph.tag != "" {
			fmt.Fprintf(w, "== tags %s (PUSH=1)\n", ph.tag)
			if err := Tags(ctx, root, cfg, ph.tag, TagOptions{Push: true, TopLevel: true}, w); err != nil {
				return err
			}
			fmt.Fprintln(w)
			continue
		}
		fmt.Fprintf(w, "== %s (SKIP_GO=1)\n", ph.title)
		p, err := ph.build()
		if err != nil {
			return err
		}
		if err := p.Run(ctx, opts); err != nil {
			return err
		}
		if err := merge(); err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "== status\n")
	rep, err := Status(ctx, root, cfg)
	if err != nil {
		return err
	}
	if _, err := rep.WriteTo(w); err != nil {
		return err
	}
	fmt.Fprintf(w, "\ndemo: every phase done; the repository is %s (git -C %s log --stat)\n", root, root)
	return rep.Err()
}

// demoKata makes a Kata Containers repository with versions.yaml at the
// tags 3.14.0 and 3.15.0.
func demoKata(dir string) error {
	var repo *git.Repository
	for _, v := range []string{"3.14.0", fixture.KataVersion} {
		data, err := fixture.KataVersions(v)
		if err != nil {
			return err
		}
		files := map[string][]byte{"versions.yaml": data}
		if repo == nil {
			if repo, err = gitfixture.Init(dir, files, "Kata Containers "+v); err != nil {
				return err
			}
		} else if _, err := gitfixture.Commit(repo, files, "Kata Containers "+v); err != nil {
			return err
		}
		head, err := repo.Head()
		if err != nil {
			return err
		}
		if _, err := repo.CreateTag(v, head.Hash(), nil); err != nil {
			return err
		}
	}
	return nil
}
