package status

import (
	"encoding/json"
	"errors"
	"io"

	"github.com/confidential-containers/release-tools/release"
	"github.com/confidential-containers/release-tools/status/cycle"
)

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

type jsonReport struct {
	Outcome   string        `json:"outcome"`
	Cycle     jsonCycle     `json:"cycle"`
	Facts     []jsonFact    `json:"facts"`
	Problems  []jsonProblem `json:"problems"`
	Unchecked []string      `json:"unchecked"`
}

type jsonCycle struct {
	Phase   cycle.Phase `json:"phase"`
	Summary string      `json:"summary"`
	Next    []jsonStep  `json:"next"`
}

type jsonStep struct {
	Command string `json:"command"`
	What    string `json:"what"`
}

type jsonFact struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type jsonProblem struct {
	What  string   `json:"what"`
	Fixes []string `json:"fixes"`
}

// JSON writes the same report as [Report.Format] as one JSON object:
// outcome ([Report.Outcome]), cycle (phase, summary, next: each a command
// and what it does), facts (the rows, each a name and a value), problems
// (each what is wrong and its fixes) and unchecked (the checks not made,
// and why). Every fix and command is written by render.
func (r *Report) JSON(w io.Writer, render func(release.Fix) string) error {
	cy := r.Cycle()
	out := jsonReport{
		Outcome:   r.Outcome(),
		Cycle:     jsonCycle{Phase: cy.Phase, Summary: cy.Summary, Next: []jsonStep{}},
		Facts:     []jsonFact{},
		Problems:  []jsonProblem{},
		Unchecked: append([]string{}, r.Unchecked...),
	}
	for _, s := range cy.Next {
		out.Cycle.Next = append(out.Cycle.Next, jsonStep{render(s.Fix), s.What})
	}
	for _, row := range r.Rows {
		out.Facts = append(out.Facts, jsonFact{row[0], row[1]})
	}
	for _, p := range r.Problems {
		jp := jsonProblem{What: p.What, Fixes: []string{}}
		for _, f := range p.Fixes {
			jp.Fixes = append(jp.Fixes, render(f))
		}
		out.Problems = append(out.Problems, jp)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
