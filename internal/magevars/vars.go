// Package magevars reads and checks the environment variables the mage
// targets (package targets) take, mage's convention for options: a
// malformed value, or two that contradict each other, is an error naming
// the variable, before any step runs. It is the frontend's: the library
// packages take typed options and name no variable.
package magevars

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"regexp"
	"strings"
	"time"

	"github.com/confidential-containers/release-tools/charts"
	"github.com/confidential-containers/release-tools/github"
	"github.com/confidential-containers/release-tools/internal/actions"
	"github.com/confidential-containers/release-tools/kata"
	"github.com/confidential-containers/release-tools/pins"
	"github.com/confidential-containers/release-tools/release/config"
)

// Vars are the variables the targets read from the environment (mage's
// convention for options).
type Vars struct {
	DryRun   bool // DRY_RUN: print the plan with diffs; write, commit and push nothing
	NoCommit bool // NO_COMMIT: edit but do not commit
	Push     bool // PUSH: let tags, github:release and github:lock/unlock change the remote or GitHub
	Sign     bool // SIGN: tags makes signed annotated tags with git's signing setup
	SkipGo   bool // SKIP_GO: skip go get and go mod tidy
	// AllowTidyDrops is ALLOW_TIDY_DROPS: let go mod tidy remove more
	// than a handful of requires from a go.mod.
	AllowTidyDrops bool
	// PR is PR: a committing phase pushes its commits to a branch named
	// for the phase and version and opens (or updates) the pull request
	// against RELEASE_BRANCH; needs GITHUB_TOKEN.
	PR      bool
	PRDraft bool // PR_DRAFT: the pull request is opened as a draft
	// PRRemote is PR_REMOTE: the remote the branch is pushed to (default
	// the release remote); a fork's remote makes the head owner:branch.
	PRRemote string
	// SkipRegistry is SKIP_REGISTRY: do not ask a chart registry whether
	// it has the version a phase pins or the chart version a release gives
	// its charts already, nor the image registries whether they have the
	// images of the commit it pins; the plan says so. Without it, a
	// registry that cannot be reached stops the phase.
	SkipRegistry bool
	// AllowDowngrade is ALLOW_DOWNGRADE: let deps:sync move the Kata
	// references to a version below the one versions.yaml holds.
	AllowDowngrade bool

	// Format is FORMAT: how status writes its report: "" (text) or "json".
	Format string

	Remote       string // RELEASE_REMOTE: overrides release.yaml's remote (default origin)
	Branch       string // RELEASE_BRANCH: overrides release.yaml's branch (default main)
	OperatorRef  string // OPERATOR_REF
	OperatorRepo string // OPERATOR_REPO
	KataRepo     string // KATA_REPO
	KataRef      string // KATA_REF: the Kata commit (of KATA_REPO) for references that hold a commit
	KataRefNote  string // KATA_REF_NOTE: added to their comment, "# v3.31.0 + <note>"
	// GuestComponentsRef and TrusteeRef are GUEST_COMPONENTS_REF and
	// TRUSTEE_REF: what deps:sync writes instead of what Kata's
	// versions.yaml names, each a full commit or a version.
	GuestComponentsRef, TrusteeRef string
	ChartVersion                   string // CHART_VERSION: the charts' version for release, instead of the rule's
	// ReleaseTime is RELEASE_TIME, RFC 3339 (2026-05-26T10:12:12.893953+01:00):
	// when the Chart.lock files say they were generated; default now.
	ReleaseTime   time.Time
	ReleaseDate   string // RELEASE_DATE, YYYY-MM-DD
	ReleaseCommit string // RELEASE_COMMIT, a full commit SHA on the remote's release branch
	TagCommit     string // TAG_COMMIT, a commit hash
	// GoProxy is GOPROXY: tags and proxy:* ask its first proxy; "off"
	// skips the proxy check, "" means proxy.golang.org.
	GoProxy string
	// GitHubToken is GH_TOKEN, else GITHUB_TOKEN, else what `gh auth
	// token` prints when gh is installed ([GHToken]): the order gh takes
	// them in. It formats as "[redacted]" and is never printed.
	GitHubToken github.Token
	// GitHubAPIURL is GITHUB_API_URL (GitHub Enterprise; tests);
	// GitHubRepository is GITHUB_REPOSITORY, owner/repo, else taken from
	// RELEASE_REMOTE's URL.
	GitHubAPIURL, GitHubRepository string
	// Author is RELEASE_AUTHOR, "Name <email>": the author and committer
	// of the commits instead of git's configured user; zero when unset.
	Author actions.Author

	// Wait is WAIT: verify waits for the release's workflow runs to
	// finish, at most WaitTimeout (WAIT_TIMEOUT, a Go duration such as
	// 90m; default two hours).
	Wait        bool
	WaitTimeout time.Duration
	// Announce is ANNOUNCE, owner/repo#number: the issue verify posts its
	// announcement on, with PUSH=1.
	Announce string
}

// Getenv gives the GitHub variables as github.FromEnv reads them.
func (v Vars) Getenv(name string) string {
	switch name {
	case "GITHUB_TOKEN":
		return string(v.GitHubToken)
	case "GITHUB_API_URL":
		return v.GitHubAPIURL
	case "GITHUB_REPOSITORY":
		return v.GitHubRepository
	}
	return ""
}

var (
	someSHA = regexp.MustCompile(`^[0-9a-f]{7,40}$`)
)

// Read reads and checks the variables through getenv (os.Getenv).
// A malformed value is an error naming the variable, before any step runs.
func Read(getenv func(string) string) (Vars, error) {
	var v Vars
	var errs []string
	flag := func(name string, dst *bool) {
		switch s := getenv(name); s {
		case "", "0", "false":
		case "1", "true":
			*dst = true
		default:
			errs = append(errs, fmt.Sprintf("%s=%q: use 1 or 0 (true and false work too)", name, s))
		}
	}
	str := func(name string, dst *string, def string, re *regexp.Regexp, what string) {
		*dst = getenv(name)
		if *dst == "" {
			*dst = def
			return
		}
		if re != nil && !re.MatchString(*dst) {
			errs = append(errs, fmt.Sprintf("%s=%q: want %s", name, *dst, what))
		}
	}
	commit := func(name, s string) {
		if s != "" && !pins.IsCommit(s) {
			errs = append(errs, fmt.Sprintf("%s=%q: want a full commit SHA (40 lowercase hex digits)", name, s))
		}
	}
	flag("DRY_RUN", &v.DryRun)
	flag("NO_COMMIT", &v.NoCommit)
	flag("PUSH", &v.Push)
	flag("SKIP_GO", &v.SkipGo)
	flag("SIGN", &v.Sign)
	flag("SKIP_REGISTRY", &v.SkipRegistry)
	flag("ALLOW_TIDY_DROPS", &v.AllowTidyDrops)
	flag("ALLOW_DOWNGRADE", &v.AllowDowngrade)
	flag("PR", &v.PR)
	flag("PR_DRAFT", &v.PRDraft)
	// Branch and remote names are what git check-ref-format --branch
	// takes (rel/β too), as release.yaml's are: names git would read as
	// options (-x) or refuse (a..b) are not.
	ref := func(name string, dst *string, what string) {
		str(name, dst, "", nil, "")
		var be *config.BranchError
		if err := config.CheckBranch(*dst); *dst != "" && errors.As(err, &be) {
			errs = append(errs, fmt.Sprintf("%s=%q: want %s: it %s (git check-ref-format --branch refuses it)", name, *dst, what, be.Rule))
		}
	}
	ref("PR_REMOTE", &v.PRRemote, "a remote name")
	ref("RELEASE_REMOTE", &v.Remote, "a remote name")
	ref("RELEASE_BRANCH", &v.Branch, "a branch name")
	str("OPERATOR_REF", &v.OperatorRef, "", nil, "")
	if v.OperatorRef != "" {
		if err := config.CheckRef(v.OperatorRef); err != nil {
			errs = append(errs, fmt.Sprintf("OPERATOR_REF=%q: %v", v.OperatorRef, err))
		}
	}
	str("OPERATOR_REPO", &v.OperatorRepo, "", nil, "")
	str("KATA_REPO", &v.KataRepo, "", nil, "")
	str("KATA_REF", &v.KataRef, "", nil, "")
	commit("KATA_REF", v.KataRef)
	for _, c := range []struct {
		name string
		dst  *string
	}{{"GUEST_COMPONENTS_REF", &v.GuestComponentsRef}, {"TRUSTEE_REF", &v.TrusteeRef}} {
		str(c.name, c.dst, "", nil, "")
		if *c.dst != "" {
			if err := kata.CheckRef(*c.dst); err != nil {
				errs = append(errs, fmt.Sprintf("%s: %v", c.name, err))
			}
		}
	}
	str("KATA_REF_NOTE", &v.KataRefNote, "", nil, "")
	if v.KataRefNote != "" && kata.CheckNote(v.KataRefNote) != nil {
		errs = append(errs, fmt.Sprintf("KATA_REF_NOTE=%q: want one short line without # (80 printable characters at most, no space at either end)", v.KataRefNote))
	}
	str("CHART_VERSION", &v.ChartVersion, "", regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+$`), "a chart version such as 0.3.1 (no v)")
	if v.ChartVersion != "" {
		if err := charts.CheckVersion(v.ChartVersion); err != nil {
			errs = append(errs, fmt.Sprintf("CHART_VERSION=%q: %v", v.ChartVersion, err))
		}
	}
	if s := getenv("RELEASE_TIME"); s != "" {
		t, err := charts.ParseTime(s)
		if err != nil {
			errs = append(errs, fmt.Sprintf("RELEASE_TIME=%q: want RFC 3339, such as 2026-05-26T10:12:12.893953+01:00", s))
		}
		v.ReleaseTime = t
	}
	str("RELEASE_DATE", &v.ReleaseDate, "", nil, "")
	str("RELEASE_COMMIT", &v.ReleaseCommit, "", nil, "")
	commit("RELEASE_COMMIT", v.ReleaseCommit)
	str("TAG_COMMIT", &v.TagCommit, "", someSHA, "a commit hash (7 to 40 hex digits)")
	str("GOPROXY", &v.GoProxy, "", nil, "")
	str("FORMAT", &v.Format, "", regexp.MustCompile(`^(text|json)$`), "text or json")
	if v.Format == "text" {
		v.Format = ""
	}
	// The token as gh takes it: GH_TOKEN first.
	v.GitHubToken = github.Token(getenv("GH_TOKEN"))
	if v.GitHubToken == "" {
		v.GitHubToken = github.Token(getenv("GITHUB_TOKEN"))
	}
	// The workflows' secret (adopt -workflows) goes over Actions' own
	// GITHUB_TOKEN, which every workflow step can be given.
	if t := getenv("RELEASE_TOOLS_TOKEN"); t != "" {
		v.GitHubToken = github.Token(t)
	}
	if s := getenv("RELEASE_AUTHOR"); s != "" {
		a, err := actions.ParseAuthor(s)
		if err != nil {
			errs = append(errs, fmt.Sprintf("RELEASE_AUTHOR=%v", err))
		}
		v.Author = a
	}
	str("GITHUB_API_URL", &v.GitHubAPIURL, "", nil, "")
	str("GITHUB_REPOSITORY", &v.GitHubRepository, "", nil, "")
	flag("WAIT", &v.Wait)
	if s := getenv("WAIT_TIMEOUT"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d <= 0 {
			errs = append(errs, fmt.Sprintf("WAIT_TIMEOUT=%q: want a positive duration such as 90m or 2h", s))
		}
		v.WaitTimeout = d
	}
	str("ANNOUNCE", &v.Announce, "", regexp.MustCompile(`^[A-Za-z0-9-]+/[A-Za-z0-9._-]+#[1-9][0-9]*$`), "owner/repo#number, such as confidential-containers/confidential-containers#123")
	if v.ReleaseDate != "" {
		if _, err := time.Parse(time.DateOnly, v.ReleaseDate); err != nil {
			errs = append(errs, fmt.Sprintf("RELEASE_DATE=%q: want YYYY-MM-DD", v.ReleaseDate))
		}
	}
	if v.DryRun && v.Push {
		errs = append(errs, "DRY_RUN=1 and PUSH=1 contradict each other")
	}
	if v.PR && v.DryRun {
		errs = append(errs, "DRY_RUN=1 and PR=1 contradict each other")
	}
	if v.PR && v.NoCommit {
		errs = append(errs, "NO_COMMIT=1 and PR=1 contradict each other: a pull request needs the commits")
	}
	if len(errs) > 0 {
		return Vars{}, fmt.Errorf("bad variables: %v", errs)
	}
	return v, nil
}

// ghTimeout bounds `gh auth token`.
const ghTimeout = 10 * time.Second

// GHToken is the token `gh auth token` prints when gh is installed and
// logged in; "" otherwise (gh missing, not logged in, or failing). What gh
// prints on its standard error is dropped, and the token is never printed.
func GHToken(ctx context.Context) github.Token {
	gh, err := exec.LookPath("gh")
	if err != nil {
		return ""
	}
	ctx, cancel := context.WithTimeout(ctx, ghTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, gh, "auth", "token")
	out, err := cmd.Output()
	if err != nil {
		return ""
	}
	tok := strings.TrimSpace(string(out))
	if strings.ContainsAny(tok, " \t\r\n") {
		return ""
	}
	return github.Token(tok)
}
