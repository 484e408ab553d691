package verify

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/confidential-containers/release-tools/github"
)

// Sentinel errors of [Report.Err].
var (
	// ErrFailed: a job failed, or an artifact is missing, or the release
	// is not what it must be.
	ErrFailed = errors.New("the release is not complete")
	// ErrUnknown: nothing failed, but something could not be known (a
	// run in progress, a registry not asked).
	ErrUnknown = errors.New("the release could not be verified completely")
)

// Finding is one thing that failed or could not be known.
type Finding struct {
	Failed bool   // else not known
	What   string // what, with its page or reference
	Err    error  // the error that kept it from being known, if any
}

// RunResult is a workflow run of the release event and its jobs.
type RunResult struct {
	Run  github.Run
	Jobs []github.Job
}

// ArtifactResult is one published artifact as its registry answered.
type ArtifactResult struct {
	Ref       string
	Chart     bool     // a chart ({chartVersion})
	Platforms []string // the platforms asked for, if any
	Found     bool
	Asked     bool // the registry answered
}

// Report is what [Checker.Check] found.
type Report struct {
	Facts     Facts
	Runs      []RunResult
	Artifacts []ArtifactResult
	Findings  []Finding
}

func (r *Report) fail(format string, args ...any) {
	r.Findings = append(r.Findings, Finding{Failed: true, What: fmt.Sprintf(format, args...)})
}

func (r *Report) unknown(format string, args ...any) {
	r.Findings = append(r.Findings, Finding{What: fmt.Sprintf(format, args...)})
}

// unknownErr is unknown with the error that kept it from being known.
func (r *Report) unknownErr(err error, format string, args ...any) {
	r.Findings = append(r.Findings, Finding{What: fmt.Sprintf(format, args...), Err: err})
}

// Err is nil when everything passed; else an error wrapping [ErrFailed]
// when anything failed, or [ErrUnknown] when something could not be
// known.
func (r *Report) Err() error {
	failed, unknown := 0, 0
	for _, f := range r.Findings {
		if f.Failed {
			failed++
		} else {
			unknown++
		}
	}
	switch {
	case failed > 0:
		return fmt.Errorf("verify: %s: %w (%d failed, %d not known)", r.Facts.Version, ErrFailed, failed, unknown)
	case unknown > 0:
		return fmt.Errorf("verify: %s: %w (%d not known)", r.Facts.Version, ErrUnknown, unknown)
	}
	return nil
}

// InProgress reports whether a run or job of the release is not finished
// (or none has started yet).
func (r *Report) InProgress() bool {
	if len(r.Runs) == 0 {
		return true
	}
	for _, run := range r.Runs {
		if !run.Run.Done() {
			return true
		}
		for _, j := range run.Jobs {
			if !j.Done() {
				return true
			}
		}
	}
	return false
}

// WriteTo writes the report for a person: the release, each run with its
// jobs, each artifact, then what failed and what is not known.
func (r *Report) WriteTo(w io.Writer) (int64, error) {
	var b strings.Builder
	f := r.Facts
	fmt.Fprintf(&b, "verify: %s of %s, module tags on %s\n", f.Version, f.Repo, short(f.Commit))
	if f.Release != nil {
		fmt.Fprintf(&b, "  release  %s %s\n", releaseWord(f.Release), f.Release.URL)
	}
	for _, run := range r.Runs {
		fmt.Fprintf(&b, "  run      %s: %s %s\n", run.Run.Name, state(run.Run.Status, run.Run.Conclusion), run.Run.URL)
		for _, j := range run.Jobs {
			fmt.Fprintf(&b, "    job    %s: %s %s\n", j.Name, state(j.Status, j.Conclusion), j.URL)
		}
	}
	for _, a := range r.Artifacts {
		word := "found"
		switch {
		case !a.Asked:
			word = "not known"
		case !a.Found:
			word = "MISSING"
		}
		plat := ""
		if len(a.Platforms) > 0 {
			plat = " (" + strings.Join(a.Platforms, ", ") + ")"
		}
		fmt.Fprintf(&b, "  artifact %s%s: %s\n", a.Ref, plat, word)
	}
	for _, x := range r.Findings {
		if x.Failed {
			fmt.Fprintf(&b, "FAILED: %s\n", x.What)
		}
	}
	for _, x := range r.Findings {
		if !x.Failed {
			fmt.Fprintf(&b, "NOT KNOWN: %s\n", x.What)
		}
	}
	if len(r.Findings) == 0 {
		fmt.Fprintf(&b, "verify: %s is complete: every run finished green and every artifact is published\n", f.Version)
	}
	n, err := io.WriteString(w, b.String())
	return int64(n), err
}

func releaseWord(r *github.Release) string {
	switch {
	case r.Draft:
		return "draft"
	case r.Prerelease:
		return "pre-release"
	}
	return "published"
}

func state(status, conclusion string) string {
	if status != "completed" {
		return strings.ReplaceAll(status, "_", " ")
	}
	return conclusion
}

func short(c string) string {
	if len(c) > 12 {
		return c[:12]
	}
	return c
}
