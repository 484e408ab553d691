package tags

import (
	"fmt"
	"strings"

	"github.com/confidential-containers/release-tools/version"
)

// ConflictError is a plan whose tags exist, locally or on the remote, on
// another commit than the plan's ([Plan.Err]). It wraps [ErrTagConflict].
// Its fields tell the usual cases apart, for a frontend to offer the fix:
//
//   - Complete: every tag of the version is on the remote, on that one
//     commit. The version is tagged already; the plan's commit is later
//     work. Nothing to do for this version (plan on Complete to check it).
//   - Stray: tags that exist only locally, never pushed: deleting them
//     (git tag -d) is safe, since nobody else can have seen them.
//   - otherwise: tags never move (the Go module proxy keeps the first
//     commit it saw): tag the next version.
type ConflictError struct {
	Version        version.Version
	Commit, Remote string       // the plan's commit and remote
	Tags           []PlannedTag // the tags in conflict
	Stray          []string     // those of Tags that exist only locally
	Complete       string       // the commit every tag is on, on the remote; "" if not so
}

func (e *ConflictError) Error() string {
	if e.Complete != "" {
		return fmt.Sprintf("tags: %v: the tags of %s are complete on %s, on commit %s, not on %s: %s is tagged already, nothing to do; "+
			"plan on commit %s to check them, or tag %s for the later commit",
			ErrTagConflict, e.Version, e.Remote, e.Complete, short(e.Commit), e.Version, e.Complete, e.Version.Next())
	}
	var lines []string
	for _, t := range e.Tags {
		where, at := "on "+e.Remote, t.RemoteCommit
		if at == "" || at == e.Commit {
			where, at = "locally", t.LocalCommit
		}
		line := fmt.Sprintf("%s exists %s at %s, not at %s", t.Name, where, short(at), short(e.Commit))
		if t.RemoteCommit == "" {
			line += " (never pushed)"
		}
		lines = append(lines, line)
	}
	if len(e.Stray) == len(e.Tags) {
		return fmt.Sprintf("tags: %v: %s. They were never pushed to %s, so deleting them is safe: git tag -d %s",
			ErrTagConflict, strings.Join(lines, "; "), e.Remote, strings.Join(e.Stray, " "))
	}
	msg := fmt.Sprintf("tags: %v: %s. Tags never move (the Go module proxy keeps the first commit it saw): tag %s instead",
		ErrTagConflict, strings.Join(lines, "; "), e.Version.Next())
	if len(e.Stray) > 0 {
		msg += fmt.Sprintf(" (the tags never pushed can go: git tag -d %s)", strings.Join(e.Stray, " "))
	}
	return msg
}

func (e *ConflictError) Unwrap() error { return ErrTagConflict }

// DeleteCommand is the git command that deletes the stray tags, "" if
// there are none.
func (e *ConflictError) DeleteCommand() string {
	if len(e.Stray) == 0 {
		return ""
	}
	return "git tag -d " + strings.Join(e.Stray, " ")
}
