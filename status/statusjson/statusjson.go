// Package statusjson writes a [status.Report] as one JSON object ([Write]):
// where a repository stands, in the form a script reads.
package statusjson

import (
	"encoding/json"
	"io"

	"github.com/confidential-containers/release-tools/release"
	"github.com/confidential-containers/release-tools/status"
	"github.com/confidential-containers/release-tools/status/cycle"
)

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

// Write writes the same report as [status.Report.Format] as one JSON
// object: outcome ([status.Report.Outcome]), cycle (phase, summary, next: each a command
// and what it does), facts (the rows, each a name and a value), problems
// (each what is wrong and its fixes) and unchecked (the checks not made,
// and why). Every fix and command is written by render.
func Write(w io.Writer, r *status.Report, render func(release.Fix) string) error {
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

// OutcomeError is the outcome [WriteError] writes: no report, the run
// could not be made.
const OutcomeError = "error"

// WriteError writes, in place of a report, the one JSON object that says
// the report could not be made and why: {"outcome": "error", "error":
// err's message}. A script reading the outcome of [Write] reads this one
// the same way.
func WriteError(w io.Writer, err error) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		Outcome string `json:"outcome"`
		Error   string `json:"error"`
	}{OutcomeError, err.Error()})
}
