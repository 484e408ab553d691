// Package status reports where a repository being released stands, read
// only: [Of] reads its dependency references, image pins (overlays or
// chart places), the requires between its modules, the operator pin,
// charts and their locks, the citation, the branch against the remote's
// and its latest release as the ledger of releases has it (package
// ledger: its kind, its module tags locally and on the remote, what of it
// is on another commit); [Read] also checks against Kata Containers'
// versions.yaml and, with Options.GitHub, reads the GitHub releases into
// the ledger (the latest's, a draft a problem); [Report.GitHub] adds the
// open release pull requests and the branch lock, [Report.Published] the
// published chart. [Report.Cycle] says the
// phase of the release cycle and the next steps (judged by package
// [cycle]). The [Report] is rows to
// show, [Problem] values, each with the [release.Fix] values that put it
// right, and the checks not made; [Report.Format] (and package statusjson,
// as JSON) writes it with a frontend's own words for the fixes.
//
// It changes nothing, prints nothing unless asked ([Report.WriteTo]) and
// names no command of a frontend. It does not build or run the phases
// (package release), create tags or releases (package publish), decide
// how a tag stands (package tags) or which release is the latest (package
// ledger): it asks those owners and reports.
package status
