package release_test

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/confidential-containers/release-tools/internal/fixture"
	"github.com/confidential-containers/release-tools/internal/gitfixture"
	"github.com/confidential-containers/release-tools/phase"
	"github.com/confidential-containers/release-tools/release"
	"github.com/confidential-containers/release-tools/release/config"
)

// The release phase of v0.13.0 as a dry run: the plan, every step and
// (not shown here) each file's diff, and nothing written.
func ExamplePhase_Run() {
	dir, err := os.MkdirTemp("", "release-example-")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	files, err := fixture.Files(fixture.ReleaseAggr, "before")
	if err != nil {
		panic(err)
	}
	if _, err := gitfixture.WithRemote(dir+"/repo", dir+"/remote.git", files, "before the release"); err != nil {
		panic(err)
	}

	rel, err := release.New(dir+"/repo", config.CAA())
	if err != nil {
		panic(err)
	}
	p, err := rel.Release(fixture.V("v0.13.0"), fixture.ImageSHA, release.Inputs{})
	if err != nil {
		panic(err)
	}
	var out strings.Builder
	if err := p.Run(context.Background(), phase.Options{DryRun: true, SkipGo: true, Out: &out}); err != nil {
		panic(err)
	}
	for _, line := range strings.Split(out.String(), "\n") {
		if !strings.HasPrefix(line, "    ") { // the diffs
			fmt.Println(line)
		}
	}
	// Output:
	//   ... listing the tags of origin (waits on the network)
	//   ... listing the tags of origin (waits on the network)
	// release v0.13.0: plan
	//   ok  check the branch against origin/main: main is at origin/main (4538eb36d781)
	//   ok  check that v0.13.0 is not tagged yet: no tag of v0.13.0 locally or on origin
	//   ok  check that v0.13.0 goes up on its line (the ledger of releases): the first release
	//   -   check that the registry has the cloud-api-adaptor images of commit 1265e4914a7b5c19cb48ed6ed9d9e138edde4121: skipped: registry check off
	//   * pin the cloud-api-adaptor image to 1265e4914a7b5c19cb48ed6ed9d9e138edde4121
	//   -   run make -C src/cloud-providers sync-chart-values: skipped: src/cloud-providers/Makefile is not there
	//   * commit "release: pin the cloud-api-adaptor image to 1265e4914a7b5c19cb48ed6ed9d9e138edde4121 for v0.13.0"
	//   * bump the requires between the repository's modules to v0.13.0
	//   -   go mod tidy (in src/cloud-api-adaptor): skipped (go commands off)
	//   -   go mod tidy (in src/csi-wrapper): skipped (go commands off)
	//   -   go mod tidy (in src/peerpod-ctrl): skipped (go commands off)
	//   -   run make -C src/cloud-providers sync-chart-values: skipped: src/cloud-providers/Makefile is not there
	//   * commit "release: move the requires between the repository's modules to v0.13.0"
	// release v0.13.0: dry run, nothing written
}
