package demo

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/confidential-containers/release-tools/github"
	"github.com/confidential-containers/release-tools/internal/magecmd"
	"github.com/confidential-containers/release-tools/phase"
	"github.com/confidential-containers/release-tools/pullrequest"
)

// runPhase builds and runs a step's phase, returning it and what it
// printed.
func (c *cycle) runPhase(ctx context.Context, st step) (*phase.Phase, string, error) {
	rel, err := c.repo()
	if err != nil {
		return nil, "", err
	}
	p, err := st.build(rel)
	if err != nil {
		return nil, "", err
	}
	var plan bytes.Buffer
	if err := p.Run(ctx, phase.Options{Go: c.gorun, Out: io.MultiWriter(c.w, &plan)}); err != nil {
		return nil, "", err
	}
	return p, plan.String(), nil
}

// propose pushes the phase's commits to the step's branch and opens the
// PR, with the steps that follow in its body, as PR=1 does; then proposes
// again, which must push and open nothing new. (Only the proposal runs
// again: a second release phase of the same version moves the charts to
// the next chart version again.)
func (c *cycle) propose(ctx context.Context, st step, title, plan string, rest []step) (*github.Pull, error) {
	var next []pullrequest.Next
	next = append(next, pullrequest.Next{What: "merge the PR"})
	for _, s := range rest {
		if s.simulated {
			continue
		}
		next = append(next, pullrequest.Next{Command: magecmd.Line(s.fix)})
	}
	req := pullrequest.Request{Root: c.root(), Remote: "origin", Base: "main", Branch: st.branch, Title: title, Plan: plan, Next: next}
	fmt.Fprintln(c.w)
	res, err := pullrequest.Open(ctx, c.gh, req, c.w)
	if err != nil {
		return nil, err
	}
	if res.Outcome != pullrequest.Opened {
		return nil, fmt.Errorf("%s: the PR was %s, not opened", st.title, res.Outcome)
	}
	fmt.Fprintf(c.w, "demo: PR #%d %q from %s into %s; its body, diffs folded:\n", res.Pull.Number, res.Pull.Title, res.Pull.Head, res.Pull.Base)
	writeFolded(c.w, res.Pull.Body)

	fmt.Fprintf(c.w, "\n== the PR of %s again: nothing new to push or open\n", st.title)
	again, err := pullrequest.Open(ctx, c.gh, req, c.w)
	if err != nil {
		return nil, err
	}
	if again.Outcome != pullrequest.UpToDate || again.Pull.Number != res.Pull.Number {
		return nil, fmt.Errorf("%s again: the PR was %s", st.title, again.Outcome)
	}
	return res.Pull, nil
}

// writeFolded writes a PR's body quoted, each fenced diff as one line.
func writeFolded(w io.Writer, body string) {
	fence, n := "", 0
	for _, l := range strings.Split(strings.TrimRight(body, "\n"), "\n") {
		t := strings.TrimSpace(l)
		switch {
		case fence == "" && strings.HasPrefix(t, "```"):
			fence, n = strings.TrimRight(t, "abcdefghijklmnopqrstuvwxyz"), 0
		case fence != "" && t == fence:
			fmt.Fprintf(w, "  |   (%d lines of diff)\n", n)
			fence = ""
		case fence != "":
			n++
		default:
			fmt.Fprintf(w, "  | %s\n", l)
		}
	}
}
