// Package status reports where a repository being released stands, read
// only: [Of] reads its dependency references, image pins (overlays or
// chart places), the requires between its modules, the operator pin,
// charts and their locks, the citation, the branch against the remote's
// and the tags of its latest version, locally and on the remote; [Read]
// also checks against Kata Containers' versions.yaml; [Report.GitHub]
// adds the GitHub release, the open release pull requests and the branch
// lock, [Report.Published] the published chart. [Report.Cycle] says the
// phase of the release cycle and the next steps (judged by package
// [cycle]). The [Report] is rows to
// show, [Problem] values, each with the [release.Fix] values that put it
// right, and the checks not made; [Report.Format] (and package statusjson,
// as JSON) writes it with a frontend's own words for the fixes.
//
// It changes nothing, prints nothing unless asked ([Report.WriteTo]) and
// names no command of a frontend. It does not build or run the phases
// (package release), create tags or releases (package publish), or decide
// how a tag stands (package tags): it asks those owners and reports.
package status
