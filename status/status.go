package status

import (
	"context"
	"fmt"
	"io"
	"path"
	"slices"
	"sort"
	"strings"
	"time"

	"golang.org/x/mod/semver"

	"github.com/confidential-containers/release-tools/github"
	"github.com/confidential-containers/release-tools/gomod"
	"github.com/confidential-containers/release-tools/ledger"
	"github.com/confidential-containers/release-tools/release"
	"github.com/confidential-containers/release-tools/release/config"
)

// Of reads where the repository rel stands: dependency references,
// overlays or image pins, internal requires, operator pin, charts,
// citation, and the tags of the latest version, locally and on the remote
// (when it can be reached). It changes nothing. What it finds wrong is in
// the report's problems ([Report.Err]); an error is what stopped it from
// reading.
//
// Of asks no other repository: see [Read] for the checks against Kata
// Containers.
func Of(ctx context.Context, rel release.Repo) (*Report, error) {
	return Read(ctx, rel, Options{})
}

// Options are what [Read] may ask beyond the repository and its remote.
type Options struct {
	// KataRepo is the Kata Containers repository (a URL, a path or a
	// file:// URL) whose versions.yaml, at the Kata version the versions
	// file holds, guest-components and trustee are checked against; ""
	// asks none (the report says "not asked"). One that cannot be read
	// within Timeout is a check not made.
	KataRepo string
	// Timeout bounds the reading of KataRepo; zero is [DefaultTimeout].
	Timeout time.Duration
	// Progress is told each time a lookup starts to wait on the network;
	// nil tells no one.
	Progress io.Writer
	// GitHub, when set, is asked for the GitHub releases, drafts included,
	// which the ledger of releases reads ([ledger.Facts]); one that does
	// not answer is a check not made. Nil asks none (see
	// [Report.GitHubNotAsked]).
	GitHub Releases
}

// Releases lists a repository's GitHub releases (*github.Client does).
type Releases interface {
	Releases(context.Context) ([]github.Release, error)
}

func (o Options) timeout() time.Duration {
	if o.Timeout > 0 {
		return o.Timeout
	}
	return DefaultTimeout
}

// Read is [Of] with the checks of o: where the repository rel stands,
// what the cycle is ([Report.Cycle]) and what is wrong.
func Read(ctx context.Context, rel release.Repo, o Options) (*Report, error) {
	f, err := read(ctx, rel, o)
	if err != nil {
		return nil, err
	}
	return f.report(), nil
}

// report judges the facts: the report's rows and problems, in the order
// they were read.
func (f *facts) report() *Report {
	r := &Report{}
	r.c.Layout = f.layout
	r.dependencies(f)
	r.row("layout", f.layout.String())
	if f.layout == release.OverlayLayout {
		r.overlays(f.cfg, f.overlays)
	} else {
		r.pins(f.cfg, f.images)
	}
	r.requires(f.mods)
	r.branch(f)
	r.Version, r.Tagged = r.tags(f.cfg, f)
	if rel := r.c.Release; rel != nil {
		r.c.Latest = rel.Version
	}
	r.githubRelease(f)
	if f.layout == release.ChartLayout {
		r.charts(f.cfg, f.charts, r.Version)
	}
	r.kata(f)
	if f.citation != nil {
		r.citation(f.cfg, f.citation)
	}
	r.inProgress(f)
	return r
}

// dependencies adds a row for every dependency reference, a problem for
// a key the versions file holds twice, and the operator's configuration,
// a problem when it disagrees with the operator's reference.
func (r *Report) dependencies(f *facts) {
	cfg := f.cfg
	refs := map[string]string{}
	for _, d := range f.deps {
		switch {
		case d.dup != nil:
			r.row(d.name, "unreadable: "+d.dup.Error())
			r.problem(cfg.VersionsFile + ": " + d.dup.Error())
		case d.path == "":
			r.row(d.name, "none (no "+strings.Join(d.candidates, " or ")+" in "+cfg.VersionsFile+")")
		case d.err != nil:
			r.row(d.name, "unreadable: "+d.err.Error())
		default:
			refs[d.name] = d.value
			r.row(d.name, fmt.Sprintf("%s (%s)", d.value, d.path))
		}
	}
	if opRef, ok := refs["operator"]; ok && f.hasOperatorConfig {
		c := f.operatorConfig
		r.row("operator config", c)
		if (c == "release") == (opRef == "main") {
			r.problem(fmt.Sprintf("operator config is %q but its reference is %q", c, opRef),
				release.Fix{Action: release.ActionUnpinOperator}, release.Fix{Action: release.ActionPinOperator, Args: []string{"<ref>"}})
		}
	}
}

// requires adds a row for the internal requires of every module, and a
// problem when the modules require different versions of each other.
func (r *Report) requires(mods []gomod.Module) {
	internal := map[string]bool{}
	for _, m := range mods {
		internal[m.Path] = true
	}
	seen := map[string][]string{}
	for _, m := range mods {
		var reqs []string
		for dep, v := range m.Requires {
			if internal[dep] {
				reqs = append(reqs, path.Base(dep)+" "+v)
				if v != gomod.ZeroPseudoVersion {
					seen[v] = append(seen[v], m.Dir)
				}
			}
		}
		sort.Strings(reqs)
		if len(reqs) > 0 {
			r.row("requires of "+m.Dir, strings.Join(reqs, ", "))
		}
	}
	if len(seen) > 1 {
		var vs []string
		for v := range seen {
			vs = append(vs, v)
		}
		semver.Sort(vs)
		r.problem("the modules require different versions of each other: "+strings.Join(vs, ", "), release.Fix{Action: release.ActionBumpRequires, Args: []string{vs[len(vs)-1]}})
	}
}

// citation adds the citation's row, and a problem when it cites another
// commit than the one the tags of the version it cites are on.
func (r *Report) citation(cfg config.Config, cite map[string]string) {
	v, date, commit := cite["version"], cite["date-released"], cite["commit"]
	r.row("citation", fmt.Sprintf("version %s, released %s, commit %s", v, date, commit))
	latest, tagged := r.Version, r.Tagged
	if v != "(none)" {
		r.c.Citation = "v" + v
	}
	// A release whose facts name more than one commit (its tag two commits
	// after its module tags) may be cited at any of them.
	if rel := r.c.Release; latest != "" && semver.Prerelease(latest) == "" && "v"+v == latest && tagged != "" && !slices.Contains(rel.Commits(), commit) {
		what := "the " + latest + " tags are"
		if rel.Kind == ledger.ChartOnly {
			what = "the release " + latest + " is"
		}
		r.problem(fmt.Sprintf("%s cites commit %s, but %s on %s", cfg.Citation, commit, what, tagged),
			release.Fix{Action: release.ActionUpdateCitation, Args: []string{latest}, Date: date})
	}
	if latest != "" && semver.IsValid("v"+v) && semver.Compare("v"+v, latest) > 0 {
		r.problem(fmt.Sprintf("%s cites %s, a version never released: the latest is %s", cfg.Citation, v, latest),
			release.Fix{Action: release.ActionUpdateCitation, Args: []string{latest}})
	}
}
