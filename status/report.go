package status

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/confidential-containers/release-tools/release"
	"github.com/confidential-containers/release-tools/status/cycle"
)

// ErrInconsistent is returned, wrapped, by [Report.Err] when the
// report has problems.
var ErrInconsistent = errors.New("inconsistent release state")

// ErrUnchecked is returned, wrapped, by [Report.Err] when a check the
// report was asked to make could not be made: that is not a pass.
var ErrUnchecked = errors.New("checks not made")

// Problem is one inconsistency and what fixes it (alternatives, the
// usual one first).
type Problem struct {
	What  string
	Fixes []release.Fix
}

// Report is where a repository stands.
type Report struct {
	Rows     [][2]string // what, value
	Problems []Problem
	// Unchecked are the checks that could not be made, and why.
	Unchecked []string
	// Version is the highest version tagged, locally or on the remote
	// ("" if none); Tagged the one commit its module tags point at ("" if
	// they disagree).
	Version, Tagged string

	// c is what the cycle is judged from ([Report.Cycle]).
	c cycle.Facts
}

// Cycle judges where the release cycle stands from the report's facts:
// see [cycle.Phase]. It is complete once [Report.GitHub] and
// [Report.Published] were given what they add.
func (r *Report) Cycle() cycle.Cycle { return cycle.Judge(r.c) }

func (r *Report) row(k, v string) { r.Rows = append(r.Rows, [2]string{k, v}) }
func (r *Report) problem(what string, fixes ...release.Fix) {
	r.Problems = append(r.Problems, Problem{what, fixes})
}

// WriteTo writes where the cycle stands, the report as a table, then the
// problems with their fixes in the library's words ([Fix.String]).
func (r *Report) WriteTo(w io.Writer) (int64, error) {
	return r.Format(w, release.Fix.String)
}

// Format writes where the cycle stands ([Report.Cycle]) and the next
// commands, the report as a table, then the problems with their fixes and
// the checks not made, each fix written by render (a frontend's own
// command for it). "no inconsistencies found" is written only when every
// check was made.
func (r *Report) Format(w io.Writer, render func(release.Fix) string) (int64, error) {
	var b strings.Builder
	r.Cycle().Write(&b, render)
	width := 0
	for _, row := range r.Rows {
		width = max(width, len(row[0]))
	}
	for _, row := range r.Rows {
		fmt.Fprintf(&b, "%-*s  %s\n", width, row[0], row[1])
	}
	switch {
	case len(r.Problems) == 0 && len(r.Unchecked) > 0:
		// Not a pass: what was not checked may be wrong.
	case len(r.Problems) == 0:
		b.WriteString("\nno inconsistencies found\n")
	default:
		fmt.Fprintf(&b, "\n%s:\n", count(len(r.Problems), "inconsistency", "inconsistencies"))
		for _, p := range r.Problems {
			var fixes []string
			for _, f := range p.Fixes {
				fixes = append(fixes, render(f))
			}
			fmt.Fprintf(&b, "  - %s\n    fix: %s\n", p.What, strings.Join(fixes, ", or "))
		}
	}
	if len(r.Unchecked) > 0 {
		fmt.Fprintf(&b, "\n%s (so the state is not known to be clean):\n", count(len(r.Unchecked), "check not made", "checks not made"))
		for _, u := range r.Unchecked {
			fmt.Fprintf(&b, "  - %s\n", u)
		}
	}
	n, err := io.WriteString(w, b.String())
	return int64(n), err
}

// Err is the report's problems as one error wrapping [ErrInconsistent],
// or, with none, its checks not made, wrapping [ErrUnchecked].
func (r *Report) Err() error {
	switch {
	case len(r.Problems) > 0:
		return fmt.Errorf("%w: %s (see above)", ErrInconsistent, count(len(r.Problems), "problem", "problems"))
	case len(r.Unchecked) > 0:
		return fmt.Errorf("%w: %d (see above)", ErrUnchecked, len(r.Unchecked))
	}
	return nil
}

// count is n and the noun for it: "1 problem", "2 problems".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// The outcomes of a report ([Report.Outcome]).
const (
	OutcomeClean        = "clean"        // every check was made and passed
	OutcomeInconsistent = "inconsistent" // a problem was found
	OutcomeUnchecked    = "unchecked"    // no problem found, but a check could not be made
)

// Outcome is the report's outcome: [OutcomeInconsistent] with a problem,
// else [OutcomeUnchecked] with a check not made, else [OutcomeClean].
func (r *Report) Outcome() string {
	err := r.Err()
	switch {
	case errors.Is(err, ErrInconsistent):
		return OutcomeInconsistent
	case errors.Is(err, ErrUnchecked):
		return OutcomeUnchecked
	}
	return OutcomeClean
}
