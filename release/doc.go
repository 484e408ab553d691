// Package release composes the editors (versions, overlays, pins, charts,
// gomod) and the tags into the phases of a release of a multi-module
// repository: deps sync, prerelease, release and postrelease, plus each
// single step (operator and image pins, the requires, the charts, the
// citation). A phase is an ordered list of steps that is planned (every
// file edit as a diff) and checked in full before anything is written,
// then applied; the phase's commits land together at the end. If a step
// fails, every file the phase wrote is restored and the branch stays where
// it was. Every phase that commits first checks that its branch has every
// commit of the remote's release branch as the remote has it now
// ([steps.ErrBehind]).
//
// It owns the [Repo] that the phases are built on (its root, its
// configuration and its [Layout]) and the vocabulary of fixes ([Fix],
// [Action], [FixableError]) that the other packages return for a frontend
// to name. The configuration itself ([config.Config], the presets and
// release.yaml) is package config's, below this one.
//
// It does not report where a repository stands (package status), check
// that a tree is the release (package released), create
// or push tags, warm the module proxy or make the GitHub release and lock
// (package publish), or decide which commit a version's tags point at
// (package tags, [tags.VersionCommit]); it names no command or variable
// of a frontend.
//
// The steps the phases are built from are package steps' (the image, the
// requires, the charts, kata-deploy, the registry and branch checks) and
// package kata's (the Kata Containers references, read from Kata's
// versions.yaml at a release); this package picks and orders them by the
// repository's layout and configuration, and gives their typed errors the
// fixes of its vocabulary.
package release
