// Package actions is the mage frontend at home in GitHub Actions
// (GITHUB_ACTIONS=true): the identity commits are made with when the
// runner has none, the run's summary in Markdown ($GITHUB_STEP_SUMMARY),
// the workflow commands that group the log and annotate a failure, and
// what Actions' own token cannot do. It is the frontend's, as
// internal/magevars is.
package actions

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode"
)

// The identity GitHub gives the commits of its github-actions app: the
// author of the commits a workflow makes when nothing else is configured.
const (
	BotName  = "github-actions[bot]"
	BotEmail = "41898282+github-actions[bot]@users.noreply.github.com"
)

// Env is what the frontend reads of a GitHub Actions runner.
type Env struct {
	On      bool   // GITHUB_ACTIONS=true: running as a workflow's step
	Summary string // GITHUB_STEP_SUMMARY: the file the step's summary is appended to
	// OwnToken: the token is the one Actions gives every run
	// (GITHUB_TOKEN) and no RELEASE_TOOLS_TOKEN is set. GitHub starts no
	// workflow for what it does (a pull request gets no CI, a release does
	// not start the release workflow), and it cannot have the
	// administration permission.
	OwnToken bool
}

// Read reads the runner's variables through getenv (os.Getenv); outside
// Actions it is the zero Env.
func Read(getenv func(string) string) Env {
	if getenv("GITHUB_ACTIONS") != "true" {
		return Env{}
	}
	return Env{
		On:       true,
		Summary:  getenv("GITHUB_STEP_SUMMARY"),
		OwnToken: getenv("RELEASE_TOOLS_TOKEN") == "" && getenv("GITHUB_TOKEN") != "",
	}
}

// Author is a commit's author and committer, from RELEASE_AUTHOR or
// the runner's default ([BotName]).
type Author struct{ Name, Email string }

func (a Author) String() string { return a.Name + " <" + a.Email + ">" }

// Bot is the author of the commits a workflow makes when no git identity
// is configured.
var Bot = Author{Name: BotName, Email: BotEmail}

// ErrBadAuthor is returned, wrapped, for a RELEASE_AUTHOR that is not
// "Name <email>".
var ErrBadAuthor = errors.New(`want "Name <email>"`)

// ParseAuthor parses "Name <email>": a name and an address, as git
// writes them in a commit (one line without control characters, no angle
// bracket in the name, an address with an @ and no space).
func ParseAuthor(s string) (Author, error) {
	if strings.ContainsFunc(s, unicode.IsControl) {
		return Author{}, fmt.Errorf("%q: %w on one line, without control characters", s, ErrBadAuthor)
	}
	m := authorForm.FindStringSubmatch(s)
	if m == nil {
		return Author{}, fmt.Errorf("%q: %w, such as \"Jane Doe <jane@example.com>\"", s, ErrBadAuthor)
	}
	return Author{Name: m[1], Email: m[2]}, nil
}

var authorForm = regexp.MustCompile(`^\s*([^<>\s](?:[^<>]*[^<>\s])?)\s*<([^<>\s@]+@[^<>\s@]+)>\s*$`)

// escape escapes a workflow command's message: % and line ends.
func escape(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// Error writes msg as an error annotation (::error::) to w, the step's
// standard output.
func Error(w io.Writer, msg string) {
	fmt.Fprintf(w, "::error::%s\n", escape(msg))
}

// Warning writes msg as a warning annotation (::warning::).
func Warning(w io.Writer, msg string) {
	fmt.Fprintf(w, "::warning::%s\n", escape(msg))
}

// Group starts a group of the log titled title (::group::); [EndGroup]
// ends it.
func Group(w io.Writer, title string) {
	fmt.Fprintf(w, "::group::%s\n", escape(title))
}

// EndGroup ends the group [Group] started.
func EndGroup(w io.Writer) {
	fmt.Fprintln(w, "::endgroup::")
}
