package targets

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/confidential-containers/release-tools/charts/registry"
	"github.com/confidential-containers/release-tools/github"
	"github.com/confidential-containers/release-tools/gomod"
	"github.com/confidential-containers/release-tools/goproxy"
	"github.com/confidential-containers/release-tools/internal/actions"
	"github.com/confidential-containers/release-tools/internal/magevars"
	"github.com/confidential-containers/release-tools/internal/propose"
	"github.com/confidential-containers/release-tools/internal/redact"
	"github.com/confidential-containers/release-tools/kata"
	"github.com/confidential-containers/release-tools/phase"
	"github.com/confidential-containers/release-tools/pins"
	"github.com/confidential-containers/release-tools/publish"
	"github.com/confidential-containers/release-tools/pullrequest"
	"github.com/confidential-containers/release-tools/release"
	"github.com/confidential-containers/release-tools/release/config"
	"github.com/confidential-containers/release-tools/released"
	"github.com/confidential-containers/release-tools/status"
	"github.com/confidential-containers/release-tools/status/statusjson"
	"github.com/confidential-containers/release-tools/steps"
	"github.com/confidential-containers/release-tools/version"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/google/go-containerregistry/pkg/authn"
)

// runner runs the targets on a repository; the mage targets build one
// from the working directory and the environment.
type runner struct {
	Root string // the repository being released
	Vars magevars.Vars
	// Out gets the results: the remote and branch used, the plan, each
	// step's outcome, what was pushed or opened, status's report.
	Out io.Writer
	// Progress is told what starts to wait on the network or the go
	// command; nil tells Out.
	Progress io.Writer
	// Go runs the go command (go get, go mod tidy); nil runs it in the
	// process's environment.
	Go *gomod.Runner
	// Registry asks the chart and image registries; nil asks them with
	// the user's docker credentials. SKIP_REGISTRY=1 asks none, even
	// this one.
	Registry *registry.Client
	// Author is the author and committer of the commits (RELEASE_AUTHOR,
	// or the bot in Actions without a git identity); nil: git's user.
	Author *object.Signature
	// Actions is the GitHub Actions runner, when it runs in one; Summary
	// then keeps what the run says for the step's summary.
	Actions actions.Env
	Summary *actions.Summary
	// raceWait is how long a refused proposal waits for another run's
	// pull request to appear; zero is ten seconds.
	raceWait time.Duration
}

// config is the repository's configuration: the preset, release.yaml laid
// over it, and RELEASE_REMOTE and RELEASE_BRANCH over both when they are
// set. It says which remote and branch it uses, and where each came from.
func (r *runner) repo() (release.Repo, error) {
	repo, err := release.Open(r.Root)
	if err != nil {
		return repo, err
	}
	// The bot is the author in Actions when this repository has no git
	// identity: known now that it is open.
	if err := r.setAuthor(repo.Git); err != nil {
		return repo, err
	}
	cfg := &repo.Config
	preset := config.CAA()
	source := func(v *string, env, def, name string) string {
		switch {
		case env != "":
			*v = env
			return name
		case *v != def:
			return config.ConfigFile
		}
		return "the default"
	}
	if cfg.MainBranch == "" {
		cfg.MainBranch = cfg.Branch // RELEASE_BRANCH below picks this run's
	}
	rs := source(&cfg.Remote, r.Vars.Remote, preset.Remote, "RELEASE_REMOTE")
	bs := source(&cfg.Branch, r.Vars.Branch, preset.Branch, "RELEASE_BRANCH")
	if r.Out != nil {
		fmt.Fprintf(r.Out, "remote %s (%s), branch %s (%s)\n", cfg.Remote, rs, cfg.Branch, bs)
	}
	return repo, nil
}

func (r *runner) inputs() release.Inputs {
	return release.Inputs{
		KataRepo: r.Vars.KataRepo, OperatorRef: r.Vars.OperatorRef, OperatorRepo: r.Vars.OperatorRepo,
		ReleaseDate: r.Vars.ReleaseDate, ReleaseCommit: r.Vars.ReleaseCommit, Progress: r.progress(),
		KataRef: r.Vars.KataRef, KataRefNote: r.Vars.KataRefNote,
		ReleaseTime: r.Vars.ReleaseTime, ChartVersion: r.Vars.ChartVersion, Registry: r.registry(),
		AllowDowngrade: r.Vars.AllowDowngrade, GuestComponentsRef: r.Vars.GuestComponentsRef, TrusteeRef: r.Vars.TrusteeRef,
	}
}

// progress is where progress lines go: Progress, or Out.
func (r *runner) progress() io.Writer {
	if r.Progress != nil {
		return r.Progress
	}
	return r.Out
}

// registry asks the chart and image registries (runner.Registry, or with
// the user's docker credentials); nil with SKIP_REGISTRY=1.
func (r *runner) registry() *registry.Client {
	if r.Vars.SkipRegistry {
		return nil
	}
	if r.Registry != nil {
		return r.Registry
	}
	return &registry.Client{Keychain: authn.DefaultKeychain}
}

// run builds a phase and its proposal with build and runs it with the
// variables' options, then proposes its commits: with PR=1 it pushes them
// and opens the pull request, otherwise it prints how to.
func (r *runner) run(ctx context.Context, build func(release.Repo) (*phase.Phase, propose.Proposal, error)) error {
	repo, err := r.repo()
	if err != nil {
		return err
	}
	p, pr, err := build(repo)
	if err != nil {
		return err
	}
	if r.Vars.SkipGo {
		pr.Next = append(skippedGo(p), pr.Next...)
	}
	if r.Summary != nil {
		r.Summary.Title = p.Name
	}
	prop, err := propose.New(ctx, propose.Env{Vars: r.Vars, Out: r.Out, GitHub: r.github}, repo, pr)
	if err != nil {
		return err
	}
	if open, err := prop.OpenAlready(ctx); err != nil || open != nil {
		if open != nil {
			r.note(fmt.Sprintf("%s: the pull request #%d from %s is open already: nothing to do, nothing pushed (%s)", p.Name, open.Number, open.Head, open.URL))
		}
		return err
	}
	if r.Vars.PR {
		if err := r.ownToken("pr"); err != nil {
			return err
		}
	}
	o := phase.Options{DryRun: r.Vars.DryRun, NoCommit: r.Vars.NoCommit, SkipGo: r.Vars.SkipGo, AllowDrops: r.Vars.AllowTidyDrops, Out: prop.Out(), Progress: r.progress(), Author: r.Author}
	if r.Go != nil { // a nil *gomod.Runner in the interface would not read as nil
		o.Go = r.Go
	}
	if err := r.group(p.Name, func() error { return p.Run(ctx, o) }); err != nil {
		return err
	}
	err = prop.Done(ctx, p.Name)
	if err != nil && pr.OnlyOne && !errors.Is(err, pullrequest.ErrMerged) && !errors.Is(err, pullrequest.ErrClosed) && !errors.Is(err, github.ErrUnavailable) {
		if open := raced(ctx, prop, r.raceWait); open != nil {
			r.note(fmt.Sprintf("%s: another run proposed it at the same time: the pull request #%d from %s is open: nothing to do (%s); this run's commit is left unpushed", p.Name, open.Number, open.Head, open.URL))
			return nil
		}
	}
	if r.Summary != nil {
		r.Summary.Proposed(prop.Result())
	}
	if res, _ := prop.Result(); err == nil && !r.Vars.DryRun && !r.Vars.NoCommit && !prop.Committed(ctx) && (res == nil || res.Outcome == pullrequest.Nothing) {
		r.note(p.Name + ": nothing to do: the repository is as the phase would make it, no commit made, nothing proposed")
	}
	return err
}

// raced is the pull request another run opened from the proposal's
// branch while this one ran (its push then finds the branch taken, or is
// refused): asked for a few seconds, as the other run may have pushed
// and not yet opened it: for wait (zero: ten seconds), asked ten times.
// nil when none appears.
func raced(ctx context.Context, prop *propose.Proposer, wait time.Duration) *github.Pull {
	if wait == 0 {
		wait = 10 * time.Second
	}
	for range 10 {
		if open, err := prop.OpenAlready(ctx); err != nil || open != nil {
			return open
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait / 10):
		}
	}
	return nil
}

// note prints a line that says a run's outcome, and keeps it for the
// summary in Actions.
func (r *runner) note(line string) {
	fmt.Fprintln(r.Out, line)
	if r.Summary != nil {
		r.Summary.Note(line)
	}
}

// skippedGo is what SKIP_GO=1 leaves to do before the merge: the go
// commands of the phase p, to run by hand; none when p has none.
func skippedGo(p *phase.Phase) []pullrequest.Next {
	var next []pullrequest.Next
	for _, s := range p.Steps {
		if g, ok := s.(phase.Go); ok {
			next = append(next, pullrequest.Next{Command: g.Command()})
		}
	}
	if len(next) == 0 {
		return nil
	}
	return append([]pullrequest.Next{{What: "SKIP_GO=1 skipped the go commands, so the commits lack what they change: run these from the repository's root, amend the commit with the go.mod and go.sum files, and push it before the merge"}}, next...)
}

// step is run for a phase of a single step, proposed on branch
// release/<name>.
func (r *runner) step(ctx context.Context, name string, build func(release.Repo) (*phase.Phase, error)) error {
	return r.run(ctx, func(repo release.Repo) (*phase.Phase, propose.Proposal, error) {
		p, err := build(repo)
		return p, propose.Proposal{Branch: "release/" + name}, err
	})
}

// Status prints where the release cycle stands, the next commands, the
// facts and every inconsistency with its fix (FORMAT=json: the same as
// JSON). Its error wraps status.ErrInconsistent for a problem found, else
// status.ErrUnchecked for a check that could not be made.
func (r *runner) Status(ctx context.Context) error {
	q := *r
	if r.Vars.Format == "json" {
		q.Out = r.Progress // stdout holds the JSON alone
	}
	repo, err := q.repo()
	if err != nil {
		return err
	}
	kata := r.Vars.KataRepo
	if kata == "" {
		kata = repo.Config.KataRepo
	}
	o := status.Options{KataRepo: kata, Progress: r.Progress}
	var gh *github.Client
	notAsked := "no GITHUB_TOKEN"
	if r.Vars.GitHubToken != "" {
		if gh, err = r.github(ctx, repo); err != nil {
			notAsked = err.Error()
		} else {
			o.GitHub = gh // never a typed nil in the interface
		}
	}
	rep, err := status.Read(ctx, repo, o)
	if err != nil {
		return err
	}
	if gh == nil {
		rep.GitHubNotAsked(notAsked)
	} else {
		rep.GitHub(ctx, repo.Config, gh)
		r.statusVerify(ctx, repo, rep, gh)
	}
	if rep.Tagged != "" && repo.Config.PublishedChart != "" {
		if l, _ := repo.Layout(); l == release.ChartLayout { // repo is from release.Open: decided
			if reg := r.registry(); reg == nil {
				rep.Published(released.Published{}, errors.New("not asked: SKIP_REGISTRY=1"))
			} else {
				if r.Progress != nil {
					fmt.Fprintf(r.Progress, "charts: asking %s (waits on the network)\n", repo.Config.ChartRegistry)
				}
				rep.Published(released.PublishedAt(ctx, repo, rep.Tagged, *reg))
			}
		}
	}
	if r.Vars.Format == "json" {
		err = statusjson.Write(r.Out, rep, command)
	} else {
		_, err = rep.Format(r.Out, command)
	}
	if err != nil {
		return err
	}
	return rep.Err()
}

// DepsSync is deps:sync: the Kata, guest-components and trustee references
// from Kata's versions.yaml at kataVersion, go get and tidy, one commit.
func (r *runner) DepsSync(ctx context.Context, kataVersion string) error {
	err := r.run(ctx, func(repo release.Repo) (*phase.Phase, propose.Proposal, error) {
		kv, err := repo.ParseKataVersion(ctx, kataVersion, r.inputs())
		var p *phase.Phase
		if err == nil {
			p, err = repo.DepsSync(ctx, kv, r.inputs())
		}
		if errors.Is(err, kata.ErrNoCommit) {
			err = fmt.Errorf("KATA_REF=%s: %w", r.Vars.KataRef, err)
		}
		if errors.Is(err, release.ErrNoRegistry) {
			err = fmt.Errorf("%w: unset SKIP_REGISTRY", err)
		}
		resolved := kataVersion
		if p != nil {
			resolved = strings.TrimPrefix(p.Name, "deps:sync ") // latest resolved
		}
		next := pullrequest.Next{Command: command(release.Fix{Action: release.ActionRelease, Args: []string{"<vX.Y.Z>", "<imageSHA>"}}), What: "when the release is due: <imageSHA> is the commit of the image built from the merged head"}
		if repo.Config.Image == "" {
			next = pullrequest.Next{Command: command(release.Fix{Action: release.ActionBumpCharts, Args: []string{"<chartVersion>"}}), What: "when the release is due"}
		}
		return p, propose.Proposal{Branch: "release/deps-sync-" + resolved, OnlyOne: true, Next: []pullrequest.Next{
			{What: propose.MergePR},
			next,
		}}, err
	})
	if d := (*kata.DowngradeError)(nil); errors.As(err, &d) {
		return fmt.Errorf("%w\nif the downgrade is meant: %s", err, command(release.Fix{Action: release.ActionDepsSync, Args: []string{d.To}, AllowDowngrade: true}))
	}
	return err
}

// Prerelease is the prerelease phase for a candidate version; it then
// prints the commands that follow.
func (r *runner) Prerelease(ctx context.Context, version string) error {
	return r.run(ctx, func(repo release.Repo) (*phase.Phase, propose.Proposal, error) {
		v, err := parseVersion(repo, "prerelease", version)
		if err != nil {
			return nil, propose.Proposal{}, err
		}
		p, err := repo.Prerelease(ctx, v, r.inputs())
		return p, propose.Proposal{Branch: "release/" + version, Print: true, Next: propose.NextSteps(version, propose.MergePR, []propose.Step{
			{Fix: release.Fix{Action: release.ActionGitHubRelease, Args: []string{version}, Push: true}, What: "the pre-release: it starts the podvm build"},
			{Fix: release.Fix{Action: release.ActionWarmProxy, Args: []string{version}}, What: "the Go module proxy serves every module at the tagged commit"},
			{Fix: release.Fix{Action: release.ActionLockBranch, Push: true}, What: "freeze " + repo.Config.Branch + " while the candidate is tested (admin token)"},
		}, command)}, err
	})
}

// Release is the release phase: the overlays pinned to imageSHA, then the
// requires bumped to version; it then prints the commands that follow.
func (r *runner) Release(ctx context.Context, version, imageSHA string) error {
	return r.run(ctx, func(repo release.Repo) (*phase.Phase, propose.Proposal, error) {
		v, err := parseVersion(repo, "release", version)
		if err != nil {
			return nil, propose.Proposal{}, err
		}
		sha, err := pins.ParseCommit(imageSHA)
		if err != nil && repo.Config.Image != "" {
			return nil, propose.Proposal{}, fmt.Errorf("release: image %w: give the commit of the %s image to pin", err, repo.Config.Image)
		}
		p, err := repo.Release(v, sha, r.inputs())
		if errors.Is(err, release.ErrNotConfigured) && repo.Config.Image == "" {
			err = fmt.Errorf("%w\nthis repository has charts alone: release it with %s", err, command(release.Fix{Action: release.ActionBumpCharts, Args: []string{"<chartVersion>"}}))
		}
		branch := repo.Config.Branch
		if l, _ := repo.Layout(); l == release.ChartLayout { // repo is from release.Open: decided
			return p, propose.Proposal{Branch: "release/" + version, Print: true, Next: propose.NextSteps(version, propose.MergePR, []propose.Step{
				{Fix: release.Fix{Action: release.ActionGitHubRelease, Args: []string{version}, Push: true}, What: "the release, marked latest: it publishes the charts"},
				{Fix: release.Fix{Action: release.ActionWarmProxy, Args: []string{version}}, What: "the Go module proxy serves every module at the tagged commit"},
				{Fix: release.Fix{Action: release.ActionVerify, Args: []string{version}, Wait: true}, What: "every job the release started green, every image and the chart published; then the announcement"},
				{Fix: release.Fix{Action: release.ActionPostrelease, Args: []string{version}}, What: "every pin back to latest, kata-deploy unpinned, CITATION.cff"},
			}, command)}, err
		}
		unlock := release.Fix{Action: release.ActionUnlockBranch, Push: true}
		return p, propose.Proposal{Branch: "release/" + version, Print: true, Next: propose.NextSteps(version, propose.MergePR+" ("+branch+" is locked: an admin merges, or "+command(unlock)+" first)", []propose.Step{
			{Fix: release.Fix{Action: release.ActionGitHubRelease, Args: []string{version}, Push: true}, What: "the release, marked latest: it starts the podvm build again"},
			{Fix: release.Fix{Action: release.ActionWarmProxy, Args: []string{version}}, What: "the Go module proxy serves every module at the tagged commit"},
			{Fix: unlock, What: "if " + branch + " is still locked (admin token)"},
			{Fix: release.Fix{Action: release.ActionPostrelease, Args: []string{version}}, What: "overlays back to latest, operator to main, CITATION.cff"},
		}, command)}, err
	})
}

// Tags plans the module tags of version and, with PUSH=1, creates and
// pushes them; the module proxy of GOPROXY is asked first.
func (r *runner) Tags(ctx context.Context, version string) error {
	repo, err := r.repo()
	if err != nil {
		return err
	}
	proxy, err := r.proxy()
	if err != nil {
		return err
	}
	l, _, err := repo.Ledger(ctx, nil)
	if err != nil {
		return err
	}
	msg, err := publish.Tagged(l, repo, version, r.Vars.TagCommit)
	if err != nil || msg != "" {
		if err == nil {
			fmt.Fprintln(r.Out, msg)
		}
		return err
	}
	err = publish.Tags(ctx, repo, version, publish.TagOptions{Commit: r.Vars.TagCommit, Push: r.Vars.Push, Sign: r.Vars.Sign, Proxy: proxy, Ledger: l}, r.Out)
	if err == nil && !r.Vars.Push {
		fmt.Fprintln(r.Out, "PUSH=1 creates and pushes them")
	}
	return err
}

// proxy is the module proxy of GOPROXY; nil, said so, when it is off.
func (r *runner) proxy() (*goproxy.Client, error) {
	url, err := goproxy.FirstProxy(r.Vars.GoProxy)
	if errors.Is(err, goproxy.ErrNoProxy) {
		fmt.Fprintf(r.Out, "proxy: %v; no proxy check\n", err)
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &goproxy.Client{URL: url}, nil
}

// ProxyCheck plans the tags of version and asks the module proxy about
// each module version; a version it knows at another commit is an error.
func (r *runner) ProxyCheck(ctx context.Context, version string) error {
	proxy, err := r.proxy()
	if err != nil || proxy == nil {
		return err
	}
	repo, err := r.repo()
	if err != nil {
		return err
	}
	return publish.Tags(ctx, repo, version, publish.TagOptions{Commit: r.Vars.TagCommit, Proxy: proxy}, r.Out)
}

// ProxyWarm requests every module version of version's tags from the
// proxy in dependency order, waiting for each to appear.
func (r *runner) ProxyWarm(ctx context.Context, version string) error {
	proxy, err := r.proxy()
	if err != nil || proxy == nil {
		return err
	}
	repo, err := r.repo()
	if err != nil {
		return err
	}
	mods, err := publish.ModuleVersions(repo, version)
	if err != nil {
		return err
	}
	fmt.Fprintf(r.progress(), "proxy: warming %d module versions at %s on %s (waits on the network)\n", len(mods), version, redact.URL(proxy.URL))
	if err := proxy.Warm(ctx, mods, goproxy.WarmOptions{Out: r.progress()}); err != nil {
		return err
	}
	fmt.Fprintf(r.Out, "proxy: every module of %s is served at %s\n", version, mods[0].Commit)
	return nil
}

// github is a client of the release repository on GitHub.
func (r *runner) github(ctx context.Context, repo release.Repo) (*github.Client, error) {
	o, err := publish.GitHubOptions(repo, r.Vars.Getenv)
	if nr := (*publish.NoRemoteError)(nil); errors.As(err, &nr) {
		return nil, fmt.Errorf("%w: set GITHUB_REPOSITORY=owner/repo, or RELEASE_REMOTE", err)
	}
	if err != nil {
		return nil, err
	}
	return github.New(ctx, o)
}

// GitHubRelease is github:release: the GitHub release of version on the
// commit its module tags point at on the remote; PUSH=1 creates it.
func (r *runner) GitHubRelease(ctx context.Context, version string) error {
	if err := r.ownToken("release"); err != nil {
		return err
	}
	return r.withGitHub(ctx, func(repo release.Repo, gh *github.Client) error {
		err := publish.GitHubRelease(ctx, repo, version, gh, r.Vars.Push, r.Out)
		if err == nil && !r.Vars.Push {
			fmt.Fprintln(r.Out, "PUSH=1 creates it")
		}
		return err
	})
}

// GitHubLock is github:lock (on) and github:unlock: the release branch's
// lock; PUSH=1 changes it.
func (r *runner) GitHubLock(ctx context.Context, on bool) error {
	if err := r.ownToken("lock"); err != nil {
		return err
	}
	return r.withGitHub(ctx, func(repo release.Repo, gh *github.Client) error {
		err := publish.GitHubLock(ctx, repo, gh, on, r.Vars.Push, r.Out)
		if err == nil && !r.Vars.Push {
			fmt.Fprintln(r.Out, "PUSH=1 changes it")
		}
		return err
	})
}

func (r *runner) withGitHub(ctx context.Context, f func(release.Repo, *github.Client) error) error {
	repo, err := r.repo()
	if err != nil {
		return err
	}
	gh, err := r.github(ctx, repo)
	if err != nil {
		return err
	}
	return f(repo, gh)
}

// Postrelease is the postrelease phase: overlays and operator unpinned,
// CITATION.cff updated, one commit.
func (r *runner) Postrelease(ctx context.Context, version string) error {
	return r.releaseCommit(r.run(ctx, func(repo release.Repo) (*phase.Phase, propose.Proposal, error) {
		v, err := parseVersion(repo, "postrelease", version)
		if err != nil {
			return nil, propose.Proposal{}, err
		}
		p, err := repo.Postrelease(v, r.inputs())
		return p, propose.Proposal{Branch: "release/postrelease-" + version, Next: []pullrequest.Next{
			{What: propose.MergePR},
			{Command: "GITHUB_TOKEN=... " + command(release.Fix{Action: release.ActionStatus}), What: "should find no inconsistencies"},
		}}, err
	}))
}

// releaseCommit names RELEASE_COMMIT in an error about the release commit
// it gave: one that does not exist, or is not on the release branch.
func (r *runner) releaseCommit(err error) error {
	if r.Vars.ReleaseCommit != "" && (errors.Is(err, steps.ErrNoCommit) || errors.Is(err, steps.ErrNotOnBranch)) {
		return fmt.Errorf("RELEASE_COMMIT=%s: %w", r.Vars.ReleaseCommit, err)
	}
	return err
}

// ChartsCheck is charts:check: whether the chart the release of version
// publishes (its version at the tagged commit) is in the chart registry,
// and its digest.
func (r *runner) ChartsCheck(ctx context.Context, version string) error {
	repo, err := r.repo()
	if err != nil {
		return err
	}
	reg := r.registry()
	if reg == nil {
		return errors.New("charts:check asks the chart registry: unset SKIP_REGISTRY")
	}
	fmt.Fprintf(r.progress(), "charts: asking %s (waits on the network)\n", repo.Config.ChartRegistry)
	p, err := released.Chart(ctx, repo, version, *reg)
	if err != nil {
		return err
	}
	fmt.Fprintf(r.Out, "charts: %s\n", p)
	return nil
}

// ChartsBump is charts:bump: every chart to chartVersion, one commit.
func (r *runner) ChartsBump(ctx context.Context, chartVersion string) error {
	return r.step(ctx, "charts-"+chartVersion, func(repo release.Repo) (*phase.Phase, error) {
		return repo.ChartsBump(chartVersion, r.inputs())
	})
}

// OperatorPin is operator:pin.
func (r *runner) OperatorPin(ctx context.Context, ref string) error {
	return r.step(ctx, "operator-pin-"+ref, func(repo release.Repo) (*phase.Phase, error) { return repo.OperatorPin(ref) })
}

// OperatorUnpin is operator:unpin.
func (r *runner) OperatorUnpin(ctx context.Context) error {
	return r.step(ctx, "operator-unpin", func(repo release.Repo) (*phase.Phase, error) { return repo.OperatorUnpin(), nil })
}

// OverlaysPin is overlays:pin and image:pin: the image pinned in the
// repository's layout.
func (r *runner) OverlaysPin(ctx context.Context, imageSHA string) error {
	return r.step(ctx, "image-pin-"+imageSHA[:min(12, len(imageSHA))], func(repo release.Repo) (*phase.Phase, error) {
		sha, err := pins.ParseCommit(imageSHA)
		if err != nil {
			return nil, fmt.Errorf("image pin: image %w", err)
		}
		return repo.ImagePin(sha, r.inputs())
	})
}

// OverlaysUnpin is overlays:unpin and image:unpin.
func (r *runner) OverlaysUnpin(ctx context.Context) error {
	return r.step(ctx, "image-unpin", func(repo release.Repo) (*phase.Phase, error) { return repo.ImageUnpin() })
}

// GomodBump is gomod:bump.
func (r *runner) GomodBump(ctx context.Context, version string) error {
	return r.step(ctx, "gomod-bump-"+version, func(repo release.Repo) (*phase.Phase, error) {
		v, err := parseVersion(repo, "gomod:bump", version)
		if err != nil {
			return nil, err
		}
		return repo.GomodBump(v)
	})
}

// CitationUpdate is citation:update.
func (r *runner) CitationUpdate(ctx context.Context, version string) error {
	return r.releaseCommit(r.step(ctx, "citation-"+version, func(repo release.Repo) (*phase.Phase, error) {
		v, err := parseVersion(repo, "citation:update", version)
		if err != nil {
			return nil, err
		}
		return repo.CitationUpdate(v, r.inputs())
	}))
}

// parseVersion is the version s as repo's configuration reads it (its
// pre-release pattern), parsed once here for the phase; the error names
// the phase, what.
func parseVersion(repo release.Repo, what, s string) (version.Version, error) {
	v, err := repo.Config.ParseVersion(s)
	if err != nil {
		return v, fmt.Errorf("%s: %w", what, err)
	}
	return v, nil
}
