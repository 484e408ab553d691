// Package slow says which tests go test -short leaves out: those that
// start processes (git, the go command), so that -short is the quick loop
// over the parsers, editors and plans (under 15 s), and the whole suite
// the check before a commit.
package slow

import "testing"

// Git skips t under -short: it builds git repositories and runs what
// starts git on them.
func Git(t testing.TB) {
	t.Helper()
	if testing.Short() {
		t.Skip("starts git: not with -short")
	}
}
