package targets

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/confidential-containers/release-tools/internal/actions"
	"github.com/confidential-containers/release-tools/internal/gitrepo"
	"github.com/confidential-containers/release-tools/internal/redact"
)

// inActions sets the runner up for GitHub Actions (GITHUB_ACTIONS=true):
// what it prints on stdout is kept for the run's summary. The author of
// its commits is RELEASE_AUTHOR ([runner.setAuthor]).
func (r *runner) inActions() error {
	r.Actions = actions.Read(os.Getenv)
	if r.Actions.On {
		r.Summary = &actions.Summary{Title: title(os.Args[1:])}
		r.Out = redact.Writer(io.MultiWriter(os.Stdout, r.Summary))
	}
	return r.setAuthor(nil)
}

// setAuthor sets the author of the runner's commits: RELEASE_AUTHOR,
// else, in Actions on a runner whose repository g has no git identity,
// github-actions[bot] (g nil: not known yet, git's user). Outside Actions
// only RELEASE_AUTHOR counts. The author is given to the git commands too
// (GIT_AUTHOR_*, GIT_COMMITTER_*: an annotated tag's tagger).
func (r *runner) setAuthor(g *git.Repository) error {
	a := r.Vars.Author
	if a == (actions.Author{}) && r.Actions.On && g != nil && !hasIdentity(g) {
		a = actions.Bot
	}
	if a == (actions.Author{}) {
		return nil
	}
	r.Author = &object.Signature{Name: a.Name, Email: a.Email}
	for _, kv := range [][2]string{{"GIT_AUTHOR_NAME", a.Name}, {"GIT_AUTHOR_EMAIL", a.Email}, {"GIT_COMMITTER_NAME", a.Name}, {"GIT_COMMITTER_EMAIL", a.Email}} {
		if err := os.Setenv(kv[0], kv[1]); err != nil {
			return err
		}
	}
	return nil
}

// hasIdentity reports whether repo has a git user configured, as a phase
// reads it.
func hasIdentity(repo *git.Repository) bool {
	_, err := gitrepo.Signature(repo, time.Time{})
	return err == nil
}

// title is the target and its arguments, from the command line of the
// compiled targets (mage's flags left out).
func title(args []string) string {
	var out []string
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case a == "-w" || a == "-d" || a == "-t" || a == "-gocmd":
			i++ // and its value
		case strings.HasPrefix(a, "-"):
		default:
			out = append(out, a)
		}
	}
	return strings.Join(out, " ")
}

// done ends a target's run that returned err: in Actions, an error is
// also an annotation, and the summary is appended to the step's. It
// returns err.
func (r *runner) done(err error) error {
	env, sum := actions.Env{}, (*actions.Summary)(nil)
	if r != nil {
		env, sum = r.Actions, r.Summary
	} else { // the variables were refused
		env = actions.Read(os.Getenv)
	}
	if !env.On {
		return err
	}
	if sum == nil {
		sum = &actions.Summary{Title: title(os.Args[1:])}
	}
	if err != nil {
		actions.Error(os.Stdout, err.Error())
	}
	if serr := sum.Append(env.Summary, err); serr != nil {
		fmt.Fprintln(os.Stderr, "release-tools:", serr)
	}
	return err
}

// group runs f inside a group of the log titled title, in Actions.
func (r *runner) group(title string, f func() error) error {
	if !r.Actions.On {
		return f()
	}
	actions.Group(os.Stdout, title)
	defer actions.EndGroup(os.Stdout)
	return f()
}

// errOwnToken is returned, wrapped, when a target needs what Actions'
// own GITHUB_TOKEN cannot do.
var errOwnToken = errors.New("Actions' own GITHUB_TOKEN cannot do this")

// ownToken says, before anything is written, what Actions' own token
// cannot do for what target is about to do: an error for what it cannot
// do at all, a warning annotation for what it does only in part.
func (r *runner) ownToken(what string) error {
	if !r.Actions.On || !r.Actions.OwnToken {
		return nil
	}
	const secret = "set the repository secret RELEASE_TOOLS_TOKEN (the workflows of adopt -workflows pass it)"
	switch what {
	case "pr":
		actions.Warning(os.Stdout, "the pull request is opened with Actions' own GITHUB_TOKEN: GitHub starts no workflow for it, so no CI runs on it until someone pushes to it or closes and reopens it; "+secret+" to a token with contents and pull requests write")
	case "lock":
		return fmt.Errorf("%w: the branch lock needs the administration permission, which GITHUB_TOKEN never has: %s to a token with administration write", errOwnToken, secret)
	case "release":
		if r.Vars.Push {
			return fmt.Errorf("%w: GitHub starts no workflow for a release GITHUB_TOKEN creates, so the release workflow (on: release) would not publish it; nothing created: %s to a token with contents write (and the workflow permission if the release's commit changes .github/workflows)", errOwnToken, secret)
		}
		actions.Warning(os.Stdout, "with PUSH=1 the release is refused with Actions' own GITHUB_TOKEN: GitHub starts no workflow for a release it creates; "+secret)
	}
	return nil
}
