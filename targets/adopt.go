package targets

import (
	"context"
	"os"
	"runtime/debug"

	"github.com/confidential-containers/release-tools/adopt"
	"github.com/confidential-containers/release-tools/internal/adoptrun"
)

// Adopt writes .mage/ (a go.mod requiring these release tools with mage as its tool, and the magefile) into the working directory, tidies it and prints the command that runs the targets from there.
//
// For a repository without a go.mod at its root, such as cloud-api-adaptor:
// afterwards "go -C .mage tool mage -w .. <target>" runs every target from
// the root. Existing .mage files are never overwritten: it refuses and
// writes nothing. The version required is the one this mage was built
// with (a checkout's pseudo-version).
//
// Variables: RELEASE_TOOLS_VERSION overrides the version,
// RELEASE_TOOLS_DIR replaces the module with a local checkout (to try a
// change; do not commit that go.mod), DRY_RUN=1 prints the files and
// writes nothing, SKIP_GO=1 skips go mod tidy (it needs the network).
func Adopt(ctx context.Context) error {
	r, err := runner()
	if err != nil {
		return err
	}
	info, _ := debug.ReadBuildInfo()
	o, err := adoptrun.Options(os.Getenv, info)
	if err != nil {
		return err
	}
	return r.Adopt(ctx, o)
}

// Adopt is adopt on the runner's repository, with its DRY_RUN and SKIP_GO.
func (r *Runner) Adopt(ctx context.Context, o adopt.Options) error {
	run := adoptrun.Run{Root: r.Root, Out: r.Out, DryRun: r.Vars.DryRun, SkipGo: r.Vars.SkipGo}
	if r.Go != nil { // a nil *gomod.Runner in the interface would not read as none
		run.Go = r.Go
	}
	return run.Adopt(ctx, o)
}
