// Package targets is the mage frontend: one target per release phase and
// per single step, acting on the working directory (mage -w DIR picks
// another) as the root of the repository being released. Another
// repository gets every target with a magefile of three lines:
//
//	//go:build mage
//	package main
//	// mage:import
//	import _ "github.com/confidential-containers/release-tools/targets"
//
// Variables (DRY_RUN, PUSH, SKIP_GO, ...) are described on each target
// (go tool mage -h <target>) and in the README; they are read and checked
// before any step runs, by package internal/magevars, which also warns of
// a set variable whose name is close to one of them (DRYRUN). Every committing
// target ends by proposing its commits (package internal/propose): with
// PR=1 (and GITHUB_TOKEN) it pushes them to a branch named for the phase
// and version (release/v0.23.0, release/deps-sync-4.0.0, ...) on PR_REMOTE
// (default the release remote) and opens or updates the pull request against
// RELEASE_BRANCH (PR_DRAFT=1: a draft; the token is GH_TOKEN, else
// GITHUB_TOKEN, else gh auth token's); without it, it prints the git push
// and the page that do it by hand. Every committing target first reads
// RELEASE_BRANCH of RELEASE_REMOTE as the remote has it now (nothing is
// fetched) and refuses a local branch behind or diverged from it, with the
// git pull that catches up; a branch ahead of it is fine, and the plan
// names the commits that are not the phase's.
//
// Output: the results go to standard output: the remote and branch a
// target uses, the plan with its diffs, each step's outcome, what was
// pushed or opened and the commands that follow, status's report. The
// progress goes to standard error: one line each time something starts
// to wait on the network or the go command ("... go mod tidy (in
// src/csi-wrapper) (waits on the go command and the network)"), as mage's
// own errors do. So "mage release ... > plan.txt" keeps the whole record
// while the terminal still shows what it waits on.
package targets

import (
	"context"
	"errors"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/magefile/mage/mg"

	"github.com/confidential-containers/release-tools/internal/gitrepo"
	"github.com/confidential-containers/release-tools/internal/magevars"
	"github.com/confidential-containers/release-tools/internal/redact"
	"github.com/confidential-containers/release-tools/status"
	"github.com/confidential-containers/release-tools/status/statusjson"
)

// mage:multiline (mage -h <target> prints each doc comment as written:
// its short first line, then its paragraphs and lists.)

// with runs f on a runner for the working directory and the environment,
// with a context that SIGINT, SIGTERM and SIGHUP cancel: a phase cancelled
// before it writes writes nothing, and one cancelled while it writes
// restores every file. (mage cancels its context on SIGINT alone; SIGTERM,
// or SIGHUP from a dropped ssh session, would otherwise kill the process
// mid-write and leave the repository lock behind.) What it prints and the
// error it returns carry no credentials of a URL (https://user:token@...):
// the packages redact the URLs they quote, and this is the safety net.
// A closed pipe on standard output or error ("mage release ... | head -1")
// cancels the context too, as Ctrl-C does, instead of killing the process
// with SIGPIPE while it holds the repository lock.
func with(ctx context.Context, f func(context.Context, *runner) error) error {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	defer surviveSIGPIPE()()
	r, err := newRunner(ctx, cancel)
	if err != nil {
		return r.done(redact.Error(err))
	}
	return r.done(redact.Error(advise(f(ctx, r))))
}

func newRunner(ctx context.Context, cancel context.CancelCauseFunc) (*runner, error) {
	magevars.Warn(os.Stderr, os.Environ())
	v, err := magevars.Read(os.Getenv)
	if err != nil {
		return nil, err
	}
	if v.GitHubToken == "" {
		v.GitHubToken = magevars.GHToken(ctx)
	}
	root, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	// A repository go-git cannot read stops every target before it starts.
	if err := gitrepo.CheckObjectFormat(root); err != nil {
		return nil, err
	}
	r := &runner{Root: root, Vars: v, Out: redact.Writer(pipeWatch{os.Stdout, cancel}), Progress: redact.Writer(pipeWatch{os.Stderr, cancel})}
	return r, r.inActions()
}

// Status says where the release cycle stands and what to run next.
//
// Then it lists every inconsistency with its fix. Read-only. It reads the
// working tree, the branch against RELEASE_REMOTE's RELEASE_BRANCH as the
// remote has it now (nothing is fetched), the remote's tags, Kata
// Containers' versions.yaml at the Kata version versions.yaml holds
// (KATA_REPO, within 30 seconds), GitHub (the release, the open
// release/... pull requests, the branch lock) and the chart registry.
//
// Exit status:
//   - 0: every check was made and passed
//   - 1: an inconsistency was found
//   - 2: status could not run: a bad variable (FORMAT=yaml), no
//     repository, an unreadable one
//   - 3: no inconsistency found, but a check could not be made (a remote,
//     GitHub, Kata or the registry not reached, no GitHub token,
//     SKIP_REGISTRY=1): the state is not known to be clean
//
// Variables:
//   - FORMAT=json writes the same report as JSON on standard output,
//     which then always holds one JSON object: a run that cannot start
//     writes {"outcome": "error", "error": "..."}
//   - GH_TOKEN or GITHUB_TOKEN, GITHUB_API_URL, GITHUB_REPOSITORY: GitHub
//   - KATA_REPO: where Kata Containers is read
//   - SKIP_REGISTRY=1: the chart registry is not asked (a check not made)
//   - RELEASE_REMOTE, RELEASE_BRANCH
func Status(ctx context.Context) error {
	// FORMAT is read here too: a run that fails before the variables are
	// read still answers in JSON when it was asked for.
	asJSON := os.Getenv("FORMAT") == "json"
	err := with(ctx, func(ctx context.Context, r *runner) error { return r.Status(ctx) })
	return statusExit(err, asJSON, os.Stdout)
}

// statusExit gives status's error its exit status (mage reads it from the
// error it is returned): 1 for an inconsistency, exitUnchecked for checks
// not made, exitCannotRun for anything else, which under FORMAT=json is
// also written to stdout as the one JSON object there.
func statusExit(err error, asJSON bool, stdout io.Writer) error {
	switch {
	case err == nil, errors.Is(err, status.ErrInconsistent):
		return err
	case errors.Is(err, status.ErrUnchecked):
		return mg.Fatal(exitUnchecked, err)
	}
	if asJSON {
		if werr := statusjson.WriteError(stdout, err); werr != nil {
			err = errors.Join(err, werr)
		}
	}
	return mg.Fatal(exitCannotRun, err)
}

const (
	// exitCannotRun is the exit status of status when it could not run: a
	// bad variable, no repository or an unreadable one (mage's own usage
	// errors exit 2 too).
	exitCannotRun = 2
	// exitUnchecked is the exit status of status when it found no
	// inconsistency but could not make every check (mage exits 1 for a
	// target's error).
	exitUnchecked = 3
)

// Prerelease makes the commit of a release candidate (overlay layout).
//
// Prerelease (overlay layout, up to CAA v0.17.0) checks the Kata refs,
// pins the operator (OPERATOR_REF), bumps the internal requires to a
// vX.Y.Z-alpha.N, tidies and commits.
//
// Variables:
//   - DRY_RUN=1 prints the plan with diffs and writes nothing
//   - NO_COMMIT=1 edits without committing
//   - SKIP_GO=1 skips go get and tidy
//   - OPERATOR_REF (default: the head of the operator's main, from
//     OPERATOR_REPO or the URL in versions.yaml)
//   - KATA_REPO
//   - PR=1 (PR_REMOTE, PR_DRAFT) pushes the commit to release/<version>
//     and opens the pull request
func Prerelease(ctx context.Context, version string) error {
	return with(ctx, func(ctx context.Context, r *runner) error { return r.Prerelease(ctx, version) })
}

// Release pins the image to imageSHA and moves the charts to version.
//
// Release pins the image to imageSHA everywhere (commit 1), then moves the
// charts and the module requires to version (commit 2).
//
// Commit 1 pins every place of the image: the chart values and the
// Makefile line (<sha>-dev for the dev providers), or, on the overlay
// layout, every overlay (dev-<sha> for libvirt and docker); none when it
// is pinned already. The image registries are asked first that every image
// the pins name exists at imageSHA (anonymously or with the docker
// credentials; SKIP_REGISTRY=1 skips it). Commit 2 moves every chart to
// the next chart version (CHART_VERSION overrides), appVersion to version
// and the file:// dependencies, regenerates Chart.lock, and bumps the
// requires between the modules where they are real versions. On the charts
// it refuses kata-deploy at its dev version (deps:sync first), and a chart
// version not above every chart's (a re-run of the same release aside) or
// that the chart registry has already (SKIP_REGISTRY=1: not asked, said
// so). A repository without an image (release.yaml's preset: charts) is
// released with charts:bump instead.
//
// Variables:
//   - DRY_RUN=1 prints the plan with diffs and writes nothing
//   - NO_COMMIT=1 edits without committing
//   - SKIP_GO=1 skips go get and tidy
//   - CHART_VERSION
//   - SKIP_REGISTRY
//   - RELEASE_TIME (RFC 3339: when Chart.lock says it was generated;
//     default now)
//   - PR=1 (PR_REMOTE, PR_DRAFT) pushes the commits to release/<version>
//     and opens the pull request
func Release(ctx context.Context, version, imageSHA string) error {
	return with(ctx, func(ctx context.Context, r *runner) error { return r.Release(ctx, version, imageSHA) })
}

// Tags plans the module tags of version; PUSH=1 creates and pushes them.
//
// Tags plans the module tags of version on the remote head as it is now
// (or TAG_COMMIT); PUSH=1 creates and pushes them.
//
// The commit must be the release of version: on the Helm charts, every
// chart at one version with appVersion version, the image pinned to one
// commit everywhere, kata-deploy pinned and every Chart.lock current, read
// from the commit itself; otherwise it is refused with what was found.
//
// Variables:
//   - PUSH=1 creates and pushes the tags (they never move: check the plan
//     first)
//   - SIGN=1 makes them signed annotated tags with git's own signing setup
//     (gpg or ssh)
//   - TAG_COMMIT tags that commit instead of the head of RELEASE_REMOTE's
//     RELEASE_BRANCH (default origin, main): it must be that head or an
//     ancestor of it (a local-only commit is refused; fetch first if the
//     remote is ahead)
//   - GOPROXY (its first proxy is asked first; off skips it)
func Tags(ctx context.Context, version string) error {
	return with(ctx, func(ctx context.Context, r *runner) error { return r.Tags(ctx, version) })
}

// Postrelease unpins the image and kata-deploy and updates CITATION.cff.
//
// Postrelease sets every pin of the image back to latest, kata-deploy back
// to its dev version (Chart.lock removed) or the operator to main, updates
// CITATION.cff, commits.
//
// Variables:
//   - DRY_RUN=1 prints the plan with diffs and writes nothing
//   - NO_COMMIT=1 edits without committing
//   - RELEASE_DATE (YYYY-MM-DD, default today in UTC)
//   - RELEASE_COMMIT (default the commit the version's module tags point
//     at; a given one must be on RELEASE_REMOTE's RELEASE_BRANCH as it is
//     now, its head or an ancestor: one that does not exist or is
//     elsewhere is refused)
//   - PR=1 (PR_REMOTE, PR_DRAFT) pushes the commit to
//     release/postrelease-<version> and opens the pull request
func Postrelease(ctx context.Context, version string) error {
	return with(ctx, func(ctx context.Context, r *runner) error { return r.Postrelease(ctx, version) })
}

// Deps are the dependency steps.
type Deps mg.Namespace

// Sync moves the Kata references and kata-deploy to kataVersion.
//
// Sync sets the kata, guest-components and trustee refs from Kata's
// versions.yaml (KATA_REPO), pins kata-deploy and writes Chart.lock, runs
// go get and tidy, commits.
//
// kataVersion is a Kata release, X.Y.Z (digits only, no v), or latest:
// the highest release among the tags of the kata-deploy chart's registry
// (not with SKIP_REGISTRY=1). A Kata
// reference keeps its kind: a release gets kataVersion, a commit gets the
// commit of Kata's tag (or KATA_REF, which must be a commit of the Kata
// repository) with the comment "# v<kataVersion>" (" + KATA_REF_NOTE"). A
// kataVersion below the one versions.yaml holds (a reference's version, or
// the "# vX.Y.Z" comment of a commit) is refused unless ALLOW_DOWNGRADE=1.
// guest-components and trustee take a commit or a version, whichever
// Kata names (the plan says when the kind changes).
// The chart registry is asked whether it has kata-deploy at kataVersion
// (SKIP_REGISTRY=1 skips it).
//
// Variables:
//   - DRY_RUN=1 prints the plan with diffs and writes nothing
//   - NO_COMMIT=1 edits without committing
//   - SKIP_GO=1 skips go get and tidy
//   - KATA_REPO (default
//     https://github.com/kata-containers/kata-containers)
//   - KATA_REF
//   - KATA_REF_NOTE
//   - GUEST_COMPONENTS_REF and TRUSTEE_REF (a commit or a version written
//     instead of what Kata's versions.yaml names; recorded, as KATA_REF
//     is, in a trailer of the commit, which status reads back)
//   - ALLOW_DOWNGRADE=1
//   - SKIP_REGISTRY
//   - RELEASE_TIME (RFC 3339)
//   - PR=1 (PR_REMOTE, PR_DRAFT) pushes the commit to
//     release/deps-sync-<kataVersion> and opens the pull request
func (Deps) Sync(ctx context.Context, kataVersion string) error {
	return with(ctx, func(ctx context.Context, r *runner) error { return r.DepsSync(ctx, kataVersion) })
}

// Operator pins and unpins the CoCo operator.
type Operator mg.Namespace

// Pin sets the operator reference to ref and commits.
//
// Pin sets the operator reference to ref (config: release where the key
// exists) and commits.
//
// Variables:
//   - DRY_RUN=1 prints the plan with diffs and writes nothing
//   - NO_COMMIT=1 edits without committing
func (Operator) Pin(ctx context.Context, ref string) error {
	return with(ctx, func(ctx context.Context, r *runner) error { return r.OperatorPin(ctx, ref) })
}

// Unpin sets the operator reference back to main and commits.
//
// Unpin sets the operator reference back to main (config: default) and
// commits.
//
// Variables:
//   - DRY_RUN=1 prints the plan with diffs and writes nothing
//   - NO_COMMIT=1 edits without committing
func (Operator) Unpin(ctx context.Context) error {
	return with(ctx, func(ctx context.Context, r *runner) error { return r.OperatorUnpin(ctx) })
}

// Overlays pins and unpins the cloud-api-adaptor image: the names of image:pin and image:unpin from the overlay days.
type Overlays mg.Namespace

// Pin is image:pin: the image pinned to imageSHA, one commit.
//
// Pin is image:pin: every place of the image on latest or a commit to
// imageSHA, and commits.
//
// The image registries are asked first that every image the pins name
// exists at imageSHA (SKIP_REGISTRY=1 skips it).
//
// Variables:
//   - DRY_RUN=1 prints the plan with diffs and writes nothing
//   - NO_COMMIT=1 edits without committing
//   - SKIP_REGISTRY
func (Overlays) Pin(ctx context.Context, imageSHA string) error {
	return with(ctx, func(ctx context.Context, r *runner) error { return r.OverlaysPin(ctx, imageSHA) })
}

// Unpin is image:unpin: the image back to latest, one commit.
//
// Unpin is image:unpin: every place pinned to a commit back to latest, and
// commits.
//
// Variables:
//   - DRY_RUN=1 prints the plan with diffs and writes nothing
//   - NO_COMMIT=1 edits without committing
func (Overlays) Unpin(ctx context.Context) error {
	return with(ctx, func(ctx context.Context, r *runner) error { return r.OverlaysUnpin(ctx) })
}

// Image pins and unpins the cloud-api-adaptor image wherever the repository holds its tag: the overlays or the chart values and the Makefile line.
type Image mg.Namespace

// Pin pins every place of the image to imageSHA and commits.
//
// Pin pins every place of the image on latest or a commit to imageSHA,
// each with its template (<sha>-dev for the dev providers), and commits.
//
// The image registries are asked first that every image the pins name
// exists at imageSHA, in each tag form (anonymously or with the docker
// credentials; SKIP_REGISTRY=1 skips it).
//
// Variables:
//   - DRY_RUN=1 prints the plan with diffs and writes nothing
//   - NO_COMMIT=1 edits without committing
//   - SKIP_REGISTRY
func (Image) Pin(ctx context.Context, imageSHA string) error {
	return with(ctx, func(ctx context.Context, r *runner) error { return r.OverlaysPin(ctx, imageSHA) })
}

// Unpin sets every pinned place of the image back to latest and commits.
//
// Unpin sets every place of the image pinned to a commit back to latest
// and commits.
//
// Variables:
//   - DRY_RUN=1 prints the plan with diffs and writes nothing
//   - NO_COMMIT=1 edits without committing
func (Image) Unpin(ctx context.Context) error {
	return with(ctx, func(ctx context.Context, r *runner) error { return r.OverlaysUnpin(ctx) })
}

// Gomod edits the go.mod files.
type Gomod mg.Namespace

// Bump moves the requires between the modules to version and commits.
//
// Bump moves the requires between the repository's modules to version,
// tidies and commits.
//
// Variables:
//   - DRY_RUN=1 prints the plan with diffs and writes nothing
//   - NO_COMMIT=1 edits without committing
//   - SKIP_GO=1 skips go mod tidy
func (Gomod) Bump(ctx context.Context, version string) error {
	return with(ctx, func(ctx context.Context, r *runner) error { return r.GomodBump(ctx, version) })
}

// Charts versions the Helm charts.
type Charts mg.Namespace

// Bump moves every chart to chartVersion: a chart-only release.
//
// Bump moves every chart to chartVersion (its file:// dependencies too)
// and regenerates Chart.lock: a chart-only release; commits.
//
// Where release.yaml says chartAppVersion: chart (preset: charts),
// appVersion takes chartVersion too. chartVersion must be above every
// chart's version and not in the chart registry (SKIP_REGISTRY=1: not
// asked, said so).
//
// Variables:
//   - DRY_RUN=1 prints the plan with diffs and writes nothing
//   - NO_COMMIT=1 edits without committing
//   - RELEASE_TIME (RFC 3339) is the time Chart.lock says it was generated
//   - PR=1 (PR_REMOTE, PR_DRAFT) pushes the commit to
//     release/charts-<chartVersion> and opens the pull request
func (Charts) Bump(ctx context.Context, chartVersion string) error {
	return with(ctx, func(ctx context.Context, r *runner) error { return r.ChartsBump(ctx, chartVersion) })
}

// Check says whether the chart of version is published, and its digest.
//
// Check says whether the chart the release of version publishes (its
// version at the tagged commit) is in the chart registry, and its digest.
//
// Before the GitHub release it says the version is still free; after it,
// that it is there. Asks anonymously or with your docker credentials.
func (Charts) Check(ctx context.Context, version string) error {
	return with(ctx, func(ctx context.Context, r *runner) error { return r.ChartsCheck(ctx, version) })
}

// Citation updates CITATION.cff.
type Citation mg.Namespace

// Update sets CITATION.cff to the release of version and commits.
//
// Update sets CITATION.cff's version, date-released (RELEASE_DATE) and
// commit (RELEASE_COMMIT or the tagged one), and commits.
//
// Variables:
//   - DRY_RUN=1 prints the plan with diffs and writes nothing
//   - NO_COMMIT=1 edits without committing
//   - RELEASE_DATE (YYYY-MM-DD, default today in UTC)
//   - RELEASE_COMMIT (default the commit the version's module tags point
//     at; a given one must be on RELEASE_REMOTE's RELEASE_BRANCH, its head
//     or an ancestor)
func (Citation) Update(ctx context.Context, version string) error {
	return with(ctx, func(ctx context.Context, r *runner) error { return r.CitationUpdate(ctx, version) })
}

// Proxy asks the Go module proxy (the first of GOPROXY) about module versions.
type Proxy mg.Namespace

// Check asks the module proxy about every module of version.
//
// Check asks the proxy about every module of version: one it knows at
// another commit is burnt for good.
func (Proxy) Check(ctx context.Context, version string) error {
	return with(ctx, func(ctx context.Context, r *runner) error { return r.ProxyCheck(ctx, version) })
}

// Warm requests every module of version from the module proxy.
//
// Warm requests every module of version from the proxy in dependency
// order, after the tags are pushed.
func (Proxy) Warm(ctx context.Context, version string) error {
	return with(ctx, func(ctx context.Context, r *runner) error { return r.ProxyWarm(ctx, version) })
}

// Github creates the GitHub release and locks the release branch.
type Github mg.Namespace

// Release plans the GitHub release of version; PUSH=1 creates it.
//
// Release plans the GitHub release of version on the commit its module
// tags point at on the remote; PUSH=1 creates it.
//
// A pre-release (not marked latest) for -alpha.N/-rc.N, a full release
// otherwise. Its notes are a table of the components of the tagged tree
// (Kata Containers, guest-components, trustee, the operator or kata-deploy,
// the charts, the image commit and the image references pinned) above
// GitHub's generated notes from the previous release of the same kind; the
// plan shows them. An existing release for the version, drafts included, is
// reported and left alone.
//
// Variables:
//   - PUSH=1 creates it
//   - GITHUB_TOKEN (needs contents write rights; never printed)
//   - GITHUB_API_URL
//   - GITHUB_REPOSITORY (owner/repo; default from RELEASE_REMOTE's URL)
func (Github) Release(ctx context.Context, version string) error {
	return with(ctx, func(ctx context.Context, r *runner) error { return r.GitHubRelease(ctx, version) })
}

// Lock shows the lock of the release branch; PUSH=1 locks it.
//
// Lock shows the lock of the release branch (RELEASE_BRANCH, default
// main); PUSH=1 locks it.
//
// Variables:
//   - PUSH=1 locks it
//   - GITHUB_TOKEN (needs admin rights)
//   - GITHUB_API_URL
//   - GITHUB_REPOSITORY
func (Github) Lock(ctx context.Context) error {
	return with(ctx, func(ctx context.Context, r *runner) error { return r.GitHubLock(ctx, true) })
}

// Unlock shows the lock of the release branch; PUSH=1 unlocks it.
//
// Unlock shows the lock of the release branch (RELEASE_BRANCH, default
// main); PUSH=1 unlocks it.
//
// Variables:
//   - PUSH=1 unlocks it
//   - GITHUB_TOKEN (needs admin rights)
//   - GITHUB_API_URL
//   - GITHUB_REPOSITORY
func (Github) Unlock(ctx context.Context) error {
	return with(ctx, func(ctx context.Context, r *runner) error { return r.GitHubLock(ctx, false) })
}
