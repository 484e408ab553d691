package status

import (
	"fmt"
	"strings"

	"github.com/confidential-containers/release-tools/release"
	"github.com/confidential-containers/release-tools/verify"
)

// Verified adds to the report what the release of the report's version
// started and published, as package verify found it
// ([verify.Checker.CheckRuns], then [verify.Checker.CheckArtifacts] once
// the runs finished): a row per workflow run of its release event; a job
// that failed or an artifact missing is a problem, fixed by verifying
// again once put right; a run in progress, or a registry not asked, is a
// check not made. A release whose event started no run (a repository
// without a release workflow, or GitHub not yet) adds nothing.
func (r *Report) Verified(v *verify.Report) {
	if v == nil || len(v.Runs) == 0 {
		return
	}
	var runs []string
	for _, run := range v.Runs {
		state := run.Run.Conclusion
		if !run.Run.Done() {
			state = strings.ReplaceAll(run.Run.Status, "_", " ")
		}
		runs = append(runs, fmt.Sprintf("%s: %s %s", run.Run.Name, state, run.Run.URL))
	}
	r.row("release workflow", strings.Join(runs, "; "))
	again := release.Fix{Action: release.ActionVerify, Args: []string{v.Facts.Version.String()}}
	for _, f := range v.Findings {
		if f.Failed {
			r.problem("the release "+v.Facts.Version.String()+": "+f.What, again)
		} else {
			r.Unchecked = append(r.Unchecked, fmt.Sprintf("the release %s: %s (then: %s)", v.Facts.Version, f.What, again))
		}
	}
}
