package versions_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/confidential-containers/release-tools/internal/fixture"
	"github.com/confidential-containers/release-tools/versions"
)

// BenchmarkSet sets one value in the real versions.yaml on disk, each
// iteration alternating between two values so that every Set writes.
func BenchmarkSet(b *testing.B) {
	file := filepath.Join(b.TempDir(), "versions.yaml")
	if err := os.WriteFile(file, fixture.MustFile(fixture.PinOperator, "before", versionsYAML), 0o644); err != nil {
		b.Fatal(err)
	}
	refs := []string{"main", fixture.OperatorRef}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if err := versions.Set(file, "git.coco-operator.reference", refs[i%2]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkSetBytes is the in-memory core of BenchmarkSet.
func BenchmarkSetBytes(b *testing.B) {
	src := fixture.MustFile(fixture.PinOperator, "before", versionsYAML)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := versions.SetBytes(src, "git.coco-operator.reference", fixture.OperatorRef); err != nil {
			b.Fatal(err)
		}
	}
}
