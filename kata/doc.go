// Package kata reads what Kata Containers' versions.yaml says at a
// release and how Kata versions compare: the release version a deps sync
// takes ([ParseVersion], [Version]), the version a repository's Kata
// references hold now ([Current], and the downgrade rule built on it,
// [DowngradeError]), and, from Kata's own repository over git, the commit
// of a release's tag and the guest-components and trustee references its
// versions.yaml names ([Remote.Release], [Names]); and the steps of a phase on a
// repository's Kata references: [Set] them to a Kata release, [Check] them
// against Kata's, and refuse a downgrade ([NoDowngrade]); and the
// references a person chose instead of Kata's ([Choice]), recorded as
// trailers of the deps-sync commit and read back from the history
// ([Choices]).
//
// It knows nothing of a release's phases or configuration: the files and
// keys it reads and writes are given to it ([Refs]).
package kata
