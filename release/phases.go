package release

import (
	"context"
	"fmt"
	"io"
	"path"
	"time"

	"github.com/confidential-containers/release-tools/charts"
	"github.com/confidential-containers/release-tools/gomod"
	"github.com/confidential-containers/release-tools/internal/gitrepo"
	"github.com/confidential-containers/release-tools/phase"
	"github.com/confidential-containers/release-tools/pins"
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
	OperatorRef          string // default the head of the operator's main
	OperatorRepo         string // default the URL in the versions file
	ReleaseDate          string // YYYY-MM-DD; default today, UTC
	ReleaseCommit        string // default the commit the version's tags point at
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
	// phase ([ErrRegistryUnreachable]).
	Registry *charts.Registry
	// AllowDowngrade lets a deps sync move the Kata references below the
	// version versions.yaml holds (see [ErrDowngrade]).
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
const DefaultGitTimeout = 2 * time.Minute

// gitCall bounds ctx by the inputs' git timeout.
func (in Inputs) gitCall(ctx context.Context) (context.Context, context.CancelFunc) {
	d := in.GitTimeout
	if d <= 0 {
		d = DefaultGitTimeout
	}
	return context.WithTimeout(ctx, d)
}

// waiting says that a network lookup starts.
func (in Inputs) waiting(what string) {
	if in.Progress != nil {
		fmt.Fprintf(in.Progress, "... %s (waits on the network)\n", what)
	}
}

// local reports whether url is a local repository, read in place: a
// lookup there waits on no network.
func local(url string) bool { return gitrepo.OpenLocal(url) != nil }

// lockTime is when the Chart.lock files a phase writes say they were generated.
func (in Inputs) lockTime() time.Time {
	if in.ReleaseTime.IsZero() {
		return time.Now()
	}
	return in.ReleaseTime
}

func (in Inputs) kataRepo(cfg Config) string {
	if in.KataRepo != "" {
		return in.KataRepo
	}
	return cfg.KataRepo
}

// DepsSync sets the Kata, guest-components and trustee references to
// kataVersion and the values Kata's versions.yaml has at that version, moves
// the Kata runtime module to kataVersion with go get, tidies, and commits.
// Run with the go commands skipped, its commit says that the module was not
// moved, and lists the commands to run.
//
// kataVersion must be a release ([ParseKataVersion]) and not below the
// version versions.yaml holds (a [*DowngradeError] when the phase is
// planned, unless in.AllowDowngrade); in.KataRef must be a commit of the
// Kata repository ([ErrNoCommit] otherwise).
func (rel Repo) DepsSync(ctx context.Context, kataVersion string, in Inputs) (*phase.Phase, error) {
	root, cfg := rel.Root, rel.Config
	kv, err := ParseKataVersion(kataVersion)
	if err != nil {
		return nil, fmt.Errorf("deps:sync: %w", err)
	}
	if in.KataRef != "" && !pins.IsCommit(in.KataRef) {
		return nil, fmt.Errorf("deps:sync: Kata commit %q is not a commit SHA (40 lowercase hex digits)", in.KataRef)
	}
	k, err := kataRefs(ctx, cfg, in, kataVersion, in.waiting)
	if err != nil {
		return nil, fmt.Errorf("deps:sync: %w", err)
	}
	commit := k.commit
	if in.KataRef != "" && in.KataRef != k.commit {
		if !local(in.kataRepo(cfg)) {
			in.waiting("asking " + in.kataRepo(cfg) + " for the Kata commit " + in.KataRef)
		}
		gctx, cancel := in.gitCall(ctx)
		err := gitrepo.HasCommit(gctx, in.kataRepo(cfg), in.KataRef)
		if err != nil {
			err = gitError(ctx, gctx, in, err)
		}
		cancel()
		if err != nil {
			return nil, fmt.Errorf("deps:sync: the Kata commit to pin: %w", err)
		}
		commit = in.KataRef
	}
	layout, err := cfg.Layout(root)
	if err != nil {
		return nil, fmt.Errorf("deps:sync: %w", err)
	}
	p := &phase.Phase{Name: "deps:sync " + kataVersion, Root: root, Steps: []phase.Step{
		downgradeCheck(cfg, kv, in.AllowDowngrade),
		kataStep(cfg, kataVersion, commit, in.KataRefNote, k),
	}}
	if layout == ChartLayout && cfg.KataDeployChart != "" {
		p.Steps = append(p.Steps,
			registryCheck(root, cfg.KataDeployChart, cfg.KataDeployDependency, kataVersion, in.Registry),
			kataDeployStep(cfg, kataVersion, in.lockTime()))
	}
	mods, err := gomod.Discover(root)
	if err != nil {
		return nil, err
	}
	for _, m := range mods {
		if _, ok := m.Requires[cfg.KataRuntimeModule]; ok {
			p.Steps = append(p.Steps,
				phase.Go{Dir: m.Dir, Module: cfg.KataRuntimeModule, Query: kataVersion},
				phase.Go{Dir: m.Dir, Keep: map[string]string{cfg.KataRuntimeModule: ""}})
		}
	}
	subject := "deps: sync with Kata Containers " + kataVersion
	refs := "\n\nSet the Kata Containers, guest-components and trustee references to what\nKata Containers " + kataVersion + " uses"
	p.Steps = append(p.Steps, phase.Commit{
		Message:   subject + refs + ", and move the Kata runtime module to it.",
		GoSkipped: subject + refs + ". The Kata runtime module was not moved.",
	})
	return committing(p, cfg), nil
}

// Prerelease checks the Kata references, pins the operator, bumps the
// internal requires to the candidate version, tidies and commits.
func (rel Repo) Prerelease(ctx context.Context, version string, in Inputs) (*phase.Phase, error) {
	root, cfg := rel.Root, rel.Config
	v, err := cfg.ParseVersion(version)
	if err != nil {
		return nil, fmt.Errorf("prerelease: %w", err)
	}
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
	steps := []phase.Step{check, kataCheck(cfg, in), operatorStep(cfg, ref)}
	steps = append(steps, bump...)
	steps = append(steps, phase.Commit{Message: "prerelease: " + version + "\n\nPin the CoCo operator to " + ref + " and move the requires between the\nrepository's modules to " + version + "."})
	return committing(&phase.Phase{Name: "prerelease " + version, Root: root, Steps: steps}, cfg), nil
}

// operatorRef is in.OperatorRef, or the head commit of the operator
// repository's main branch.
func operatorRef(ctx context.Context, root string, cfg Config, in Inputs) (string, error) {
	if in.OperatorRef != "" {
		return in.OperatorRef, CheckRef(in.OperatorRef)
	}
	url := in.OperatorRepo
	if url == "" {
		u, err := versions.Get(path.Join(root, cfg.VersionsFile), cfg.OperatorURL)
		if err != nil {
			return "", fmt.Errorf("the operator's repository: %w (or give the operator reference or repository)", err)
		}
		url = u
	}
	if !local(url) {
		in.waiting("reading the head of the operator's main from " + url)
	}
	gctx, cancel := in.gitCall(ctx)
	defer cancel()
	head, err := gitrepo.RemoteHead(gctx, url, "main")
	if err != nil {
		return "", fmt.Errorf("the operator's main: %w (or give the operator reference)", gitError(ctx, gctx, in, err))
	}
	return head, nil
}

// Release pins the image to imageSHA (commit 1: every managed overlay, or
// every place of the chart layout; in.Registry is asked first that every
// image the pins name exists, each in its place's tag form, a missing one
// wrapping [ErrImageMissing]), then moves the charts to the release's
// chart version and appVersion (the chart layout) and bumps the internal
// requires to version and tidies (commit 2). A commit with nothing to
// change is not made: a patch release whose image is pinned already has
// no commit 1, and one whose requires are zero pseudo-versions and that
// has no charts no commit 2.
//
// On the chart layout it refuses kata-deploy at its dev version
// ([ErrKataDeployDev], fixed by a deps sync), a chart version that is not
// above every chart's ([ErrChartVersion]; charts at it for version
// already are a re-run) and, when in.Registry is set, one the chart
// registry has ([ErrChartPublished]).
func (rel Repo) Release(version, imageSHA string, in Inputs) (*phase.Phase, error) {
	root, cfg := rel.Root, rel.Config
	v, err := cfg.ParseVersion(version)
	if err != nil {
		return nil, fmt.Errorf("release: %w", err)
	}
	if v.IsPreRelease() {
		return nil, fmt.Errorf("release: %s is a candidate: the release phase takes vX.Y.Z (a candidate is the prerelease phase)", version)
	}
	if !pins.IsCommit(imageSHA) {
		return nil, fmt.Errorf("release: image %q is not a commit SHA (40 lowercase hex digits): give the commit of the %s image to pin", imageSHA, cfg.Image)
	}
	check, bump, err := bumpSteps(root, cfg, v)
	if err != nil {
		return nil, fmt.Errorf("release: %w", err)
	}
	pin, err := pinImageSteps(root, cfg, imageSHA, in)
	if err != nil {
		return nil, fmt.Errorf("release: %w", err)
	}
	steps := []phase.Step{check}
	layout, _ := cfg.Layout(root)
	var chartVersion string
	if layout == ChartLayout {
		if chartVersion, err = releaseChartVersion(root, cfg, v, in); err != nil {
			return nil, fmt.Errorf("release: %w", err)
		}
		if cfg.KataDeployChart != "" {
			steps = append(steps, kataDeployCheck(cfg))
		}
		steps = append(steps, unpublishedCheck(cfg, chartVersion, in.Registry))
	}
	steps = append(steps, pin...)
	steps = append(steps, phase.Commit{Message: "release: pin the " + cfg.Image + " image to " + imageSHA + " for " + version})
	msg := "release: move the requires between the repository's modules to " + version
	if layout == ChartLayout {
		steps = append(steps, chartsStep(root, cfg, chartVersion, version, in.lockTime()))
		msg = "release: " + version + ": the charts to " + chartVersion + "\n\nMove every chart to version " + chartVersion + " and appVersion " + version +
			",\nand the requires between the repository's modules where they are versions."
	}
	steps = append(steps, bump...)
	steps = append(steps, phase.Commit{Message: msg})
	return committing(&phase.Phase{Name: "release " + version, Root: root, Steps: steps}, cfg), nil
}

// releaseChartVersion is in.ChartVersion; or, when the charts are at v
// already (a re-run), their version; or the next chart version for v. A
// given version must be above every chart's (an error wrapping
// [ErrChartVersion]), unless the charts are at it for v already.
func releaseChartVersion(root string, cfg Config, v version.Version, in Inputs) (string, error) {
	cs, err := Repo{Root: root, Config: cfg}.Charts()
	if err != nil {
		return "", err
	}
	released, rerun := chartsReleased(cs, v)
	if in.ChartVersion != "" {
		return in.ChartVersion, checkChartVersion(cs, in.ChartVersion, rerun && released == in.ChartVersion)
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
// charts without a release of the image or the modules. chartVersion must
// be above every chart's version (every chart at it already is a re-run,
// with nothing to change) and, when in.Registry is set, not published.
func (rel Repo) ChartsBump(chartVersion string, in Inputs) (*phase.Phase, error) {
	root, cfg := rel.Root, rel.Config
	cs, err := rel.Charts()
	if err != nil {
		return nil, fmt.Errorf("charts:bump: %w", err)
	}
	if err := checkChartVersion(cs, chartVersion, true); err != nil {
		return nil, fmt.Errorf("charts:bump: %w", err)
	}
	return single("charts: move every chart to "+chartVersion, rel,
		unpublishedCheck(cfg, chartVersion, in.Registry), chartsStep(root, cfg, chartVersion, "", in.lockTime())), nil
}

// imageStep pins (sha != "") or unpins the image in the repository's
// layout: its overlays or its pins.
func imageStep(root string, cfg Config, sha string) (phase.Step, error) {
	layout, err := cfg.Layout(root)
	if err != nil {
		return nil, err
	}
	if layout == OverlayLayout {
		return overlayStep(cfg, root, sha), nil
	}
	return pinStep(cfg, root, sha), nil
}

// Postrelease unpins the image (overlays or pins), the operator (overlay
// layout) and kata-deploy (chart layout, its Chart.lock removed), and
// updates the citation for version, in one commit. A release commit given
// (in.ReleaseCommit) must be on the remote's release branch: the plan
// refuses one that does not exist ([ErrNoCommit]) or is not the
// branch's head or an ancestor of it ([ErrNotOnBranch]).
func (rel Repo) Postrelease(version string, in Inputs) (*phase.Phase, error) {
	root, cfg := rel.Root, rel.Config
	if _, err := cfg.ParseVersion(version); err != nil {
		return nil, fmt.Errorf("postrelease: %w", err)
	}
	layout, err := cfg.Layout(root)
	if err != nil {
		return nil, fmt.Errorf("postrelease: %w", err)
	}
	unpin, err := imageStep(root, cfg, "")
	if err != nil {
		return nil, fmt.Errorf("postrelease: %w", err)
	}
	steps := []phase.Step{unpin}
	what := "the " + cfg.Image + " image and the CoCo operator"
	if layout == OverlayLayout {
		steps = append(steps, operatorStep(cfg, "main"))
	} else if cfg.KataDeployChart != "" {
		steps = append(steps, kataDeployStep(cfg, "", in.lockTime()))
		what = "the " + cfg.Image + " image and the " + cfg.KataDeployDependency + " chart"
	}
	if cfg.Citation != "" {
		cite, err := citation(root, cfg, version, in)
		if err != nil {
			return nil, fmt.Errorf("postrelease: %w", err)
		}
		steps = append(steps, cite...)
	}
	steps = append(steps, phase.Commit{Message: "postrelease: " + version + "\n\nUnpin " + what + ", and cite " + version + "."})
	return committing(&phase.Phase{Name: "postrelease " + version, Root: root, Steps: steps}, cfg), nil
}

// citation is the citation step for version; a release commit given in
// in.ReleaseCommit is checked first to be on the remote's release branch
// ([releaseCommitCheck]).
func citation(root string, cfg Config, version string, in Inputs) ([]phase.Step, error) {
	date := in.ReleaseDate
	if date == "" {
		date = time.Now().UTC().Format(time.DateOnly)
	}
	if _, err := time.Parse(time.DateOnly, date); err != nil {
		return nil, fmt.Errorf("release date %q is not YYYY-MM-DD", date)
	}
	commit := in.ReleaseCommit
	if commit == "" {
		c, err := Repo{Root: root, Config: cfg}.TaggedCommit(version)
		if err != nil {
			return nil, err
		}
		commit = c
	}
	if !pins.IsCommit(commit) {
		return nil, fmt.Errorf("release commit %q is not a commit SHA (40 lowercase hex digits)", commit)
	}
	if in.ReleaseCommit != "" {
		return []phase.Step{releaseCommitCheck(cfg, commit), citationStep(cfg, version, date, commit)}, nil
	}
	return []phase.Step{citationStep(cfg, version, date, commit)}, nil
}

// single wraps one step and a commit into a committing phase.
func single(name string, rel Repo, steps ...phase.Step) *phase.Phase {
	return committing(&phase.Phase{Name: name, Root: rel.Root, Steps: append(steps, phase.Commit{Message: name})}, rel.Config)
}

// committing puts first in p, a phase that commits, the check that its
// branch is not behind or diverged from the remote's release branch
// ([ErrBehind]). Every committing phase goes through it.
func committing(p *phase.Phase, cfg Config) *phase.Phase {
	p.Steps = append([]phase.Step{upstreamCheck(cfg)}, p.Steps...)
	return p
}

// OperatorPin pins the operator to ref.
func (rel Repo) OperatorPin(ref string) (*phase.Phase, error) {
	cfg := rel.Config
	if err := CheckRef(ref); err != nil {
		return nil, fmt.Errorf("operator pin: %w", err)
	}
	return single("operator: pin to "+ref, rel, operatorStep(cfg, ref)), nil
}

// OperatorUnpin points the operator back at main.
func (rel Repo) OperatorUnpin() *phase.Phase {
	cfg := rel.Config
	return single("operator: unpin (back to main)", rel, operatorStep(cfg, "main"))
}

// ImagePin pins the image to imageSHA in the repository's layout: every
// managed overlay, or every place of the chart layout. It first asks
// in.Registry that every image the pins name exists (see [Repo.Release]).
func (rel Repo) ImagePin(imageSHA string, in Inputs) (*phase.Phase, error) {
	root, cfg := rel.Root, rel.Config
	if !pins.IsCommit(imageSHA) {
		return nil, fmt.Errorf("image pin: image %q is not a commit SHA (40 lowercase hex digits)", imageSHA)
	}
	steps, err := pinImageSteps(root, cfg, imageSHA, in)
	if err != nil {
		return nil, fmt.Errorf("image pin: %w", err)
	}
	return single("image: pin "+cfg.Image+" to "+imageSHA, rel, steps...), nil
}

// ImageUnpin points every pinned place of the image back at latest.
func (rel Repo) ImageUnpin() (*phase.Phase, error) {
	root, cfg := rel.Root, rel.Config
	step, err := imageStep(root, cfg, "")
	if err != nil {
		return nil, fmt.Errorf("image unpin: %w", err)
	}
	return single("image: unpin "+cfg.Image+" (back to latest)", rel, step), nil
}

// GomodBump moves the requires between the repository's modules to version.
func (rel Repo) GomodBump(version string) (*phase.Phase, error) {
	root, cfg := rel.Root, rel.Config
	v, err := cfg.ParseVersion(version)
	if err != nil {
		return nil, fmt.Errorf("gomod:bump: %w", err)
	}
	check, steps, err := bumpSteps(root, cfg, v)
	if err != nil {
		return nil, fmt.Errorf("gomod:bump: %w", err)
	}
	return single("gomod: move the requires between the repository's modules to "+version, rel, append([]phase.Step{check}, steps...)...), nil
}

// CitationUpdate updates the citation for version; a release commit given
// is checked as [Repo.Postrelease] does.
func (rel Repo) CitationUpdate(version string, in Inputs) (*phase.Phase, error) {
	root, cfg := rel.Root, rel.Config
	if _, err := cfg.ParseVersion(version); err != nil {
		return nil, fmt.Errorf("citation:update: %w", err)
	}
	steps, err := citation(root, cfg, version, in)
	if err != nil {
		return nil, fmt.Errorf("citation:update: %w", err)
	}
	return single("citation: "+version, rel, steps...), nil
}
