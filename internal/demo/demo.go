// Package demo runs whole release cycles of cloud-api-adaptor on local
// repositories built from the embedded fixture files, with GitHub and the
// chart registry served in the process: the demo target of this
// repository's own magefile. It is internal, and imported by no package of
// the library nor by the targets, so that no importer of the library and
// no user's mage links the fixtures and fakes.
package demo

import (
	"context"
	"fmt"
	"io"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"time"

	git "github.com/go-git/go-git/v5"
	gogithub "github.com/google/go-github/v84/github"

	"github.com/confidential-containers/release-tools/charts/registry"
	"github.com/confidential-containers/release-tools/github"
	"github.com/confidential-containers/release-tools/gomod"
	"github.com/confidential-containers/release-tools/internal/fixture"
	"github.com/confidential-containers/release-tools/internal/fixturemods"
	"github.com/confidential-containers/release-tools/internal/ghfake"
	"github.com/confidential-containers/release-tools/internal/gitfixture"
	"github.com/confidential-containers/release-tools/internal/goproxytest"
	"github.com/confidential-containers/release-tools/internal/magecmd"
	"github.com/confidential-containers/release-tools/internal/ocifake"
	"github.com/confidential-containers/release-tools/phase"
	"github.com/confidential-containers/release-tools/publish"
	"github.com/confidential-containers/release-tools/release"
	"github.com/confidential-containers/release-tools/release/config"
	"github.com/confidential-containers/release-tools/released"
	"github.com/confidential-containers/release-tools/status"
	"github.com/confidential-containers/release-tools/version"
)

// Run runs, below dir, today's cycle (Helm charts, from the v0.21 files:
// deps:sync, release, tags, github:release, postrelease) and then the
// overlay cycle of up to v0.17.0 (from the v0.13.0 files, with its
// candidate), each on a cloud-api-adaptor-shaped repository with a bare
// remote and local Kata Containers (and operator) repositories, writing
// each plan and result to w. The go command runs for real (go get, go mod
// tidy), offline: the repositories hold small modules in place of the
// go.mod files it reads (the real ones need the network), and it resolves
// them from a module proxy written below dir (GOPROXY=file://...), with a
// module cache there too. In today's cycle each phase's commits are
// pushed to a branch and proposed as a pull request, as PR=1 does, and
// proposed a second time to show that nothing new is pushed or opened; merging a PR is simulated by pushing main (and
// marking the PR merged). GitHub and the kata-deploy chart's registry are
// fakes served in the process. It ends with status on each repository.
//
// While it runs, git takes a configuration of its own, written below dir
// ([gitfixture.Isolate]: the process's GIT_* variables are set for it and
// restored after): the demo's repositories take neither the user's
// signing nor hooks, and git never prompts.
func Run(ctx context.Context, dir string, w io.Writer) error {
	restore, err := gitfixture.Isolate(dir)
	if err != nil {
		return err
	}
	defer restore()
	// Each cycle's repository has a GitHub of its own: the ledger of
	// releases reads every release there.
	ghf := &ghfake.Server{
		Admin:      true,
		Protection: map[string]*gogithub.Protection{"main": {}},
		Releases:   []*gogithub.RepositoryRelease{ghfake.Rel("v0.20.0", false)},
	}
	fake := httptest.NewServer(ghf)
	defer fake.Close()
	gh, err := github.New(ctx, github.Options{Token: ghfake.Token, APIURL: fake.URL, Owner: "confidential-containers", Repo: "cloud-api-adaptor"})
	if err != nil {
		return err
	}
	overlayFake := httptest.NewServer(&ghfake.Server{
		Admin:      true,
		Protection: map[string]*gogithub.Protection{"main": {}},
		Releases:   []*gogithub.RepositoryRelease{ghfake.Rel("v0.12.0", false), ghfake.Rel("v0.12.0-alpha.1", false)},
	})
	defer overlayFake.Close()
	overlayGH, err := github.New(ctx, github.Options{Token: ghfake.Token, APIURL: overlayFake.URL, Owner: "confidential-containers", Repo: "cloud-api-adaptor"})
	if err != nil {
		return err
	}
	oci, err := ocifake.Start()
	if err != nil {
		return err
	}
	defer oci.Close()
	if err := oci.Push("kata-containers/kata-deploy-charts/kata-deploy", fixture.HelmKataVersion); err != nil {
		return err
	}
	if err := oci.PushImages(append(fixture.HelmImages, fixture.Images...)...); err != nil {
		return err
	}
	reg := oci.Client()
	proxy := filepath.Join(dir, "goproxy")
	if err := fixturemods.WriteProxy(proxy); err != nil {
		return err
	}
	gorun := &gomod.Runner{Env: goproxytest.Env(proxy, filepath.Join(dir, "gomodcache"))}
	fmt.Fprintf(w, "demo: repositories in %s; GitHub is a fake at %s; ghcr.io and quay.io are a registry in the process\n", dir, fake.URL)
	fmt.Fprintf(w, "demo: the go command runs for real, offline: small modules stand in for the go.mod\n"+
		"      files it reads (the real ones need the network), served by the module proxy\n"+
		"      GOPROXY=file://%s\n\n", filepath.ToSlash(proxy))

	helm := cycle{
		title: "today's cycle: Helm charts (v0.21.0)", dir: filepath.Join(dir, "helm"), stage: fixture.HelmDepsSync,
		kata: []string{fixture.HelmKataVersion}, gh: gh, fake: ghf, w: w, gorun: gorun,
		in: release.Inputs{Registry: reg, ReleaseDate: time.Now().UTC().Format(time.DateOnly), Progress: w},
	}
	helm.steps = []step{
		helm.proposed(release.Fix{Action: release.ActionDepsSync, Args: []string{fixture.HelmKataVersion}}, "release/deps-sync-"+fixture.HelmKataVersion, func(rel release.Repo) (*phase.Phase, error) {
			kv, err := rel.ParseKataVersion(ctx, fixture.HelmKataVersion, helm.in)
			if err != nil {
				return nil, err
			}
			return rel.DepsSync(ctx, kv, helm.in)
		}),
		helm.proposed(release.Fix{Action: release.ActionRelease, Args: []string{fixture.HelmVersion, fixture.HelmImageSHA}}, "release/"+fixture.HelmVersion, withVersion(fixture.HelmVersion, func(rel release.Repo, v version.Version) (*phase.Phase, error) {
			return rel.Release(v, fixture.HelmImageSHA, helm.in)
		})),
		helm.tags(ctx, fixture.HelmVersion),
		helm.chartsCheck(ctx, fixture.HelmVersion, reg),
		helm.githubRelease(ctx, fixture.HelmVersion),
		{title: "CAA's workflow publishes the peerpods chart (simulated)", simulated: true, run: func(c *cycle) error {
			return oci.Push("confidential-containers/cloud-api-adaptor/charts/peerpods", "0.3.0")
		}},
		helm.chartsCheck(ctx, fixture.HelmVersion, reg),
		helm.proposed(release.Fix{Action: release.ActionPostrelease, Args: []string{fixture.HelmVersion}}, "release/postrelease-"+fixture.HelmVersion, withVersion(fixture.HelmVersion, func(rel release.Repo, v version.Version) (*phase.Phase, error) {
			return rel.Postrelease(v, helm.in)
		})),
	}
	overlays := cycle{
		title: "the overlay cycle, up to v0.17.0 (v0.13.0)", dir: filepath.Join(dir, "overlays"), stage: fixture.KataSync,
		kata: []string{"3.14.0", fixture.KataVersion}, operator: true, gh: overlayGH, w: w, gorun: gorun,
		in: release.Inputs{Registry: reg, ReleaseDate: time.Now().UTC().Format(time.DateOnly), Progress: w},
	}
	overlays.steps = []step{
		overlays.phase(release.Fix{Action: release.ActionDepsSync, Args: []string{fixture.KataVersion}}, func(rel release.Repo) (*phase.Phase, error) {
			kv, err := rel.ParseKataVersion(ctx, fixture.KataVersion, overlays.in)
			if err != nil {
				return nil, err
			}
			return rel.DepsSync(ctx, kv, overlays.in)
		}),
		overlays.phase(release.Fix{Action: release.ActionPrerelease, Args: []string{"v0.13.0-alpha.1"}}, withVersion("v0.13.0-alpha.1", func(rel release.Repo, v version.Version) (*phase.Phase, error) {
			return rel.Prerelease(ctx, v, overlays.in)
		})),
		overlays.tags(ctx, "v0.13.0-alpha.1"),
		overlays.githubRelease(ctx, "v0.13.0-alpha.1"),
		overlays.lock(ctx, true),
		overlays.phase(release.Fix{Action: release.ActionRelease, Args: []string{"v0.13.0", fixture.ImageSHA}}, withVersion("v0.13.0", func(rel release.Repo, v version.Version) (*phase.Phase, error) {
			return rel.Release(v, fixture.ImageSHA, overlays.in)
		})),
		overlays.tags(ctx, "v0.13.0"),
		overlays.githubRelease(ctx, "v0.13.0"),
		overlays.lock(ctx, false),
		overlays.phase(release.Fix{Action: release.ActionPostrelease, Args: []string{"v0.13.0"}}, withVersion("v0.13.0", func(rel release.Repo, v version.Version) (*phase.Phase, error) {
			return rel.Postrelease(v, overlays.in)
		})),
	}
	for _, c := range []*cycle{&helm, &overlays} {
		if err := c.run(ctx); err != nil {
			return fmt.Errorf("%s: %w", c.title, err)
		}
	}
	fmt.Fprintf(w, "demo: every phase done; the repositories are %s and %s (git -C <repository> log --stat)\n", helm.root(), overlays.root())
	return nil
}

// cycle is one release cycle of the demo: a repository built from a
// stage's before/ files, and the steps run on it.
type cycle struct {
	title, dir, stage string
	kata              []string // the Kata releases of the local Kata repository
	operator          bool     // a local operator repository too
	gh                *github.Client
	fake              *ghfake.Server // to mark a PR merged
	in                release.Inputs
	gorun             *gomod.Runner // the go command, on the demo's module proxy
	w                 io.Writer
	steps             []step
}

// step is a phase (committed, then merged by a push) or a step that
// changes the remote or GitHub.
type step struct {
	// fix is the command the step is (Push: run changes the remote or
	// GitHub), rendered by the frontend's one renderer; title is its
	// target and arguments.
	fix    release.Fix
	title  string
	build  func(release.Repo) (*phase.Phase, error)
	branch string // a phase's commits are proposed as a PR from it ("" merges them straight)
	run    func(*cycle) error
	// simulated is what the world does, not a command of the tool (CAA's
	// workflow publishing the chart).
	simulated bool
}

func (c *cycle) root() string                { return filepath.Join(c.dir, "cloud-api-adaptor") }
func (c *cycle) repo() (release.Repo, error) { return release.New(c.root(), config.CAA()) }

// command is a step that carries out f, titled with its target and
// arguments.
func command(f release.Fix) step {
	bare := f
	bare.Push = false
	return step{fix: f, title: strings.TrimPrefix(magecmd.Line(bare), "mage ")}
}

func (c *cycle) phase(f release.Fix, build func(release.Repo) (*phase.Phase, error)) step {
	st := command(f)
	st.build = build
	return st
}

// proposed is a phase whose commits are proposed as a PR from branch.
func (c *cycle) proposed(f release.Fix, branch string, build func(release.Repo) (*phase.Phase, error)) step {
	st := c.phase(f, build)
	st.branch = branch
	return st
}

func (c *cycle) tags(ctx context.Context, version string) step {
	st := command(release.Fix{Action: release.ActionTags, Args: []string{version}, Push: true})
	st.run = func(c *cycle) error {
		rel, err := c.repo()
		if err != nil {
			return err
		}
		return publish.Tags(ctx, rel, version, publish.TagOptions{Push: true, TopLevel: true}, c.w)
	}
	return st
}

func (c *cycle) githubRelease(ctx context.Context, version string) step {
	st := command(release.Fix{Action: release.ActionGitHubRelease, Args: []string{version}, Push: true})
	st.run = func(c *cycle) error {
		rel, err := c.repo()
		if err != nil {
			return err
		}
		return publish.GitHubRelease(ctx, rel, version, c.gh, true, c.w)
	}
	return st
}

func (c *cycle) chartsCheck(ctx context.Context, version string, reg *registry.Client) step {
	st := command(release.Fix{Action: release.ActionChartsCheck, Args: []string{version}})
	st.run = func(c *cycle) error {
		rel, err := c.repo()
		if err != nil {
			return err
		}
		p, err := released.Chart(ctx, rel, version, *reg)
		if err != nil {
			return err
		}
		fmt.Fprintf(c.w, "charts: %s\n", p)
		return nil
	}
	return st
}

func (c *cycle) lock(ctx context.Context, on bool) step {
	f := release.Fix{Action: release.ActionUnlockBranch, Push: true}
	if on {
		f.Action = release.ActionLockBranch
	}
	st := command(f)
	st.run = func(c *cycle) error {
		rel, err := c.repo()
		if err != nil {
			return err
		}
		return publish.GitHubLock(ctx, rel, c.gh, on, true, c.w)
	}
	return st
}

// run builds the repositories and runs the steps, then status.
func (c *cycle) run(ctx context.Context) error {
	fmt.Fprintf(c.w, "demo: %s, in %s\n\n", c.title, c.dir)
	files, err := fixture.Files(c.stage, "before")
	if err != nil {
		return err
	}
	if files, err = fixturemods.Small(files); err != nil {
		return err
	}
	if _, err := gitfixture.WithRemote(c.root(), filepath.Join(c.dir, "remote.git"), files, "cloud-api-adaptor before the cycle"); err != nil {
		return err
	}
	kataDir := filepath.Join(c.dir, "kata-containers")
	releases, err := fixture.KataReleases(c.kata...)
	if err != nil {
		return err
	}
	if _, err := gitfixture.Releases(kataDir, releases...); err != nil {
		return err
	}
	c.in.KataRepo = "file://" + kataDir
	if c.operator {
		operatorDir := filepath.Join(c.dir, "operator")
		if _, err := gitfixture.Init(operatorDir, map[string][]byte{"README.md": []byte("operator\n")}, "operator main"); err != nil {
			return err
		}
		c.in.OperatorRepo = "file://" + operatorDir
	}
	for i, st := range c.steps {
		if st.run != nil {
			if st.fix.Push {
				fmt.Fprintf(c.w, "== %s (PUSH=1)\n", st.title)
			} else {
				fmt.Fprintf(c.w, "== %s\n", st.title)
			}
			if err := st.run(c); err != nil {
				return err
			}
			fmt.Fprintln(c.w)
			continue
		}
		if st.branch != "" {
			fmt.Fprintf(c.w, "== %s (PR=1)\n", st.title)
		} else {
			fmt.Fprintf(c.w, "== %s\n", st.title)
		}
		p, plan, err := c.runPhase(ctx, st)
		if err != nil {
			return err
		}
		var pull *github.Pull
		if st.branch != "" {
			if pull, err = c.propose(ctx, st, p.Name, plan, c.steps[i+1:]); err != nil {
				return err
			}
		}
		if err := c.merge(pull); err != nil {
			return err
		}
	}
	fmt.Fprintf(c.w, "== status\n")
	rel, err := c.repo()
	if err != nil {
		return err
	}
	rep, err := status.Read(ctx, rel, status.Options{GitHub: c.gh})
	if err != nil {
		return err
	}
	rep.GitHub(ctx, config.CAA(), c.gh)
	if _, err := rep.WriteTo(c.w); err != nil {
		return err
	}
	fmt.Fprintln(c.w)
	return rep.Err()
}

// merge pushes main to the remote, as merging the phase's PR would, and
// marks the PR, if any, merged.
func (c *cycle) merge(pull *github.Pull) error {
	fmt.Fprintf(c.w, "demo: pushing main to the remote, as merging the PR would\n\n")
	// Opened afresh: a phase writes its commits as a new packfile, and
	// go-git reads the list of packfiles once per repository value.
	repo, err := git.PlainOpen(c.root())
	if err != nil {
		return err
	}
	if err := gitfixture.Push(repo, "origin", "refs/heads/main:refs/heads/main"); err != nil {
		return err
	}
	if pull != nil {
		head, err := repo.Head()
		if err != nil {
			return err
		}
		c.fake.Merge(pull.Number, head.Hash().String())
	}
	return nil
}

// withVersion is the phase build with s parsed as the repository's
// configuration reads a version.
func withVersion(s string, build func(release.Repo, version.Version) (*phase.Phase, error)) func(release.Repo) (*phase.Phase, error) {
	return func(rel release.Repo) (*phase.Phase, error) {
		v, err := rel.Config.ParseVersion(s)
		if err != nil {
			return nil, err
		}
		return build(rel, v)
	}
}
