// Package status reports where a repository being released stands, read
// only: [Of] reads its dependency references, image pins (overlays or
// chart places), the requires between its modules, the operator pin,
// charts and their locks, the citation and the tags of its latest
// version, locally and on the remote; [Report.GitHub] adds the GitHub
// release and the branch lock. The [Report] is rows to show and
// [Problem] values, each with the [release.Fix] values that put it right;
// [Report.Format] writes it with a frontend's own words for the fixes.
//
// It changes nothing, prints nothing unless asked ([Report.WriteTo]) and
// names no command of a frontend. It does not build or run the phases
// (package release), create tags or releases (package publish), or decide
// how a tag stands (package tags): it asks those owners and reports.
package status
