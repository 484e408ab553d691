package goproxy

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// Module is a module version expected at a commit.
type Module struct{ Path, Version, Commit string }

// Answer is what the proxy knows of a module version.
type Answer int

const (
	Unknown        Answer = iota // the proxy does not know the version
	Known                        // it knows it at the expected commit (or does not say which)
	KnownElsewhere               // it knows it at another commit: the version is burnt, a conflict ([Conflicts])
	Unreachable                  // the proxy could not be asked
)

func (a Answer) String() string {
	switch a {
	case Unknown:
		return "new"
	case Known:
		return "done"
	case KnownElsewhere:
		return "CONFLICT"
	case Unreachable:
		return "unreachable"
	}
	return fmt.Sprintf("Answer(%d)", int(a))
}

// Result is one module's answer; Commit is the proxy's commit, if it said.
type Result struct {
	Module
	Answer Answer
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
				out = append(out, Result{Module: m, Answer: Unreachable})
			}
			return out, err
		case err != nil:
			return nil, err
		default:
			r.Answer, r.Commit = classify(info, m.Commit)
		}
		out = append(out, r)
	}
	return out, nil
}

// classify compares the proxy's commit with the expected one. A proxy
// that does not say its commit has nothing to compare: Known.
func classify(info *Info, commit string) (Answer, string) {
	if info.Origin == nil || info.Origin.Hash == "" {
		return Known, ""
	}
	if info.Origin.Hash == commit {
		return Known, commit
	}
	return KnownElsewhere, info.Origin.Hash
}

// Conflicts returns the results' conflicts as one error wrapping
// [ErrConflict], nil if none.
func Conflicts(results []Result) error {
	var lines []string
	for _, r := range results {
		if r.Answer == KnownElsewhere {
			lines = append(lines, fmt.Sprintf("%s@%s is at %s, not %s", r.Path, r.Version, short(r.Commit), short(r.Module.Commit)))
		}
	}
	if len(lines) == 0 {
		return nil
	}
	return fmt.Errorf("goproxy: %w: %s; those versions can never point elsewhere: release the next version", ErrConflict, strings.Join(lines, "; "))
}
