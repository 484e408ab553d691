package overlays_test

import (
	"testing"

	"github.com/confidential-containers/release-tools/internal/edittest"
	"github.com/confidential-containers/release-tools/internal/fixture"
	"github.com/confidential-containers/release-tools/overlays"
)

// FuzzPinImageBytes: on any input PinImageBytes either fails or returns
// output that parses, holds the new tag (or digest) for the image, and
// differs from the input only inside one line.
func FuzzPinImageBytes(f *testing.F) {
	for _, name := range []string{"docker", "gcp", "libvirt"} {
		src := fixture.MustFile(fixture.PinImage, "before", overlaysRoot+"/"+name+"/kustomization.yaml")
		f.Add(src, fixture.ImageSHA)
		f.Add(src, "dev-"+fixture.ImageSHA)
	}
	f.Add([]byte("images: [{name: cloud-api-adaptor, newTag: latest}]\r\n"), digest)
	f.Add([]byte("images:\n- name: cloud-api-adaptor\n  digest: "+digest+" # c\n"), "1.0")
	f.Fuzz(func(t *testing.T, src []byte, ref string) {
		out, err := overlays.PinImageBytes(src, image, ref)
		if err != nil {
			return
		}
		o, err := overlays.Read(out, image)
		if err != nil {
			t.Fatalf("output does not read back: %v\nout: %q", err, out)
		}
		if got := o.NewTag + o.Digest; got != ref {
			t.Fatalf("read back %q, want %q\nout: %q", got, ref, out)
		}
		if err := edittest.OneLine(src, out); err != nil {
			t.Fatal(err)
		}
	})
}
