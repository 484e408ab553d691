package github

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"

	gogithub "github.com/google/go-github/v84/github"
	"golang.org/x/mod/semver"

	"github.com/confidential-containers/release-tools/ledger"
	"github.com/confidential-containers/release-tools/version"
)

// Release is a GitHub release as this package reports it.
type Release struct {
	ID         int64
	Tag, Name  string
	Commitish  string // target_commitish: a commit or a branch name
	Draft      bool
	Prerelease bool
	URL        string // the release page
}

// ReleaseOutcome is what [ReleasePlan.Apply] did.
type ReleaseOutcome int

const (
	Created   ReleaseOutcome = iota + 1 // the release was created
	Exists                              // a release for the tag exists (maybe a draft): left alone
	Published                           // the draft release for the tag was published
)

func (o ReleaseOutcome) String() string {
	switch o {
	case Created:
		return "created"
	case Exists:
		return "exists, left alone"
	case Published:
		return "published (it was a draft)"
	}
	return fmt.Sprintf("ReleaseOutcome(%d)", int(o))
}

// ReleasePlan is the GitHub release [ReleasePlan.Apply] creates, or the
// existing one it leaves alone. Printing it ([ReleasePlan.WriteTo]) shows
// exactly what Apply does, notes included.
type ReleasePlan struct {
	Repo        string // owner/repo
	Tag, Commit string
	Prerelease  bool
	// Latest is whether the release is marked latest: a full release
	// above every full release there is (a patch of an older line, such as
	// v0.15.1 after v0.21.1, is not; a pre-release never is).
	Latest bool
	// Newer is the highest full release above Tag, when there is one: why
	// a full release is not marked latest.
	Newer string
	// Previous is the release tag the notes start from: the previous
	// release of the same kind of version, a full release for a full
	// release and a pre-release for a pre-release ("" when there is none:
	// GitHub then starts from the beginning). Without one of the same
	// kind below Tag, it is the highest release of the other kind below
	// it, and OtherKind is set: GitHub cannot start from the beginning
	// while an earlier release exists, so the plan names the one it uses.
	Previous  string
	OtherKind bool
	// GitHubPicks is, when no release is below Tag (Previous ""), the
	// release GitHub starts the notes from by itself: its latest release,
	// or "" when the repository has none (the notes start from the
	// beginning).
	GitHubPicks string
	Name, Notes string
	// Existing is the release already there for Tag, drafts included;
	// when set, Apply changes nothing, unless Publish.
	Existing *Release
	// Publish: Existing is a draft that Apply publishes (draft false,
	// make_latest as Latest), changing nothing else. The caller sets it,
	// having checked that the draft is on the release's commit.
	Publish bool

	c *Client
}

var commitRE = regexp.MustCompile(`^(?:[0-9a-f]{40}|[0-9a-f]{64})$`)

// PlanRelease plans the GitHub release of v, tagged v, on commit.
// Choosing and checking the commit (the one the module tags of the
// version point at) is the caller's job; it must be a full hash.
//
// A pre-release version ([version.Version.IsPreRelease]) is released as
// a pre-release not marked latest (make_latest "false"), a full release
// version as a full release, marked latest only when no published full
// release is above it ([ReleasePlan.Latest]). The notes
// are GitHub's generated ones (POST releases/generate-notes, which changes
// nothing) from the previous release of the same kind, see
// [ReleasePlan.Previous]; drafts and tags that are not versions are never
// a start. An existing release for tag, drafts included, is no error:
// the plan says so and Apply leaves it alone. Drafts are only listed to a
// token with push rights, which creating a release needs anyway.
func (c *Client) PlanRelease(ctx context.Context, v version.Version, commit string) (*ReleasePlan, error) {
	if v.IsZero() {
		return nil, fmt.Errorf("github: no version to release")
	}
	tag, prerelease := v.String(), v.IsPreRelease()
	if !commitRE.MatchString(commit) {
		return nil, fmt.Errorf("github: commit %q is not a full commit hash: give the one the module tags of %s point at", commit, tag)
	}
	p := &ReleasePlan{Repo: c.Repo(), Tag: tag, Commit: commit, Prerelease: prerelease, Name: tag, c: c}
	releases, err := c.releases(ctx)
	if err != nil {
		return nil, err
	}
	if p.Existing = find(releases, tag); p.Existing != nil {
		return p, nil
	}
	p.Previous = previous(releases, tag, prerelease)
	if p.Previous == "" {
		p.Previous = previous(releases, tag, !prerelease)
		p.OtherKind = p.Previous != ""
	}
	if p.Previous == "" {
		p.GitHubPicks = latest(releases)
	}
	if !prerelease {
		p.Newer = newer(releases, tag)
		p.Latest = p.Newer == ""
	}
	opts := &gogithub.GenerateNotesOptions{TagName: tag, TargetCommitish: &commit}
	if p.Previous != "" {
		opts.PreviousTagName = &p.Previous
	}
	notes, resp, err := c.gh.Repositories.GenerateReleaseNotes(ctx, c.owner, c.repo, opts)
	if err := c.check(fmt.Sprintf("generate the release notes of %s on %s", tag, c.Repo()), resp, err); err != nil {
		return nil, err
	}
	p.Notes = notes.Body
	return p, nil
}

// previous is the highest release tag below tag of the same kind: a
// pre-release for a pre-release, a full release for a full release.
// Drafts and tags that are not semantic versions are skipped.
func previous(releases []Release, tag string, prerelease bool) string {
	best := ""
	for _, r := range releases {
		switch {
		case r.Draft, !semver.IsValid(r.Tag), semver.Compare(r.Tag, tag) >= 0:
		case prerelease != (semver.Prerelease(r.Tag) != ""):
		case best == "" || semver.Compare(r.Tag, best) > 0:
			best = r.Tag
		}
	}
	return best
}

// latest is the release GitHub calls latest when none is marked: the
// highest published full release, else the highest published release
// ("" for none).
func latest(releases []Release) string {
	best, pre := "", ""
	for _, r := range releases {
		switch {
		case r.Draft, !semver.IsValid(r.Tag):
		case !r.Prerelease && semver.Prerelease(r.Tag) == "" && (best == "" || semver.Compare(r.Tag, best) > 0):
			best = r.Tag
		case pre == "" || semver.Compare(r.Tag, pre) > 0:
			pre = r.Tag
		}
	}
	if best == "" {
		return pre
	}
	return best
}

// newer is the highest published full release above tag ("" for none).
func newer(releases []Release, tag string) string {
	best := ""
	for _, r := range releases {
		switch {
		case r.Draft, r.Prerelease, !semver.IsValid(r.Tag), semver.Prerelease(r.Tag) != "", semver.Compare(r.Tag, tag) <= 0:
		case best == "" || semver.Compare(r.Tag, best) > 0:
			best = r.Tag
		}
	}
	return best
}

// FindRelease returns the release for tag, drafts included, or nil when
// there is none. It changes nothing. Only (nil, nil) means "no release":
// an error means the releases could not be listed, and wraps
// [ErrUnavailable] when GitHub could not be asked or gave no usable
// answer (bad credentials, a server error, a rate limit, an answer that
// is not JSON).
func (c *Client) FindRelease(ctx context.Context, tag string) (*Release, error) {
	releases, err := c.releases(ctx)
	if err != nil {
		return nil, err
	}
	return find(releases, tag), nil
}

func find(releases []Release, tag string) *Release {
	for _, r := range releases {
		if r.Tag == tag {
			return &r
		}
	}
	return nil
}

// releases lists every release of the repository, drafts included.
func (c *Client) releases(ctx context.Context) ([]Release, error) {
	var out []Release
	opts := &gogithub.ListOptions{PerPage: 100}
	for {
		page, resp, err := c.gh.Repositories.ListReleases(ctx, c.owner, c.repo, opts)
		if err := c.check("list the releases of "+c.Repo(), resp, err); err != nil {
			return nil, err
		}
		for _, r := range page {
			out = append(out, release(r))
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opts.Page = resp.NextPage
	}
}

func release(r *gogithub.RepositoryRelease) Release {
	return Release{
		ID: r.GetID(), Tag: r.GetTagName(), Name: r.GetName(), Commitish: r.GetTargetCommitish(),
		Draft: r.GetDraft(), Prerelease: r.GetPrerelease(), URL: r.GetHTMLURL(),
	}
}

// Apply creates the planned release: tag_name, target_commitish the
// commit, the name and the generated notes, not a draft, prerelease and
// make_latest as planned. With [ReleasePlan.Existing] set it changes
// nothing and returns that release and [Exists]; so does a release for
// the tag created since the plan (GitHub's "already_exists"). It never
// edits or deletes a release.
func (p *ReleasePlan) Apply(ctx context.Context) (*Release, ReleaseOutcome, error) {
	if p.Existing != nil && p.Publish && p.Existing.Draft {
		c := p.c
		r, resp, err := c.gh.Repositories.EditRelease(ctx, c.owner, c.repo, p.Existing.ID, &gogithub.RepositoryRelease{
			Draft: gogithub.Ptr(false), MakeLatest: gogithub.Ptr(p.makeLatest()),
		})
		if err := c.check(fmt.Sprintf("publish the draft release %s on %s", p.Tag, c.Repo()), resp, err); err != nil {
			return nil, 0, err
		}
		published := release(r)
		return &published, Published, nil
	}
	if p.Existing != nil {
		return p.Existing, Exists, nil
	}
	c := p.c
	r, resp, err := c.gh.Repositories.CreateRelease(ctx, c.owner, c.repo, &gogithub.RepositoryRelease{
		TagName:         &p.Tag,
		TargetCommitish: &p.Commit,
		Name:            &p.Name,
		Body:            &p.Notes,
		Draft:           gogithub.Ptr(false),
		Prerelease:      &p.Prerelease,
		MakeLatest:      gogithub.Ptr(p.makeLatest()),
	})
	if has(err, "already_exists") {
		existing, lerr := c.FindRelease(ctx, p.Tag)
		if lerr != nil {
			return nil, 0, lerr
		}
		if existing != nil {
			return existing, Exists, nil
		}
	}
	if err := c.check(fmt.Sprintf("create the release %s on %s", p.Tag, c.Repo()), resp, err); err != nil {
		if e := (*Error)(nil); errors.As(err, &e) && e.StatusCode == http.StatusNotFound {
			e.Hint = workflowHint
			e.errs = append(e.errs, ErrNeedsWorkflow)
		}
		return nil, 0, err
	}
	created := release(r)
	return &created, Created, nil
}

// ErrNeedsWorkflow is wrapped by the 404 GitHub answers to creating a
// release that a token could read the releases of: most often a token
// without the workflow permission, whose release would create its tag on
// a commit that changes .github/workflows.
var ErrNeedsWorkflow = errors.New("the token may need the workflow permission")

const workflowHint = "the repository's releases were read with this token, so this 404 is most likely GitHub refusing a token without the workflow permission " +
	"to create the release's tag on a commit that changes .github/workflows: give the token that permission " +
	"(a fine-grained token's Workflows: write, a classic token's workflow scope; Actions' own GITHUB_TOKEN never has it), " +
	"or check that it has contents write on the repository; nothing was created"

// kind says what kind of release the plan makes, and whether it is
// marked latest.
func (p *ReleasePlan) kind() string {
	switch {
	case p.Prerelease:
		return "pre-release, not marked latest"
	case !p.Latest && p.Newer != "":
		return "full release, not marked latest (" + p.Newer + " is newer)"
	case !p.Latest:
		return "full release, not marked latest"
	}
	return "full release, marked latest"
}

func (p *ReleasePlan) makeLatest() string {
	if p.Latest {
		return "true"
	}
	return "false"
}

// WriteTo writes the plan for a person: the release and its notes, or
// the existing release left alone.
func (p *ReleasePlan) WriteTo(w io.Writer) (int64, error) {
	var b strings.Builder
	if e := p.Existing; e != nil {
		kind := "release"
		if e.Draft {
			kind = "draft release"
		}
		what := "left alone"
		if p.Publish && e.Draft {
			what = "publish it, " + p.kind()
		}
		fmt.Fprintf(&b, "github: %s %s exists on %s (target %s): %s\n", kind, e.Tag, p.Repo, e.Commitish, what)
		if e.URL != "" {
			fmt.Fprintf(&b, "  %s\n", e.URL)
		}
	} else {
		kind := p.kind()
		from := "the beginning (no earlier release)"
		switch {
		case p.OtherKind && p.Prerelease:
			from = p.Previous + " (no earlier pre-release: the last full release)"
		case p.OtherKind:
			from = p.Previous + " (no earlier full release: the last pre-release; GitHub cannot start from the beginning while it exists)"
		case p.Previous != "":
			from = p.Previous
		case p.GitHubPicks != "":
			from = p.GitHubPicks + " (no release below " + p.Tag + ": GitHub starts from its latest release)"
		}
		fmt.Fprintf(&b, "github: create release %s on %s at %s: %s; notes from %s\n", p.Tag, p.Repo, p.Commit, kind, from)
		for _, l := range strings.Split(strings.TrimRight(p.Notes, "\n"), "\n") {
			fmt.Fprintf(&b, "  | %s\n", l)
		}
	}
	n, err := io.WriteString(w, b.String())
	return int64(n), err
}

// Releases lists every release of the repository, drafts included. It
// changes nothing; an error wraps [ErrUnavailable] as [Client.FindRelease]'s
// does.
func (c *Client) Releases(ctx context.Context) ([]Release, error) { return c.releases(ctx) }

// LedgerReleases are the releases rs as a ledger reads them: never nil.
func LedgerReleases(rs []Release) []ledger.GitHubRelease {
	out := make([]ledger.GitHubRelease, 0, len(rs))
	for _, r := range rs {
		out = append(out, ledger.GitHubRelease{Tag: r.Tag, Target: r.Commitish, Draft: r.Draft, Prerelease: r.Prerelease, URL: r.URL})
	}
	return out
}
