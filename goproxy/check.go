package goproxy

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// Module is a module version expected at a commit.
type Module struct{ Path, Version, Commit string }

// State is what the proxy knows of a module version.
type State int

const (
	New         State = iota // the proxy does not know the version
	Done                     // it knows it at the expected commit (or does not say which)
	Conflict                 // it knows it at another commit: the version is burnt
	Unreachable              // the proxy could not be asked
)

func (s State) String() string {
	switch s {
	case New:
		return "new"
	case Done:
		return "done"
	case Conflict:
		return "CONFLICT"
	case Unreachable:
		return "unreachable"
	}
	return fmt.Sprintf("State(%d)", int(s))
}

// Result is one module's state; Commit is the proxy's commit, if it said.
type Result struct {
	Module
	State  State
	Commit string
}

// Check asks the proxy about every module version, in order, and returns
// one result per module. It changes nothing anywhere.
//
// A proxy that cannot be reached stops the asking: the results are still
// returned, the modules not asked marked [Unreachable], with an error
// wrapping [ErrUnreachable], for the caller to decide on. Any other
// failure ([ErrRefused], [ErrFailed]) is an error without results.
// Conflicts are results, not errors: see [Conflicts].
func (c *Client) Check(ctx context.Context, mods []Module) ([]Result, error) {
	out := make([]Result, 0, len(mods))
	for i, m := range mods {
		r := Result{Module: m}
		info, err := c.Info(ctx, m.Path, m.Version)
		switch {
		case errors.Is(err, ErrNotFound):
		case errors.Is(err, ErrUnreachable):
			for _, m := range mods[i:] {
				out = append(out, Result{Module: m, State: Unreachable})
			}
			return out, err
		case err != nil:
			return nil, err
		default:
			r.State, r.Commit = classify(info, m.Commit)
		}
		out = append(out, r)
	}
	return out, nil
}

// classify compares the proxy's commit with the expected one. A proxy
// that does not say its commit has nothing to compare: Done.
func classify(info *Info, commit string) (State, string) {
	if info.Origin == nil || info.Origin.Hash == "" {
		return Done, ""
	}
	if info.Origin.Hash == commit {
		return Done, commit
	}
	return Conflict, info.Origin.Hash
}

// Conflicts returns the results' conflicts as one error wrapping
// [ErrConflict], nil if none.
func Conflicts(results []Result) error {
	var lines []string
	for _, r := range results {
		if r.State == Conflict {
			lines = append(lines, fmt.Sprintf("%s@%s is at %s, not %s", r.Path, r.Version, short(r.Commit), short(r.Module.Commit)))
		}
	}
	if len(lines) == 0 {
		return nil
	}
	return fmt.Errorf("goproxy: %w: %s; those versions can never point elsewhere: release the next version", ErrConflict, strings.Join(lines, "; "))
}
