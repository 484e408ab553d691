package pins_test

import (
	"errors"
	"testing"

	"github.com/confidential-containers/release-tools/pins"
)

// BenchmarkPinRelease pins the six v0.21 places of 02-release: in memory
// with SetBytes over the files already read, and on disk with Set, each
// iteration alternating between the commit and latest so that every Set
// writes all six files.
func BenchmarkPinRelease(b *testing.B) {
	b.Run("bytes", func(b *testing.B) {
		dir := stageDir(b, release)
		files := before(b, release)
		type job struct {
			p   pins.Place
			src []byte
		}
		var jobs []job
		for _, p := range v021 {
			names, err := pins.Files(dir, p)
			if err != nil {
				b.Fatal(err)
			}
			for _, n := range names {
				jobs = append(jobs, job{p, files[n]})
			}
		}
		b.ReportAllocs()
		for b.Loop() {
			n := 0
			for _, j := range jobs {
				_, err := pins.SetBytes(j.p, j.src, pins.Tag(j.p.Template, sha))
				if j.p.Optional && errors.Is(err, pins.ErrNoKey) {
					continue
				}
				if err != nil {
					b.Fatal(err)
				}
				n++
			}
			if n != 6 {
				b.Fatalf("pinned %d places, want 6", n)
			}
		}
	})
	b.Run("files", func(b *testing.B) {
		root := b.TempDir()
		writeTree(b, root, before(b, release))
		shas := []string{sha, ""}
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			n := 0
			for _, p := range v021 {
				changed, err := pins.Set(root, p, pins.Tag(p.Template, shas[i%2]))
				if err != nil {
					b.Fatal(err)
				}
				n += len(changed)
			}
			if n != 6 {
				b.Fatalf("changed %d files, want 6", n)
			}
			i++
		}
	})
}
