// Package steps holds the named steps a release is built from, for
// [phase.Phase] values another repository can compose as well: pin the
// image (kustomize overlays or [pins] places) and check that its registry
// has it, bump the requires between a repository's modules, move the
// charts and relock them, pin and unpin the kata-deploy dependency, check
// a chart dependency's registry, pin the operator, update the citation, and the checks a phase runs first (not tagged yet, not behind
// the remote's release branch, the release commit on it, the chart
// version above every chart's and not published, kata-deploy pinned).
//
// Each constructor takes what it reads and writes as arguments (a file, the
// keys, a version), not a whole configuration. A step's error is typed:
// sentinels to branch on, [*CommandsError] for an error that commands of
// another tool put right, and [*kata.SyncError] for one a deps sync puts
// right; it names no command of a frontend. The steps on the Kata
// Containers references are package kata's.
package steps
