package release

import (
	"context"
	"fmt"
	"io"
	"path"
	"strings"
	"time"

	"github.com/confidential-containers/release-tools/charts"
	"github.com/confidential-containers/release-tools/charts/registry"
	"github.com/confidential-containers/release-tools/gomod"
	"github.com/confidential-containers/release-tools/internal/gitremote"
	"github.com/confidential-containers/release-tools/internal/reach"
	"github.com/confidential-containers/release-tools/internal/redact"
	"github.com/confidential-containers/release-tools/kata"
	"github.com/confidential-containers/release-tools/phase"
	"github.com/confidential-containers/release-tools/pins"
	"github.com/confidential-containers/release-tools/release/config"
	"github.com/confidential-containers/release-tools/steps"
	"github.com/confidential-containers/release-tools/version"
	"github.com/confidential-containers/release-tools/versions"
)

// Inputs are the values a person may give a phase instead of the defaults.
type Inputs struct {
	KataRepo string // default Config.KataRepo
	// KataRef is the Kata commit that references holding a commit get,
	// instead of the commit of Kata's tag (a later fix, say); KataRefNote
	// is added to their comment: "# v3.31.0 + <note>".
	KataRef, KataRefNote string
	// GuestComponentsRef and TrusteeRef are the guest-components and
	// trustee references a deps sync writes instead of those Kata's
	// versions.yaml names (a later commit, say): each a full commit or a
	// version ([kata.CheckRef]). A deps sync records them, and KataRef,
	// as trailers of its commit ([kata.Choice.Trailers]).
	GuestComponentsRef, TrusteeRef string
	OperatorRef                    string // default the head of the operator's main
	OperatorRepo                   string // default the URL in the versions file
	ReleaseDate                    string // YYYY-MM-DD; default today, UTC
	ReleaseCommit                  string // default the commit the version's tags point at
	// ReleaseTime is the time a Chart.lock says it was generated; zero
	// means now.
	ReleaseTime time.Time
	// ChartVersion is the version a release gives its charts instead of
	// [NextChartVersion]'s.
	ChartVersion string
	// Registry, when set, is asked whether a chart dependency's registry
	// has the version a phase pins, whether the image registries have the
	// images of the commit a phase pins, and whether the chart registry has
	// the chart version a release gives its charts already; nil skips those
	// checks (the plan says so). A registry that cannot be reached stops the
	// phase ([steps.ErrRegistryUnreachable]).
	Registry *registry.Client
	// AllowDowngrade lets a deps sync move the Kata references below the
	// version versions.yaml holds (see [kata.ErrDowngrade]).
	AllowDowngrade bool
	// Progress, when set, is told about lookups that wait on the network
	// while a phase is built and planned.
	Progress io.Writer
	// GitTimeout bounds each lookup in another git repository (Kata's
	// versions.yaml at a tag, the operator's head); zero means
	// [DefaultGitTimeout].
	GitTimeout time.Duration
}

// DefaultGitTimeout bounds a lookup in another git repository when
// Inputs.GitTimeout is zero: a shallow fetch of one commit of Kata
// Containers takes a while on a slow link.
const DefaultGitTimeout = kata.DefaultTimeout

// gitTimeout is the inputs' git timeout.
func (in Inputs) gitTimeout() time.Duration {
	if in.GitTimeout <= 0 {
		return DefaultGitTimeout
	}
	return in.GitTimeout
}

// waiting says that a network lookup starts.
func (in Inputs) waiting(what string) {
	if in.Progress != nil {
		fmt.Fprintf(in.Progress, "... %s (waits on the network)\n", what)
	}
}

// lockTime is when the Chart.lock files a phase writes say they were generated.
func (in Inputs) lockTime() time.Time {
	if in.ReleaseTime.IsZero() {
		return time.Now()
	}
	return in.ReleaseTime
}

// kata is the Kata repository to read: in.KataRepo, else cfg.KataRepo.
func (in Inputs) kata(cfg config.Config) kata.Remote {
	url := in.KataRepo
	if url == "" {
		url = cfg.KataRepo
	}
	return kata.Remote{URL: url, GuestComponentsKey: cfg.KataGuestComponentsKey, TrusteeKey: cfg.KataTrusteeKey, Timeout: in.gitTimeout()}
}

// DepsSync sets the Kata, guest-components and trustee references to
// kataVersion and the values Kata's versions.yaml has at that version, moves
// the Kata runtime module to kataVersion with go get, tidies, and commits.
// Run with the go commands skipped, its commit says that the module was not
// moved, and lists the commands to run. On the chart layout it also pins
// the kata-deploy dependency of Config.KataDeployChart to kataVersion and
// writes its Chart.lock. A repository without a versions file (the charts
// preset) gets the kata-deploy pin alone; one with neither is an error
// wrapping [ErrNotConfigured].
//
// kv is the Kata release to sync with ([Repo.ParseKataVersion] reads it,
// [Latest] included); it must not be below the version versions.yaml holds (a [*kata.DowngradeError]
// when the phase is planned, unless in.AllowDowngrade); in.KataRef must be
// a commit of the Kata repository ([kata.ErrNoCommit] otherwise);
// in.GuestComponentsRef and in.TrusteeRef, when given, replace what Kata's
// versions.yaml names, each a commit or a version ([kata.ErrBadRef]);
// the commit records each one that differs from Kata's, and in.KataRef,
// in a trailer ([kata.Choice]).
func (rel Repo) DepsSync(ctx context.Context, kv kata.Version, in Inputs) (*phase.Phase, error) {
	if err := rel.canSync(); err != nil {
		return nil, err
	}
	root, cfg := rel.Root, rel.Config
	kataVersion := kv.String()
	if in.KataRef != "" && !pins.IsCommit(in.KataRef) {
		return nil, fmt.Errorf("deps:sync: Kata commit %q is not a commit SHA (40 lowercase hex digits)", in.KataRef)
	}
	for _, r := range []struct{ what, ref string }{{"guest-components", in.GuestComponentsRef}, {"trustee", in.TrusteeRef}} {
		if r.ref == "" {
			continue
		}
		if err := kata.CheckRef(r.ref); err != nil {
			return nil, fmt.Errorf("deps:sync: the %s reference to pin: %w", r.what, err)
		}
		if cfg.VersionsFile == "" {
			return nil, fmt.Errorf("deps:sync: a %s reference given: %w", r.what, need("versionsFile", ""))
		}
	}
	p := &phase.Phase{Name: "deps:sync " + kataVersion, Root: root, Git: rel.Git}
	var choices []kata.Choice
	if cfg.VersionsFile != "" {
		set, c, err := kataSteps(ctx, cfg, kataVersion, kv, in)
		choices = c
		if err != nil {
			return nil, fmt.Errorf("deps:sync: %w", err)
		}
		p.Steps = append(p.Steps, set...)
	}
	if rel.layout == ChartLayout && cfg.KataDeployChart != "" {
		if cfg.VersionsFile == "" {
			p.Steps = append(p.Steps, steps.KataDeployNoDowngrade(cfg.KataDeployChart, cfg.KataDeployDependency, kv, in.AllowDowngrade))
		}
		p.Steps = append(p.Steps,
			steps.RegistryCheck(cfg.KataDeployChart, cfg.KataDeployDependency, kataVersion, in.Registry),
			steps.PinKataDeploy(cfg.KataDeployChart, cfg.KataDeployDependency, kataVersion, in.lockTime()))
	}
	mods, err := gomod.Discover(root)
	if err != nil {
		return nil, err
	}
	for _, m := range mods {
		if _, ok := m.Requires[cfg.KataRuntimeModule]; ok && cfg.KataRuntimeModule != "" {
			p.Steps = append(p.Steps,
				phase.Go{Dir: m.Dir, Module: cfg.KataRuntimeModule, Query: kataVersion},
				phase.Go{Dir: m.Dir, Keep: map[string]string{cfg.KataRuntimeModule: ""}})
		}
	}
	subject := "deps: sync with Kata Containers " + kataVersion
	if cfg.VersionsFile == "" {
		p.Steps = append(p.Steps, phase.Commit{Message: subject + "\n\nPin the " + cfg.KataDeployDependency + " chart to " + kataVersion + " and regenerate Chart.lock."})
		return committing(p, cfg), nil
	}
	refs := "\n\nSet the Kata Containers, guest-components and trustee references to what\nKata Containers " + kataVersion + " uses"
	if in.GuestComponentsRef != "" || in.TrusteeRef != "" {
		refs += " (" + chosen(in) + ")"
	}
	var trailers []string
	for _, c := range choices {
		trailers = append(trailers, c.Trailers()...)
	}
	p.Steps = append(p.Steps, phase.Commit{
		Message:   subject + refs + ", and move the Kata runtime module to it.",
		GoSkipped: subject + refs + ". The Kata runtime module was not moved.",
		Trailers:  trailers,
	})
	return committing(p, cfg), nil
}

// canSync is nil when the repository has what a deps sync moves: its
// layout decided, and a versions file or a kata-deploy chart.
func (rel Repo) canSync() error {
	if _, err := rel.Layout(); err != nil {
		return fmt.Errorf("deps:sync: %w", err)
	}
	if rel.Config.VersionsFile == "" && rel.Config.KataDeployChart == "" {
		return fmt.Errorf("deps:sync: %w", need("versionsFile", "", "kataDeployChart", ""))
	}
	return nil
}

// ParseKataVersion reads s as the Kata version of a deps sync
// ([Repo.DepsSync]): a release ([kata.ParseVersion]), or [Latest], the
// highest kata-deploy release in its registry ([Repo.LatestKataDeploy]),
// asked of in.Registry. A repository a deps sync cannot move is refused
// first, as DepsSync refuses it.
func (rel Repo) ParseKataVersion(ctx context.Context, s string, in Inputs) (kata.Version, error) {
	if err := rel.canSync(); err != nil {
		return kata.Version{}, err
	}
	if s == Latest {
		var err error
		if s, err = rel.LatestKataDeploy(ctx, in); err != nil {
			return kata.Version{}, fmt.Errorf("deps:sync: %w", err)
		}
	}
	kv, err := kata.ParseVersion(s)
	if err != nil {
		return kata.Version{}, fmt.Errorf("deps:sync: %w", err)
	}
	return kv, nil
}

// chosen says which references were chosen instead of Kata's.
func chosen(in Inputs) string {
	var s []string
	if in.GuestComponentsRef != "" {
		s = append(s, "guest-components "+in.GuestComponentsRef)
	}
	if in.TrusteeRef != "" {
		s = append(s, "trustee "+in.TrusteeRef)
	}
	return "chosen instead: " + strings.Join(s, ", ")
}

// kataSteps are the steps of a deps sync that set the references of the
// versions file, and the references chosen instead of what Kata names
// (recorded as trailers of its commit): Kata's versions.yaml at
// kataVersion is read first.
func kataSteps(ctx context.Context, cfg config.Config, kataVersion string, kv kata.Version, in Inputs) ([]phase.Step, []kata.Choice, error) {
	remote := in.kata(cfg)
	k, err := remote.Release(ctx, kataVersion, in.waiting)
	if err != nil {
		return nil, nil, err
	}
	var choices []kata.Choice
	commit := k.Commit
	if in.KataRef != "" && in.KataRef != k.Commit {
		if err := remote.HasCommit(ctx, in.KataRef, in.waiting); err != nil {
			return nil, nil, fmt.Errorf("the Kata commit to pin: %w", err)
		}
		commit = in.KataRef
	}
	if commit != k.Commit || in.KataRefNote != "" {
		choices = append(choices, kata.Choice{Ref: kata.RefKata, Value: commit, Kata: kataVersion, Names: k.Commit, Note: in.KataRefNote})
	}
	for _, c := range []struct {
		ref    kata.Ref
		chosen string
		value  *kata.Value
	}{{kata.RefGuestComponents, in.GuestComponentsRef, &k.GuestComponents}, {kata.RefTrustee, in.TrusteeRef, &k.Trustee}} {
		if c.chosen == "" {
			continue
		}
		if c.chosen != c.value.Value {
			choices = append(choices, kata.Choice{Ref: c.ref, Value: c.chosen, Kata: kataVersion, Names: c.value.Value})
		}
		*c.value = kata.Value{Key: "the " + string(c.ref) + " reference chosen", Value: c.chosen}
	}
	return []phase.Step{
		kata.NoDowngrade(kataRefs(cfg), kv, in.AllowDowngrade),
		kata.Set(kataRefs(cfg), kataVersion, commit, in.KataRefNote, k),
	}, choices, nil
}

// Prerelease checks the Kata references, pins the operator, bumps the
// internal requires to the candidate version, tidies and commits.
func (rel Repo) Prerelease(ctx context.Context, v version.Version, in Inputs) (*phase.Phase, error) {
	if err := given(v); err != nil {
		return nil, fmt.Errorf("prerelease: %w", err)
	}
	root, cfg := rel.Root, rel.Config
	if err := need("versionsFile", cfg.VersionsFile); err != nil {
		return nil, fmt.Errorf("prerelease: %w", err)
	}
	version := v.String()
	if !v.IsPreRelease() {
		return nil, fmt.Errorf("prerelease: %s is not a candidate: give vX.Y.Z-alpha.N or vX.Y.Z-rc.N (a release is the release phase)", version)
	}
	ref, err := operatorRef(ctx, root, cfg, in)
	if err != nil {
		return nil, fmt.Errorf("prerelease: %w", err)
	}
	check, bump, err := bumpSteps(root, cfg, v)
	if err != nil {
		return nil, fmt.Errorf("prerelease: %w", err)
	}
	list := []phase.Step{check, rel.upward(v), withFixes(kata.Check(kataRefs(cfg), in.kata(cfg))), operator(cfg, ref)}
	list = append(list, bump...)
	list = append(list, phase.Commit{Message: "prerelease: " + version + "\n\nPin the CoCo operator to " + ref + " and move the requires between the\nrepository's modules to " + version + "."})
	return committing(&phase.Phase{Name: "prerelease " + version, Root: root, Git: rel.Git, Steps: list}, cfg), nil
}

// operatorRef is in.OperatorRef, or the head commit of the operator
// repository's main branch.
func operatorRef(ctx context.Context, root string, cfg config.Config, in Inputs) (string, error) {
	if in.OperatorRef != "" {
		return in.OperatorRef, config.CheckRef(in.OperatorRef)
	}
	url := in.OperatorRepo
	if url == "" {
		u, err := versions.Get(path.Join(root, cfg.VersionsFile), cfg.OperatorURL)
		if err != nil {
			return "", fmt.Errorf("the operator's repository: %w (or give the operator reference or repository)", err)
		}
		url = u
	}
	if gitremote.OpenLocal(url) == nil { // a local repository waits on no network
		in.waiting("reading the head of the operator's main from " + redact.URL(url))
	}
	gctx, cancel := context.WithTimeout(ctx, in.gitTimeout())
	defer cancel()
	head, err := gitremote.RemoteHead(gctx, url, "main")
	if err != nil && ctx.Err() == nil && gctx.Err() != nil && !reach.Unreachable(err) {
		err = fmt.Errorf("no answer within %s: %w", in.gitTimeout(), err)
	}
	if err != nil {
		return "", fmt.Errorf("the operator's main: %w (or give the operator reference)", err)
	}
	return head, nil
}

// Release pins the image to imageSHA (commit 1: every managed overlay, or
// every place of the chart layout; in.Registry is asked first that every
// image the pins name exists, each in its place's tag form, a missing one
// wrapping [steps.ErrImageMissing]), then moves the charts to the release's
// chart version and appVersion (the chart layout) and bumps the internal
// requires to version and tidies (commit 2). A commit with nothing to
// change is not made: a patch release whose image is pinned already has
// no commit 1, and one whose requires are zero pseudo-versions and that
// has no charts no commit 2.
//
// It first checks, from the ledger of releases, that version goes up on
// its line ([Repo.CheckVersion]: a version below the latest release is
// refused, but the next patch of an older line from that line's branch)
// and is not released already ([steps.ErrTagged], a chart-only patch
// release included).
//
// On the chart layout it refuses kata-deploy at its dev version
// ([steps.ErrKataDeployDev], fixed by a deps sync), a chart version that is
// not above every chart's ([steps.ErrChartVersion]; charts at it for
// version already are a re-run) and, when in.Registry is set, one the
// chart registry has ([steps.ErrChartPublished]).
func (rel Repo) Release(v version.Version, imageSHA pins.Commit, in Inputs) (*phase.Phase, error) {
	if err := given(v); err != nil {
		return nil, fmt.Errorf("release: %w", err)
	}
	_, err := rel.Layout()
	if err != nil {
		return nil, fmt.Errorf("release: %w", err)
	}
	root, cfg := rel.Root, rel.Config
	version := v.String()
	if v.IsPreRelease() {
		return nil, fmt.Errorf("release: %s is a candidate: the release phase takes vX.Y.Z (a candidate is the prerelease phase)", version)
	}
	if cfg.Image == "" {
		return nil, fmt.Errorf("release: %w: a repository of charts alone is released by a charts bump ([Repo.ChartsBump]) to the chart version", need("image", ""))
	}
	if !imageSHA.Valid() {
		return nil, fmt.Errorf("release: image %q is not a commit SHA (40 lowercase hex digits): give the commit of the %s image to pin", imageSHA, cfg.Image)
	}
	check, bump, err := bumpSteps(root, cfg, v)
	if err != nil {
		return nil, fmt.Errorf("release: %w", err)
	}
	list := []phase.Step{check, rel.upward(v)}
	var chartVersion string
	if rel.layout == ChartLayout {
		if chartVersion, err = releaseChartVersion(rel, v, in); err != nil {
			return nil, fmt.Errorf("release: %w", err)
		}
		if cfg.KataDeployChart != "" {
			list = append(list, withFixes(steps.KataDeployPinned(cfg.KataDeployChart, cfg.KataDeployDependency, cfg.KataDeployDevVersion, kataRefs(cfg))))
		}
		list = append(list, steps.Unpublished(cfg.PublishedChart, cfg.ChartRegistry, chartVersion, in.Registry))
	}
	list = append(list, pinImageSteps(rel, string(imageSHA), in)...)
	list = append(list, phase.Commit{Message: "release: pin the " + cfg.Image + " image to " + string(imageSHA) + " for " + version})
	msg := "release: move the requires between the repository's modules to " + version
	if rel.layout == ChartLayout {
		list = append(list, steps.MoveCharts(root, cfg.ExcludeCharts, chartVersion, version, in.lockTime()))
		msg = "release: " + version + ": the charts to " + chartVersion + "\n\nMove every chart to version " + chartVersion + " and appVersion " + version +
			",\nand the requires between the repository's modules where they are versions."
	}
	list = append(list, bump...)
	list = append(list, phase.Commit{Message: msg})
	return committing(&phase.Phase{Name: "release " + version, Root: root, Git: rel.Git, Steps: list}, cfg), nil
}

// releaseChartVersion is in.ChartVersion; or, when the charts are at v
// already (a re-run), their version; or the next chart version for v. A
// given version must be above every chart's (an error wrapping
// [steps.ErrChartVersion]), unless the charts are at it for v already.
func releaseChartVersion(rel Repo, v version.Version, in Inputs) (string, error) {
	cs, err := rel.Charts()
	if err != nil {
		return "", err
	}
	released, rerun := chartsReleased(cs, v)
	if in.ChartVersion != "" {
		return in.ChartVersion, steps.CheckChartVersion(cs, in.ChartVersion, rerun && released == in.ChartVersion)
	}
	if rerun {
		return released, nil
	}
	return NextChartVersion(cs, v.String())
}

// chartsReleased reports whether every chart that has an appVersion has
// v's already, with one chart version among them: a re-run of v's release
// (its image commit made, its PR not merged yet) leaves them where they are.
func chartsReleased(cs []charts.Chart, v version.Version) (string, bool) {
	cv, n := "", 0
	for _, c := range cs {
		if c.AppVersion == "" {
			continue
		}
		if c.AppVersion != v.String() || cv != "" && c.Version != cv {
			return "", false
		}
		cv, n = c.Version, n+1
	}
	return cv, n > 0
}

// ChartsBump moves every chart to chartVersion, alone: a release of the
// charts without a release of the image or the modules, and the release of
// a repository of charts alone. Where Config.ChartAppVersion is
// [config.AppVersionChart], each chart's appVersion moves to chartVersion too (its
// quoting kept). Each Chart.lock is regenerated. chartVersion must
// be above every chart's version (every chart at it already is a re-run,
// with nothing to change) and, when in.Registry is set, not published.
func (rel Repo) ChartsBump(chartVersion string, in Inputs) (*phase.Phase, error) {
	root, cfg := rel.Root, rel.Config
	cs, err := rel.Charts()
	if err != nil {
		return nil, fmt.Errorf("charts:bump: %w", err)
	}
	if err := steps.CheckChartVersion(cs, chartVersion, true); err != nil {
		return nil, fmt.Errorf("charts:bump: %w", err)
	}
	appVersion, name := "", "charts: move every chart to "+chartVersion
	if cfg.ChartAppVersion == config.AppVersionChart {
		appVersion, name = chartVersion, name+", appVersion "+chartVersion
	}
	return single(name, rel,
		steps.Unpublished(cfg.PublishedChart, cfg.ChartRegistry, chartVersion, in.Registry), steps.MoveCharts(root, cfg.ExcludeCharts, chartVersion, appVersion, in.lockTime())), nil
}

// Postrelease unpins the image (overlays or pins), the operator (overlay
// layout) and kata-deploy (chart layout, its Chart.lock removed), and
// updates the citation for version, in one commit. A release commit given
// (in.ReleaseCommit) must be on the remote's release branch: the plan
// refuses one that does not exist ([steps.ErrNoCommit]) or is not the
// branch's head or an ancestor of it ([steps.ErrNotOnBranch]).
func (rel Repo) Postrelease(v version.Version, in Inputs) (*phase.Phase, error) {
	if err := given(v); err != nil {
		return nil, fmt.Errorf("postrelease: %w", err)
	}
	_, err := rel.Layout()
	if err != nil {
		return nil, fmt.Errorf("postrelease: %w", err)
	}
	root, cfg := rel.Root, rel.Config
	if err := need("image", cfg.Image); err != nil {
		return nil, fmt.Errorf("postrelease: %w", err)
	}
	version := v.String()
	list := []phase.Step{imageStep(rel, "")}
	what := "the " + cfg.Image + " image and the CoCo operator"
	if rel.layout == OverlayLayout {
		list = append(list, operator(cfg, "main"))
	} else if cfg.KataDeployChart != "" && cfg.KataDeployDevVersion != "" {
		list = append(list, steps.UnpinKataDeploy(cfg.KataDeployChart, cfg.KataDeployDependency, cfg.KataDeployDevVersion))
		what = "the " + cfg.Image + " image and the " + cfg.KataDeployDependency + " chart"
	}
	if cfg.Citation != "" {
		cite, err := citation(rel, v, in)
		if err != nil {
			return nil, fmt.Errorf("postrelease: %w", err)
		}
		list = append(list, cite...)
	}
	list = append(list, phase.Commit{Message: "postrelease: " + version + "\n\nUnpin " + what + ", and cite " + version + "."})
	return committing(&phase.Phase{Name: "postrelease " + version, Root: root, Git: rel.Git, Steps: list}, cfg), nil
}

// citation is the citation step for version; a release commit given in
// in.ReleaseCommit is checked first to be on the remote's release branch
// ([steps.ReleaseCommit]).
func citation(rel Repo, v version.Version, in Inputs) ([]phase.Step, error) {
	cfg := rel.Config
	date := in.ReleaseDate
	if date == "" {
		date = time.Now().UTC().Format(time.DateOnly)
	}
	if _, err := time.Parse(time.DateOnly, date); err != nil {
		return nil, fmt.Errorf("release date %q is not YYYY-MM-DD", date)
	}
	if err := rel.citeLatest(v); err != nil {
		return nil, err
	}
	commit := in.ReleaseCommit
	if commit == "" {
		c, err := rel.TaggedCommit(v.String())
		if err != nil {
			return nil, err
		}
		commit = c
	}
	if !pins.IsCommit(commit) {
		return nil, fmt.Errorf("release commit %q is not a commit SHA (40 lowercase hex digits)", commit)
	}
	if in.ReleaseCommit != "" {
		return []phase.Step{withFixes(steps.ReleaseCommit(cfg.Remote, cfg.Branch, commit, DefaultGitTimeout)), steps.Citation(cfg.Citation, v.String(), date, commit)}, nil
	}
	return []phase.Step{steps.Citation(cfg.Citation, v.String(), date, commit)}, nil
}

// single wraps one step and a commit into a committing phase.
func single(name string, rel Repo, steps ...phase.Step) *phase.Phase {
	return committing(&phase.Phase{Name: name, Root: rel.Root, Git: rel.Git, Steps: append(steps, phase.Commit{Message: name})}, rel.Config)
}

// committing puts first in p, a phase that commits, the check that its
// branch is not behind or diverged from the remote's release branch
// ([steps.ErrBehind]), and before each of its commits the commands of
// cfg.Checks ([phase.Run]; one whose If the tree does not hold is
// skipped, saying why). Every committing phase goes through it.
func committing(p *phase.Phase, cfg config.Config) *phase.Phase {
	list := []phase.Step{withFixes(steps.Upstream(cfg.Remote, cfg.Branch))}
	for _, s := range p.Steps {
		if _, ok := s.(phase.Commit); ok {
			for _, c := range cfg.Checks {
				skip, err := c.Unmet(p.Root)
				if err != nil {
					list = append(list, phase.Check{Name: "check " + c.Run, Run: func(context.Context, *phase.Tree) (string, error) { return "", err }})
					continue
				}
				list = append(list, phase.Run{Args: c.Args(), Needs: c.Needs, Skip: skip})
			}
		}
		list = append(list, s)
	}
	p.Steps = list
	return p
}

// OperatorPin pins the operator to ref.
func (rel Repo) OperatorPin(ref string) (*phase.Phase, error) {
	cfg := rel.Config
	if err := need("versionsFile", cfg.VersionsFile, "operatorRef", strings.Join(cfg.OperatorRef, "")); err != nil {
		return nil, fmt.Errorf("operator pin: %w", err)
	}
	if err := config.CheckRef(ref); err != nil {
		return nil, fmt.Errorf("operator pin: %w", err)
	}
	return single("operator: pin to "+ref, rel, operator(cfg, ref)), nil
}

// OperatorUnpin points the operator back at main. A repository without
// an operator reference gets a phase that stops at its first step with an
// error wrapping [ErrNotConfigured].
func (rel Repo) OperatorUnpin() *phase.Phase {
	cfg := rel.Config
	if err := need("versionsFile", cfg.VersionsFile, "operatorRef", strings.Join(cfg.OperatorRef, "")); err != nil {
		return single("operator: unpin (back to main)", rel, phase.Check{Name: "check that the repository has an operator reference", Run: func(context.Context, *phase.Tree) (string, error) {
			return "", err
		}})
	}
	return single("operator: unpin (back to main)", rel, operator(cfg, "main"))
}

// ImagePin pins the image to imageSHA in the repository's layout: every
// managed overlay, or every place of the chart layout. It first asks
// in.Registry that every image the pins name exists (see [Repo.Release]).
func (rel Repo) ImagePin(imageSHA pins.Commit, in Inputs) (*phase.Phase, error) {
	if err := need("image", rel.Config.Image); err != nil {
		return nil, fmt.Errorf("image pin: %w", err)
	}
	if !imageSHA.Valid() {
		return nil, fmt.Errorf("image pin: image %q is not a commit SHA (40 lowercase hex digits)", imageSHA)
	}
	_, err := rel.Layout()
	if err != nil {
		return nil, fmt.Errorf("image pin: %w", err)
	}
	return single("image: pin "+rel.Config.Image+" to "+string(imageSHA), rel, pinImageSteps(rel, string(imageSHA), in)...), nil
}

// ImageUnpin points every pinned place of the image back at latest.
func (rel Repo) ImageUnpin() (*phase.Phase, error) {
	if err := need("image", rel.Config.Image); err != nil {
		return nil, fmt.Errorf("image unpin: %w", err)
	}
	_, err := rel.Layout()
	if err != nil {
		return nil, fmt.Errorf("image unpin: %w", err)
	}
	return single("image: unpin "+rel.Config.Image+" (back to latest)", rel, imageStep(rel, "")), nil
}

// GomodBump moves the requires between the repository's modules to version.
func (rel Repo) GomodBump(v version.Version) (*phase.Phase, error) {
	if err := given(v); err != nil {
		return nil, fmt.Errorf("gomod:bump: %w", err)
	}
	root, cfg := rel.Root, rel.Config
	check, bump, err := bumpSteps(root, cfg, v)
	if err != nil {
		return nil, fmt.Errorf("gomod:bump: %w", err)
	}
	if mods, err := gomod.Discover(root); err != nil {
		return nil, fmt.Errorf("gomod:bump: %w", err)
	} else if len(mods) == 0 {
		return nil, fmt.Errorf("gomod:bump: no Go module in the repository: %w", ErrNotConfigured)
	}
	return single("gomod: move the requires between the repository's modules to "+v.String(), rel, append([]phase.Step{check}, bump...)...), nil
}

// CitationUpdate updates the citation for version; a release commit given
// is checked as [Repo.Postrelease] does.
func (rel Repo) CitationUpdate(v version.Version, in Inputs) (*phase.Phase, error) {
	if err := given(v); err != nil {
		return nil, fmt.Errorf("citation:update: %w", err)
	}
	if err := need("citation", rel.Config.Citation); err != nil {
		return nil, fmt.Errorf("citation:update: %w", err)
	}
	list, err := citation(rel, v, in)
	if err != nil {
		return nil, fmt.Errorf("citation:update: %w", err)
	}
	return single("citation: "+v.String(), rel, list...), nil
}

// given refuses the zero version: a phase takes one [version.Parse] (or
// the configuration's ParseVersion) accepted.
func given(v version.Version) error {
	if v.IsZero() {
		return fmt.Errorf("no version given (the zero version.Version): give vX.Y.Z, parsed by the configuration's ParseVersion")
	}
	return nil
}

// bumpSteps bumps the internal requires of every module to v, then tidies
// each module it bumped ([steps.BumpRequires]). It also returns the check
// that v is not tagged yet ([steps.Untagged]), to run first.
func bumpSteps(root string, cfg config.Config, v version.Version) (phase.Step, []phase.Step, error) {
	mods, err := gomod.Discover(root)
	if err != nil {
		return nil, nil, err
	}
	return steps.Untagged(v, mods, cfg.ExcludeModules, cfg.Remote), steps.BumpRequires(mods, v), nil
}
