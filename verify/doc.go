// Package verify follows what a release started and checks what it
// published: the GitHub release must be published on the commit of the
// module tags ([ReadFacts]); the workflow runs its release event started
// on that commit, and each of their jobs, must have finished green; and
// every artifact the configuration lists (config.Config.Published) must be
// in its registry, a multi-arch image with each platform the workflow
// builds ([Checker.Check], [Checker.Wait]). A [Report] names each job that
// failed with its page and each artifact missing with its reference, and
// says what could not be known (a run still in progress, a registry not
// asked): never folded into "ok". When everything passed, [Report.Announcement]
// is the Markdown for the CoCo release team, and [Announce] posts it once
// on a tracking issue. The package prints nothing but what it is given a
// writer for, and reads no environment.
package verify
