package status

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/confidential-containers/release-tools/release"
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
}

func (r *Report) row(k, v string) { r.Rows = append(r.Rows, [2]string{k, v}) }
func (r *Report) problem(what string, fixes ...release.Fix) {
	r.Problems = append(r.Problems, Problem{what, fixes})
}

// WriteTo writes the report as a table, then the problems with their
// fixes in the library's words ([Fix.String]).
func (r *Report) WriteTo(w io.Writer) (int64, error) {
	return r.Format(w, release.Fix.String)
}

// Format writes the report as a table, then the problems with their
// fixes, each written by render (a frontend's own command for it).
func (r *Report) Format(w io.Writer, render func(release.Fix) string) (int64, error) {
	var b strings.Builder
	width := 0
	for _, row := range r.Rows {
		width = max(width, len(row[0]))
	}
	for _, row := range r.Rows {
		fmt.Fprintf(&b, "%-*s  %s\n", width, row[0], row[1])
	}
	switch {
	case len(r.Problems) == 0 && len(r.Unchecked) > 0:
		b.WriteString("\nno inconsistencies found in what could be checked\n")
	case len(r.Problems) == 0:
		b.WriteString("\nno inconsistencies found\n")
	default:
		fmt.Fprintf(&b, "\n%d inconsistencies:\n", len(r.Problems))
		for _, p := range r.Problems {
			var fixes []string
			for _, f := range p.Fixes {
				fixes = append(fixes, render(f))
			}
			fmt.Fprintf(&b, "  - %s\n    fix: %s\n", p.What, strings.Join(fixes, ", or "))
		}
	}
	if len(r.Unchecked) > 0 {
		fmt.Fprintf(&b, "\n%d checks not made:\n", len(r.Unchecked))
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
		return fmt.Errorf("%w: %d problems (see above)", ErrInconsistent, len(r.Problems))
	case len(r.Unchecked) > 0:
		return fmt.Errorf("%w: %d (see above)", ErrUnchecked, len(r.Unchecked))
	}
	return nil
}
