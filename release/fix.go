package release

import (
	"context"
	"errors"
	"strings"

	"github.com/confidential-containers/release-tools/kata"
	"github.com/confidential-containers/release-tools/phase"
	"github.com/confidential-containers/release-tools/steps"
)

// Action names a step of a release that puts a problem right. A frontend
// turns it into its own command; the library never names a command of
// its own.
type Action string

// The actions a [Fix] can name, one per phase or single step.
const (
	ActionDepsSync       Action = "deps-sync"       // Args: the Kata version
	ActionBumpRequires   Action = "bump-requires"   // Args: the version
	ActionPinImage       Action = "pin-image"       // Args: the image commit
	ActionUnpinImage     Action = "unpin-image"     // back to latest
	ActionPinOperator    Action = "pin-operator"    // Args: the reference
	ActionUnpinOperator  Action = "unpin-operator"  // back to main
	ActionUpdateCitation Action = "update-citation" // Args: the version; Date
	ActionTags           Action = "tags"            // Args: the version; Push to create them; Commit to tag or check that commit
	ActionPrerelease     Action = "prerelease"      // Args: the candidate version
	ActionRelease        Action = "release"         // Args: the version and the image commit
	ActionBumpCharts     Action = "bump-charts"     // Args: the chart version
	ActionPostrelease    Action = "postrelease"     // Args: the version
	ActionGitHubRelease  Action = "github-release"  // Args: the version; Push to create it
	ActionChartsCheck    Action = "charts-check"    // Args: the version; whether its chart is published
	ActionVerify         Action = "verify"          // Args: the version; what the release started and published
	ActionWarmProxy      Action = "warm-proxy"      // Args: the version; the module proxy asked to fetch every module
	ActionLockBranch     Action = "lock-branch"     // Push: the release branch frozen while a candidate is tested
	ActionUnlockBranch   Action = "unlock-branch"   // Push: the release branch open again
	ActionStatus         Action = "status"          // what the repository's release state is, and what is inconsistent
)

// Fix is what puts a problem right: a step of the release (Action and
// Args), or a command to run by hand (Command), such as a git command.
type Fix struct {
	Action Action
	Args   []string
	// Push: the step must be let change the remote or GitHub.
	Push bool
	// Wait: the step waits for what it checks to finish (ActionVerify:
	// the release's workflow runs) rather than saying it is not done.
	Wait bool
	// AllowDowngrade: for ActionDepsSync, the sync is to move the Kata
	// references down (a [*kata.DowngradeError] otherwise).
	AllowDowngrade bool
	// Date is the release date to give ActionUpdateCitation (YYYY-MM-DD).
	Date string
	// Commit is the commit the action is to work on instead of its
	// default: for ActionTags, the commit to plan the tags on rather than
	// the remote branch's head.
	Commit string
	// Command is a command of another tool, for a fix that is not a step.
	Command string
	// Choices are, for ActionDepsSync, the references chosen by hand that
	// the sync is to write again instead of what Kata names.
	Choices []kata.Choice
}

// String is the fix in the library's neutral words: the action and its
// arguments, or the command.
func (f Fix) String() string {
	if f.Command != "" {
		return f.Command
	}
	s := strings.Join(append([]string{string(f.Action)}, f.Args...), " ")
	if f.Push {
		s += " (pushing)"
	}
	if f.Wait {
		s += " (waiting)"
	}
	if f.AllowDowngrade {
		s += " (allowing a downgrade)"
	}
	if f.Date != "" {
		s += " (release date " + f.Date + ")"
	}
	if f.Commit != "" {
		s += " (on commit " + f.Commit + ")"
	}
	for _, c := range f.Choices {
		s += " (choosing " + c.String() + ")"
	}
	return s
}

// FixableError is an error that a step of the release puts right.
type FixableError struct {
	Err   error
	Fixes []Fix // alternatives, the usual one first
}

func (e *FixableError) Error() string { return e.Err.Error() }
func (e *FixableError) Unwrap() error { return e.Err }

// Fixable wraps err in a [*FixableError] with the fixes that put it
// right, the usual one first.
func Fixable(err error, fixes ...Fix) error {
	return &FixableError{Err: err, Fixes: fixes}
}

// Fixes returns the fixes err carries, nil if none.
func Fixes(err error) []Fix {
	var fe *FixableError
	if errors.As(err, &fe) {
		return fe.Fixes
	}
	return nil
}

// withFixes is check c with the fixes of the typed errors of the steps
// attached to its error ([fixesOf]).
func withFixes(c phase.Check) phase.Check {
	run := c.Run
	c.Run = func(ctx context.Context, t *phase.Tree) (string, error) {
		note, err := run(ctx, t)
		if fixes := fixesOf(err); len(fixes) > 0 {
			err = Fixable(err, fixes...)
		}
		return note, err
	}
	return c
}

// fixesOf are the fixes of a step's error: a deps sync for a
// [*kata.SyncError], the commands of a [*steps.CommandsError].
func fixesOf(err error) []Fix {
	var sync *kata.SyncError
	if errors.As(err, &sync) {
		v := sync.Kata
		if v == "" {
			v = "<kataVersion>"
		}
		return []Fix{{Action: ActionDepsSync, Args: []string{v}, Choices: sync.Choices}}
	}
	var cmds *steps.CommandsError
	if errors.As(err, &cmds) {
		var fixes []Fix
		for _, c := range cmds.Commands {
			fixes = append(fixes, Fix{Command: c})
		}
		return fixes
	}
	return nil
}
