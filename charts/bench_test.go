package charts

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

const peerpodsDir = "src/cloud-api-adaptor/install/charts/peerpods"

// BenchmarkLock writes the Chart.lock of the v0.21.0 peerpods chart from
// the bytes of its Chart.yaml.
func BenchmarkLock(b *testing.B) {
	src, err := os.ReadFile(filepath.Join(v021, peerpodsDir, ChartFile))
	if err != nil {
		b.Fatal(err)
	}
	local := func(Dependency) (string, error) { return "0.3.0", nil }
	generated := time.Date(2026, 5, 26, 10, 12, 12, 893953000, time.FixedZone("", 3600))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := LockBytes(peerpodsDir, src, local, generated); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDiscover finds and reads the three charts of the v0.21.0 tree.
func BenchmarkDiscover(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Discover(v021); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSetVersion sets the peerpods chart's version.
func BenchmarkSetVersion(b *testing.B) {
	src, err := os.ReadFile(filepath.Join(v021, peerpodsDir, ChartFile))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := SetVersionBytes(src, "0.4.0"); err != nil {
			b.Fatal(err)
		}
	}
}
