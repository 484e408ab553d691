package overlays_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/confidential-containers/release-tools/internal/fixture"
	"github.com/confidential-containers/release-tools/overlays"
)

// BenchmarkPinOverlays discovers and pins the 8 real v0.13.0 overlays on
// disk, the work of the process document's `kustomize edit set image` loop
// (bench/overlays/kustomize.sh times that loop). Iterations alternate
// between the release pin and latest, so every pin writes its file.
func BenchmarkPinOverlays(b *testing.B) {
	dir := b.TempDir()
	if err := fixture.Write(dir, fixture.PinImage, "before"); err != nil {
		b.Fatal(err)
	}
	benchmarkPin(b, filepath.Join(dir, overlaysRoot), 8)
}

// BenchmarkPinOverlays1000 is BenchmarkPinOverlays on 1,000 synthetic
// overlays, copies of the real ones.
func BenchmarkPinOverlays1000(b *testing.B) {
	root := b.TempDir()
	names := []string{"aws", "azure", "docker", "gcp", "ibmcloud", "ibmcloud-powervs", "libvirt", "vsphere"}
	for i := range 1000 {
		name := names[i%len(names)]
		src := fixture.MustFile(fixture.PinImage, "before", overlaysRoot+"/"+name+"/kustomization.yaml")
		dir := filepath.Join(root, fmt.Sprintf("%s-%04d", name, i))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "kustomization.yaml"), src, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	benchmarkPin(b, root, 1000)
}

func benchmarkPin(b *testing.B, root string, want int) {
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		found, err := overlays.Discover(root, image)
		if err != nil || len(found) != want {
			b.Fatalf("found %d overlays, err %v", len(found), err)
		}
		for _, o := range found {
			tag := "latest"
			if i%2 == 0 {
				tag = devTag(o, fixture.ImageSHA)
			}
			if err := overlays.PinImage(filepath.Join(root, o.File), image, tag); err != nil {
				b.Fatal(err)
			}
		}
		i++
	}
}

// BenchmarkPinImageBytes is the in-memory pin of one real overlay.
func BenchmarkPinImageBytes(b *testing.B) {
	src := fixture.MustFile(fixture.PinImage, "before", overlaysRoot+"/docker/kustomization.yaml")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := overlays.PinImageBytes(src, image, "dev-"+fixture.ImageSHA); err != nil {
			b.Fatal(err)
		}
	}
}
