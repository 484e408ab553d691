//go:build mage

// release-tools' own targets, demo and adopt, and the release targets
// (a user's magefile imports only the release targets).
package main

// Demo and Adopt are here rather than in package targets so that a
// user's mage links neither the demo's fixtures and fakes nor adopt, and
// lists neither.

import (
	"context"
	"fmt"
	"os"
	"runtime"

	"github.com/confidential-containers/release-tools/internal/adoptrun"
	"github.com/confidential-containers/release-tools/internal/demo"

	// mage:import
	_ "github.com/confidential-containers/release-tools/targets"
)

// Demo runs today's Helm cycle (v0.21 files) and the overlay cycle (v0.13.0 files) on local repositories, offline.
//
// It builds, in a new temporary folder, for each cycle a
// cloud-api-adaptor-shaped repository with a bare remote and local Kata
// Containers (and operator) repositories, then runs every phase in order:
// deps:sync, release, tags, github:release, postrelease for the charts;
// deps:sync, prerelease, tags, github:release, github:lock, release, tags,
// github:release, github:unlock and postrelease for the overlays (the go
// command run for real on small modules from a module proxy in the folder,
// PUSH=1, GitHub and the chart registry faked in the process), printing
// each plan and result, then status, and says where the folder is. In
// today's cycle each phase's commits are proposed as PR=1 does: a branch
// pushed and a pull request opened, then proposed again to show that
// nothing new is opened.
func Demo(ctx context.Context) error {
	dir, err := os.MkdirTemp("", "release-tools-demo-")
	if err != nil {
		return err
	}
	if err := demo.Run(ctx, dir, os.Stdout); err != nil {
		return fmt.Errorf("demo (in %s): %w", dir, err)
	}
	return nil
}

// Adopt writes .mage/ (a go.mod requiring these release tools with their mage as its tool, and the magefile) into the repository given with -w, tidies it and prints the command that runs the targets from there.
//
// Run from a release-tools checkout: go tool mage -w <CAA checkout> adopt
// (mage writes its own mage_output_file.go into the checkout while it
// builds; go -C <checkout> run ./cmd/adopt "$PWD" from CAA's root does
// not). For a repository without a go.mod at its root, such as cloud-api-adaptor:
// afterwards "go -C .mage tool mage -w .. <target>" runs every target from
// its root. Existing .mage files are never overwritten: it refuses and
// writes nothing. The version required is the one this mage was built
// with; a checkout has none: .mage/go.mod then replaces the module with the
// checkout, unless RELEASE_TOOLS_VERSION is set. The command cmd/adopt
// does the same without a checkout.
//
// Variables: RELEASE_TOOLS_VERSION sets the version, RELEASE_TOOLS_DIR
// replaces the module with a local checkout (to try a change; do not
// commit that go.mod), DRY_RUN=1 prints the files and writes nothing,
// SKIP_GO=1 skips go mod tidy (it needs the network).
func Adopt(ctx context.Context) error {
	_, file, _, _ := runtime.Caller(0)
	return adoptrun.Main(ctx, os.Getenv, os.Stdout, os.Stderr, adoptrun.Checkout(file))
}
