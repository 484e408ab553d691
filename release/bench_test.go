package release_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/confidential-containers/release-tools/gomod"
	"github.com/confidential-containers/release-tools/internal/caatest"
	"github.com/confidential-containers/release-tools/internal/fixture"
	"github.com/confidential-containers/release-tools/internal/gitfixture"
	"github.com/confidential-containers/release-tools/phase"
	"github.com/confidential-containers/release-tools/release"
	"github.com/confidential-containers/release-tools/release/config"
)

// BenchmarkPhases plans (a dry run: clean-tree check, every edit, the
// diffs) and applies (the same plus the writes and commits) each phase
// in-process on the CAA fixture, without the go command, each iteration on
// a fresh repository built outside the timer.
func BenchmarkPhases(b *testing.B) {
	ctx := context.Background()
	cfg := config.CAA()
	phases := []struct {
		name, stage string
		build       func(r caatest.Repo) (*phase.Phase, error)
	}{
		{"deps-sync", fixture.KataSync, func(r caatest.Repo) (*phase.Phase, error) {
			return newRepo(b, r.Root, cfg).DepsSync(ctx, kv(fixture.KataVersion), release.Inputs{KataRepo: "file://" + r.Kata})
		}},
		{"prerelease", fixture.PinOperator, func(r caatest.Repo) (*phase.Phase, error) {
			return newRepo(b, r.Root, cfg).Prerelease(ctx, fixture.V("v0.13.0-alpha.1"), release.Inputs{OperatorRef: fixture.OperatorRef, KataRepo: "file://" + r.Kata})
		}},
		{"release", fixture.ReleaseAggr, func(r caatest.Repo) (*phase.Phase, error) {
			return newRepo(b, r.Root, cfg).Release(fixture.V(fixture.Version), fixture.ImageSHA, release.Inputs{})
		}},
		{"postrelease", fixture.PostReleaseAggr, func(r caatest.Repo) (*phase.Phase, error) {
			return newRepo(b, r.Root, cfg).Postrelease(fixture.V(fixture.Version), release.Inputs{ReleaseDate: fixture.ReleaseDate, ReleaseCommit: head(b, r)})
		}},
		// Today's layout: the v0.21 cycle (charts, pins, Chart.lock).
		{"helm-deps-sync", fixture.HelmDepsSync, func(r caatest.Repo) (*phase.Phase, error) {
			return newRepo(b, r.Root, cfg).DepsSync(ctx, kv(fixture.HelmKataVersion), release.Inputs{KataRepo: "file://" + r.Kata})
		}},
		{"helm-release", fixture.HelmRelease, func(r caatest.Repo) (*phase.Phase, error) {
			return newRepo(b, r.Root, cfg).Release(fixture.V(fixture.HelmVersion), fixture.HelmImageSHA, release.Inputs{})
		}},
		{"helm-postrelease", fixture.HelmPostrelease, func(r caatest.Repo) (*phase.Phase, error) {
			return newRepo(b, r.Root, cfg).Postrelease(fixture.V(fixture.HelmPatchVersion), release.Inputs{ReleaseDate: fixture.HelmReleaseDate, ReleaseCommit: head(b, r)})
		}},
	}
	for _, ph := range phases {
		for _, dryRun := range []bool{true, false} {
			name := ph.name + "/apply"
			if dryRun {
				name = ph.name + "/plan"
			}
			b.Run(name, func(b *testing.B) {
				b.ReportAllocs()
				for range b.N {
					b.StopTimer()
					r := caatest.New(b, ph.stage)
					b.StartTimer()
					p, err := ph.build(r)
					if err != nil {
						b.Fatal(err)
					}
					if err := p.Run(ctx, phase.Options{SkipGo: true, DryRun: dryRun}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkRelease200Modules1000Overlays is the release phase on a
// synthetic repository: 200 modules (each requiring the previous one at
// v0.1.0) and 1,000 overlays, without the go command.
func BenchmarkRelease200Modules1000Overlays(b *testing.B) {
	files := map[string][]byte{
		"src/cloud-api-adaptor/versions.yaml": fixture.MustFile(fixture.ReleaseAggr, "before", "src/cloud-api-adaptor/versions.yaml"),
	}
	for i := range 200 {
		gm := fmt.Sprintf("module example.com/r/m%03d\n\ngo 1.25\n", i)
		if i > 0 {
			gm += fmt.Sprintf("\nrequire example.com/r/m%03d v0.1.0\n\nreplace example.com/r/m%03d => ../m%03d\n", i-1, i-1, i-1)
		}
		files[fmt.Sprintf("m%03d/go.mod", i)] = []byte(gm)
	}
	names := []string{"aws", "azure", "docker", "gcp", "ibmcloud", "ibmcloud-powervs", "libvirt", "vsphere"}
	for i := range 1000 {
		name := names[i%len(names)]
		files[fmt.Sprintf("src/cloud-api-adaptor/install/overlays/%s-%04d/kustomization.yaml", name, i)] =
			fixture.MustFile(fixture.ReleaseAggr, "before", "src/cloud-api-adaptor/install/overlays/"+name+"/kustomization.yaml")
	}
	ctx := context.Background()
	b.ReportAllocs()
	for range b.N {
		b.StopTimer()
		root := b.TempDir()
		if _, err := gitfixture.WithRemote(root, b.TempDir(), files, "synthetic"); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		p, err := newRepo(b, root, config.CAA()).Release(fixture.V("v0.2.0"), fixture.ImageSHA, release.Inputs{})
		if err != nil {
			b.Fatal(err)
		}
		if err := p.Run(ctx, phase.Options{SkipGo: true}); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		mods, err := gomod.Discover(root)
		if err != nil || mods[199].Requires["example.com/r/m198"] != "v0.2.0" {
			b.Fatalf("not bumped: %v", err)
		}
		if _, err := os.Stat(filepath.Join(root, "m000", "go.mod")); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}
