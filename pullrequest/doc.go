// Package pullrequest proposes the commits a phase made on the current
// branch as a pull request: it pushes them to a head branch, fast-forward
// only, and opens the pull request against the release branch, or finds
// the one already open and brings it up to date ([Open]). Without
// GitHub, [Request.PushCommand] and [Request.CompareURL] say how to do it
// by hand.
//
// It is re-runnable and never destructive: a pull request open at the
// same commits is reported and left alone; new commits on top are pushed
// fast-forward and the body updated; a merged pull request is reported. A
// head branch that holds commits this branch does not have, or that
// diverged from it, is never forced or deleted: [Open] stops with a
// [*BranchError] that says what is there and what to do.
//
// The body ([Body]) is what the phase did, step by step, from the plan it
// printed (diffs folded in <details>), the commits, and the steps that
// follow once it is merged, as the caller words them. The package prints
// only to the writer it is given, names no frontend command or variable,
// and runs git through the git command, so that pushes use the user's own
// credentials (ssh agent, credential helpers) as a push by hand would.
package pullrequest
