// Package tags owns the git tags of a multi-module Go repository's
// releases: the tags that can never move, because the Go module proxy
// keeps the first commit it sees for a module version forever.
//
// It owns:
//   - module tag names: [Name] and [Prefix] (src/cloud-providers/v0.13.0;
//     src/foo/v2.1.0 for the module in src/foo/v2), under Go's rules for
//     major versions;
//   - dependency order: [Ordered], a module after every module of the
//     repository it requires;
//   - where existing tags stand: [Local] and [RemoteNamed] (a remote's
//     tags, or why there are none; annotated tags peeled to their commit)
//     and [Classify], the one classifier of a tag as [Absent], [LocalOnly],
//     [Pushed] or [Conflict], used by the plan and by anyone reporting on
//     tags;
//   - which commit a version's module tags point at: [VersionCommit],
//     locally or on the remote, all on one commit or an error saying
//     which are missing or split ([ErrNoTags], [*SplitError]);
//   - the plan and its application: [NewPlan] checks the commit (the
//     remote's release branch head now, read without writing to .git, or
//     given and on that branch, [*NotOnBranchError]), the requires
//     between the modules ([RequiresError]), the caller's check of the
//     commit's tree ([Options.Check]) and every tag, and
//     [Plan.Apply] creates the missing tags and pushes them in one atomic
//     push of creates (git push --atomic), so that all land or none does
//     and no existing tag is moved, holding the repository's lock
//     (.git/release-tools.lock) so that two runs never undo each other's
//     tags;
//   - signing: signed annotated tags through git's own signing setup
//     (made and checked by internal/gitrepo).
//
// It does not edit files (the go.mod bumps are package gomod's), make the
// GitHub release (package github) or ask the module proxy (package
// goproxy); the go.mod rules it applies (the requires between the
// modules, their dependency order) are package gomod's, and the git it
// runs is in internal/gitrepo, internal/gitremote and internal/repolock.
// It takes a [version.Version], checked once where the version came in,
// and never checks it again. It prints nothing unless asked
// ([Plan.WriteTo]) and names no command of a frontend: its errors are
// typed ([ErrTagConflict] and its [*ConflictError], [ErrVersionMismatch],
// [*RequiresError], [ErrNotOnBranch] and its [*NotOnBranchError],
// [ErrHeadNotFetched], [ErrNoAtomicPush], [ErrUnsignedTag],
// [ErrWrongMajor], [ErrPlanStale], and the repository lock's busy error)
// for the frontend to turn into advice.
package tags
