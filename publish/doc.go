// Package publish does the steps of a release that come after its pull
// request is merged and that the world sees: the module tags
// ([Tags], only on a commit of the release branch that is the release,
// [released.Check], with the module proxy asked first), the
// module versions to
// warm the proxy with ([ModuleVersions]), the GitHub release
// ([GitHubRelease], on the commit the tags point at on the remote,
// [PushedCommit]) and the lock of the release branch ([GitHubLock]).
// Each takes a [release.Repo], plans first and writes its plan to the
// given writer, and changes the remote or GitHub only when asked to push.
//
// It does not edit files or make commits (the phases are package
// release's), report where a repository stands (package status), or name
// the tags and decide where they stand (package tags): it composes those
// with packages goproxy and github. It names no command or variable of a
// frontend: errors that a step of the release puts right carry
// [release.Fix] values ([release.Fixes]).
package publish
