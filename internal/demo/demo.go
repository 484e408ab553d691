// Package demo runs a whole release cycle of cloud-api-adaptor on local
// repositories built from the embedded fixture files, with GitHub faked in
// the process: the frontend's demo target. It is internal so that no
// importer of the library links the fixtures and fakes.
package demo

import (
	"context"
	"fmt"
	"io"
	"net/http/httptest"
	"path/filepath"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/google/go-github/v84/github"

	"github.com/confidential-containers/release-tools/ghrelease"
	"github.com/confidential-containers/release-tools/internal/fixture"
	"github.com/confidential-containers/release-tools/internal/ghfake"
	"github.com/confidential-containers/release-tools/internal/gitfixture"
	"github.com/confidential-containers/release-tools/phase"
	"github.com/confidential-containers/release-tools/release"
)

// Run builds, below dir, a cloud-api-adaptor-shaped repository from the
// real v0.13.0 files, a bare remote, a Kata Containers repository (tags
// 3.14.0 and 3.15.0) and an operator repository, all local, then runs
// every phase of a release on them in order, writing each plan and result
// to w. The go commands are skipped (the real go.mod files need the
// network); merging each phase's PR is simulated by pushing main; GitHub
// is a fake served in the process.
func Run(ctx context.Context, dir string, w io.Writer) error {
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
	releases, err := fixture.KataReleases("3.14.0", fixture.KataVersion)
	if err != nil {
		return err
	}
	if _, err := gitfixture.Releases(kataDir, releases...); err != nil {
		return err
	}
	if _, err := gitfixture.Init(operatorDir, map[string][]byte{"README.md": []byte("operator\n")}, "operator main"); err != nil {
		return err
	}
	fake := httptest.NewServer(&ghfake.Server{
		Admin:      true,
		Protection: map[string]*github.Protection{"main": {}},
		Releases:   []*github.RepositoryRelease{ghfake.Rel("v0.12.0", false), ghfake.Rel("v0.12.0-alpha.1", false)},
	})
	defer fake.Close()
	gh, err := ghrelease.New(ctx, ghrelease.Options{Token: ghfake.Token, APIURL: fake.URL, Owner: "confidential-containers", Repo: "cloud-api-adaptor"})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "demo: repositories in %s; GitHub is a fake at %s\n", dir, fake.URL)
	fmt.Fprintf(w, "demo: every phase runs with SKIP_GO=1: go get and go mod tidy would fetch the real\n"+
		"      go.mod files' dependencies from the network, and the demo stays offline\n\n")

	cfg := release.CAA()
	in := release.Inputs{KataRepo: "file://" + kataDir, OperatorRepo: "file://" + operatorDir, ReleaseDate: time.Now().UTC().Format(time.DateOnly), Progress: w}
	opts := phase.Options{SkipGo: true, Out: w}
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
	tags := func(version string) func() error {
		return func() error {
			return release.Tags(ctx, root, cfg, version, release.TagOptions{Push: true, TopLevel: true}, w)
		}
	}
	publish := func(version string) func() error {
		return func() error { return release.GitHubRelease(ctx, root, cfg, version, gh, true, w) }
	}
	lock := func(on bool) func() error {
		return func() error { return release.GitHubLock(ctx, cfg, gh, on, true, w) }
	}
	steps := []struct {
		title string
		build func() (*phase.Phase, error) // a phase, committed and merged
		run   func() error                 // or a step that is not
	}{
		{title: "deps:sync " + fixture.KataVersion, build: func() (*phase.Phase, error) { return release.DepsSync(ctx, root, cfg, fixture.KataVersion, in) }},
		{title: "prerelease v0.13.0-alpha.1", build: func() (*phase.Phase, error) { return release.Prerelease(ctx, root, cfg, "v0.13.0-alpha.1", in) }},
		{title: "tags v0.13.0-alpha.1", run: tags("v0.13.0-alpha.1")},
		{title: "github:release v0.13.0-alpha.1", run: publish("v0.13.0-alpha.1")},
		{title: "github:lock", run: lock(true)},
		{title: "release v0.13.0 " + imageSHA, build: func() (*phase.Phase, error) { return release.Release(root, cfg, "v0.13.0", imageSHA, in) }},
		{title: "tags v0.13.0", run: tags("v0.13.0")},
		{title: "github:release v0.13.0", run: publish("v0.13.0")},
		{title: "github:unlock", run: lock(false)},
		{title: "postrelease v0.13.0", build: func() (*phase.Phase, error) { return release.Postrelease(root, cfg, "v0.13.0", in) }},
	}
	for _, st := range steps {
		if st.run != nil {
			fmt.Fprintf(w, "== %s (PUSH=1)\n", st.title)
			if err := st.run(); err != nil {
				return err
			}
			fmt.Fprintln(w)
			continue
		}
		fmt.Fprintf(w, "== %s (SKIP_GO=1)\n", st.title)
		p, err := st.build()
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
	rep, err := release.Status(ctx, root, cfg)
	if err != nil {
		return err
	}
	rep.GitHub(ctx, cfg, gh)
	if _, err := rep.WriteTo(w); err != nil {
		return err
	}
	fmt.Fprintf(w, "\ndemo: every phase done; the repository is %s (git -C %s log --stat)\n", root, root)
	return rep.Err()
}
