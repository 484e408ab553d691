// Package ledger is the one record of a repository's releases, read from
// the facts that exist: the module tags (src/<module>/vX.Y.Z), the plain
// tag vX.Y.Z, the GitHub releases (drafts and pre-releases included, with
// the commit each one's tag names). For every version that shows in any of
// them it says what kind of release it is ([Kind]), on which commits, and
// what disagrees ([Release.Disagreements]); [Ledger.Latest] is the one
// answer to "what is the latest release", and [Ledger.Check] the one rule
// for the version of a new release (versions only go up on their line).
//
// The package reads nothing itself (no git, no network): the callers
// gather the facts into [Facts], and a test can write them by hand. A
// version whose facts fit no kind it knows is [Unknown], with what was
// found ([Release.Why]): said, never taken for the nearest kind.
package ledger

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"golang.org/x/mod/semver"

	"github.com/confidential-containers/release-tools/version"
)

// Kind is the kind of a release.
type Kind int

const (
	// Unknown: the facts of the version fit no kind below ([Release.Why]
	// says what was found).
	Unknown Kind = iota
	// Full is a release with module tags: vX.Y.Z on every module.
	Full
	// ChartOnly is a patch release of the charts alone (CAA's v0.21.1): a
	// plain tag vX.Y.Z (Z > 0) or a published GitHub release, no module
	// tags, after a full release of its line; the image and the modules
	// stay at the release before.
	ChartOnly
	// Prerelease is a candidate, vX.Y.Z-alpha.N, with module tags.
	Prerelease
)

func (k Kind) String() string {
	switch k {
	case Full:
		return "full release"
	case ChartOnly:
		return "chart-only patch release"
	case Prerelease:
		return "pre-release"
	}
	return "unknown kind"
}

// GitHubRelease is a GitHub release as the ledger reads it.
type GitHubRelease struct {
	Tag string
	// Target is the release's target_commitish: a commit, or a branch
	// name (then the tag, once made, names the commit).
	Target            string
	Draft, Prerelease bool
	URL               string
}

// Facts are what a ledger is read from, gathered by the caller.
type Facts struct {
	// Modules are the tag prefixes of the tagged modules ("src/webhook/";
	// "" for a module at the root).
	Modules []string
	// Local and Remote map tag names to the commits they point at, in the
	// repository and on its remote; Remote is nil when the remote was not
	// read.
	Local, Remote map[string]string
	// Parse reads a version as the repository writes them (its
	// pre-release rule); a tag it refuses is no version.
	Parse func(string) (version.Version, error)
	// GitHub are the GitHub releases, drafts included, when GitHubRead.
	GitHub     []GitHubRelease
	GitHubRead bool
}

// Tag is one tag and the commits it points at, locally and on the remote
// ("" where it is not).
type Tag struct{ Name, Local, Remote string }

// Commit is the commit the tag names: the remote's when it has it (the
// one the world sees), else the local one.
func (t Tag) Commit() string {
	if t.Remote != "" {
		return t.Remote
	}
	return t.Local
}

// Exists reports whether the tag is anywhere.
func (t Tag) Exists() bool { return t.Local != "" || t.Remote != "" }

// Release is one version of the ledger and what shows of it.
type Release struct {
	Version version.Version
	Kind    Kind
	// Why says what was found of an [Unknown] version.
	Why string
	// Modules are the version's module tags, one per module, in the order
	// of Facts.Modules (absent ones too, with no commit).
	Modules []Tag
	// Plain is the plain tag vX.Y.Z (GitHub makes it with the release).
	Plain  Tag
	GitHub *GitHubRelease // nil: none (or GitHub not read)
}

// ModuleCommit is the one commit the version's module tags are on (each
// tag's [Tag.Commit]); "" when there is none or they disagree.
func (r *Release) ModuleCommit() string {
	c := ""
	for _, t := range r.Modules {
		switch {
		case !t.Exists():
		case c == "":
			c = t.Commit()
		case c != t.Commit():
			return ""
		}
	}
	return c
}

// Tagged reports whether every module tag of the version exists.
func (r *Release) Tagged() bool {
	for _, t := range r.Modules {
		if !t.Exists() {
			return false
		}
	}
	return len(r.Modules) > 0
}

// Commit is the release's commit: the module tags' for a full release
// and a pre-release; for a chart-only release the plain tag's, else its
// GitHub release's target when that is a commit. "" when not known.
func (r *Release) Commit() string {
	if r.Kind == Full || r.Kind == Prerelease {
		return r.ModuleCommit()
	}
	if c := r.Plain.Commit(); c != "" {
		return c
	}
	if r.GitHub != nil && isCommit(r.GitHub.Target) {
		return r.GitHub.Target
	}
	return ""
}

// Draft reports whether the version's GitHub release is a draft (not
// published).
func (r *Release) Draft() bool { return r.GitHub != nil && r.GitHub.Draft }

// Disagreement is a fact of a release that names another commit than its
// module tags: the plain tag, or the GitHub release's target. Tags never
// move: it is a fact of the past, said, with nothing to fix.
type Disagreement struct {
	What   string // "the tag v0.21.0", "the GitHub release v0.21.0's target"
	Commit string // the commit it names
	// Modules is the commit of the module tags.
	Modules string
}

func (d Disagreement) String() string {
	return fmt.Sprintf("%s is on %s, not on %s where the module tags are", d.What, short(d.Commit), short(d.Modules))
}

// Disagreements are the facts of r on another commit than its module
// tags; none for a release without one commit of module tags.
func (r *Release) Disagreements() []Disagreement {
	m := r.ModuleCommit()
	if m == "" {
		return nil
	}
	var out []Disagreement
	if c := r.Plain.Commit(); c != "" && c != m {
		out = append(out, Disagreement{"the tag " + r.Plain.Name, c, m})
	}
	if g := r.GitHub; g != nil && isCommit(g.Target) && g.Target != m && g.Target != r.Plain.Commit() {
		out = append(out, Disagreement{"the GitHub release " + g.Tag + "'s target", g.Target, m})
	}
	return out
}

// Commits are every commit a fact of r names (module tags, plain tag,
// GitHub target), the release's own first.
func (r *Release) Commits() []string {
	var out []string
	add := func(c string) {
		if c != "" && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	add(r.Commit())
	add(r.ModuleCommit())
	add(r.Plain.Commit())
	if r.GitHub != nil && isCommit(r.GitHub.Target) {
		add(r.GitHub.Target)
	}
	return out
}

// Describe is a line saying what r is and where.
func (r *Release) Describe() string {
	var b strings.Builder
	b.WriteString(r.Kind.String())
	switch {
	case r.Kind == Unknown:
		b.WriteString(": " + r.Why)
		return b.String()
	case r.Kind == ChartOnly:
		if r.Plain.Exists() {
			b.WriteString(", tag " + r.Plain.Name + " on " + short(r.Plain.Commit()))
		}
		b.WriteString(", no module tags")
	default:
		if m := r.ModuleCommit(); m != "" {
			b.WriteString(", module tags on " + short(m))
		} else {
			b.WriteString(", module tags on different commits")
		}
	}
	if r.GitHub != nil {
		switch {
		case r.GitHub.Draft:
			b.WriteString(", GitHub release a draft (not published)")
		case r.GitHub.Prerelease:
			b.WriteString(", GitHub pre-release")
		default:
			b.WriteString(", GitHub release published")
		}
	}
	return b.String()
}

// Ledger is the releases of a repository, lowest version first.
type Ledger struct {
	releases []*Release
	// RemoteRead and GitHubRead say whether the remote's tags and the
	// GitHub releases were among the facts.
	RemoteRead, GitHubRead bool
}

// Read reads the ledger from the facts f.
func Read(f Facts) *Ledger {
	l := &Ledger{RemoteRead: f.Remote != nil, GitHubRead: f.GitHubRead}
	byVersion := map[string]*Release{}
	get := func(v version.Version) *Release {
		r := byVersion[v.String()]
		if r == nil {
			r = &Release{Version: v, Plain: Tag{Name: v.String()}}
			for _, p := range f.Modules {
				r.Modules = append(r.Modules, Tag{Name: p + v.String()})
			}
			byVersion[v.String()] = r
		}
		return r
	}
	parse := func(s string) (version.Version, bool) {
		if f.Parse == nil {
			return version.Version{}, false
		}
		v, err := f.Parse(s)
		return v, err == nil
	}
	modules := map[string]bool{}
	for _, p := range f.Modules {
		modules[p] = true
	}
	see := func(name string) {
		i := strings.LastIndexByte(name, '/')
		v, ok := parse(name[i+1:])
		if !ok || i >= 0 && !modules[name[:i+1]] {
			return
		}
		get(v)
	}
	for name := range f.Local {
		see(name)
	}
	for name := range f.Remote {
		see(name)
	}
	for i := range f.GitHub {
		if v, ok := parse(f.GitHub[i].Tag); ok {
			get(v).GitHub = &f.GitHub[i]
		}
	}
	for _, r := range byVersion {
		for i := range r.Modules {
			r.Modules[i].Local, r.Modules[i].Remote = f.Local[r.Modules[i].Name], f.Remote[r.Modules[i].Name]
		}
		r.Plain.Local, r.Plain.Remote = f.Local[r.Plain.Name], f.Remote[r.Plain.Name]
		r.Kind, r.Why = kind(r)
		l.releases = append(l.releases, r)
	}
	slices.SortFunc(l.releases, func(a, b *Release) int { return a.Version.Compare(b.Version) })
	// A chart-only patch release follows a full release of its line (as
	// v0.21.1 followed v0.21.0); a plain tag with none before it (a
	// release from before the modules were tagged, say) is not taken for
	// one.
	full := map[string]bool{}
	for _, r := range l.releases {
		line := semver.MajorMinor(r.Version.String())
		switch {
		case r.Kind == Full:
			full[line] = true
		case r.Kind == ChartOnly && !full[line]:
			r.Kind, r.Why = Unknown, r.found()+": no full release of "+line+" before it, as a chart-only patch release has"
		}
	}
	return l
}

// kind is the kind of r from its facts, and for [Unknown] what was found.
func kind(r *Release) (Kind, string) {
	modules := false
	for _, t := range r.Modules {
		modules = modules || t.Exists()
	}
	switch {
	case modules && r.Version.IsPreRelease():
		return Prerelease, ""
	case modules:
		return Full, ""
	}
	why := r.found()
	published := r.Plain.Exists() || r.GitHub != nil && !r.GitHub.Draft
	switch {
	case r.Version.IsPreRelease():
		return Unknown, why + ": a pre-release without module tags"
	case !published:
		return Unknown, why + ": nothing published"
	case patch(r.Version) == 0:
		return Unknown, why + ": a chart-only release is a patch release (vX.Y.Z, Z > 0)"
	}
	return ChartOnly, ""
}

// found says what shows of r, a version without module tags.
func (r *Release) found() string {
	var found []string
	if r.Plain.Exists() {
		found = append(found, "the tag "+r.Plain.Name+" on "+short(r.Plain.Commit()))
	}
	if g := r.GitHub; g != nil {
		what := "a GitHub release"
		if g.Draft {
			what = "a draft GitHub release"
		}
		found = append(found, what+" (target "+short(g.Target)+")")
	}
	return strings.Join(found, " and ") + ", no module tags"
}

// Releases are every version of the ledger, lowest first.
func (l *Ledger) Releases() []*Release { return l.releases }

// Find is the release of v; nil when no fact names it.
func (l *Ledger) Find(v version.Version) *Release {
	for _, r := range l.releases {
		if r.Version == v {
			return r
		}
	}
	return nil
}

// Latest is the highest release of a known kind (pre-releases included);
// nil for none. Versions of an [Unknown] kind are never the latest: see
// [Ledger.Unknown].
func (l *Ledger) Latest() *Release {
	for i := len(l.releases) - 1; i >= 0; i-- {
		if l.releases[i].Kind != Unknown {
			return l.releases[i]
		}
	}
	return nil
}

// LatestFull is the highest full or chart-only release (no pre-release);
// nil for none.
func (l *Ledger) LatestFull() *Release {
	for i := len(l.releases) - 1; i >= 0; i-- {
		if k := l.releases[i].Kind; k == Full || k == ChartOnly {
			return l.releases[i]
		}
	}
	return nil
}

// Unknown are the versions whose facts fit no kind the ledger knows.
func (l *Ledger) Unknown() []*Release {
	var out []*Release
	for _, r := range l.releases {
		if r.Kind == Unknown {
			out = append(out, r)
		}
	}
	return out
}

var commitRE = regexp.MustCompile(`^(?:[0-9a-f]{40}|[0-9a-f]{64})$`)

func isCommit(s string) bool { return commitRE.MatchString(s) }

func short(c string) string {
	if isCommit(c) {
		return c[:12]
	}
	return c
}
