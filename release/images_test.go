package release_test

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/charts/registry"
	"github.com/confidential-containers/release-tools/internal/caatest"
	"github.com/confidential-containers/release-tools/internal/fixture"
	"github.com/confidential-containers/release-tools/internal/gitfixture"
	"github.com/confidential-containers/release-tools/internal/ocifake"
	"github.com/confidential-containers/release-tools/phase"
	"github.com/confidential-containers/release-tools/release"
	"github.com/confidential-containers/release-tools/release/config"
	"github.com/confidential-containers/release-tools/steps"
)

// imageRegistry starts an in-process registry (for any host) holding the
// images refs, until the test ends.
func imageRegistry(t *testing.T, refs ...string) *registry.Client {
	t.Helper()
	reg, err := ocifake.Start()
	require.NoError(t, err)
	t.Cleanup(reg.Close)
	require.NoError(t, reg.PushImages(refs...))
	return reg.Client()
}

// TestImageCheck: before pinning, release and image:pin ask the registry
// for every image the pins name, each in its tag form; one missing stops
// the phase before anything is written and names it; a registry that
// cannot be reached stops it too; no registry skips the check and the plan
// says so.
func TestImageCheck(t *testing.T) {
	helm, overlay := fixture.HelmImages, fixture.Images
	for _, tc := range []struct {
		name, stage, sha string
		images           []string
		build            func(release.Repo, release.Inputs) (*phase.Phase, error)
	}{
		{"chart layout, release", fixture.HelmRelease, fixture.HelmImageSHA, helm, func(r release.Repo, in release.Inputs) (*phase.Phase, error) {
			return r.Release(fixture.V(fixture.HelmVersion), fixture.HelmImageSHA, in)
		}},
		{"chart layout, image:pin", fixture.HelmRelease, fixture.HelmImageSHA, helm, func(r release.Repo, in release.Inputs) (*phase.Phase, error) {
			return r.ImagePin(fixture.HelmImageSHA, in)
		}},
		{"overlay layout, release", fixture.ReleaseAggr, fixture.ImageSHA, overlay, func(r release.Repo, in release.Inputs) (*phase.Phase, error) {
			return r.Release(fixture.V(fixture.Version), fixture.ImageSHA, in)
		}},
		{"overlay layout, image:pin", fixture.PinImage, fixture.ImageSHA, overlay, func(r release.Repo, in release.Inputs) (*phase.Phase, error) {
			return r.ImagePin(fixture.ImageSHA, in)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// One repository for the dry run and the refused runs, which
			// write nothing (checked after each), then for the run that
			// commits.
			r := caatest.New(t, tc.stage)
			head, err := gitfixture.Head(r.Root)
			require.NoError(t, err)

			// No registry: skipped, said so.
			p, err := tc.build(newRepo(t, r.Root, config.CAA()), release.Inputs{})
			out := caatest.Run(t, p, err, phase.Options{SkipGo: true, DryRun: true})
			require.Contains(t, out, "  -   check that the registry has the cloud-api-adaptor images of commit "+tc.sha+": skipped: registry check off")

			for i, missing := range tc.images {
				// Every image but one: the phase stops and names it.
				var others []string
				others = append(others, tc.images[:i]...)
				others = append(others, tc.images[i+1:]...)
				p, err := tc.build(newRepo(t, r.Root, config.CAA()), release.Inputs{Registry: imageRegistry(t, others...)})
				require.NoError(t, err)
				var out strings.Builder
				err = p.Run(context.Background(), phase.Options{SkipGo: true, Out: &out})
				require.ErrorIs(t, err, steps.ErrImageMissing, missing)
				require.ErrorContains(t, err, "image not in the registry: "+missing+": the image of commit "+tc.sha+" is not built or published yet (or the commit is wrong)")
				requireFiles(t, r.Root, tc.stage, "before")
				now, err := gitfixture.Head(r.Root)
				require.NoError(t, err)
				require.Equal(t, head, now, "no commit")
			}

			// All of them: the plan names each image found.
			p, err = tc.build(newRepo(t, r.Root, config.CAA()), release.Inputs{Registry: imageRegistry(t, tc.images...)})
			out = caatest.Run(t, p, err, skipGo)
			require.Contains(t, out, "  ok  check that the registry has the cloud-api-adaptor images of commit "+tc.sha+": found "+strings.Join(tc.images, ", "))
		})
	}
}

// TestImageCheckUnreachable: an image registry that cannot be reached
// stops the pin; nothing is written.
func TestImageCheckUnreachable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	closed := l.Addr().String()
	require.NoError(t, l.Close())
	r := caatest.New(t, fixture.HelmRelease)
	p, err := newRepo(t, r.Root, config.CAA()).ImagePin(fixture.HelmImageSHA, release.Inputs{Registry: ocifake.To(closed)})
	require.NoError(t, err)
	err = p.Run(context.Background(), phase.Options{})
	require.ErrorIs(t, err, steps.ErrRegistryUnreachable)
	require.ErrorIs(t, err, registry.ErrUnreachable)
	requireFiles(t, r.Root, fixture.HelmRelease, "before")
}

// TestImageCheckForms: a place without an image beside its tag holds the
// image another place names; an overlay on a local registry is not asked;
// a place nothing names an image for is an error.
func TestImageCheckForms(t *testing.T) {
	r := caatest.New(t, fixture.PinImage)
	// The gcp overlay's newName is 192.168.122.1:5000/cloud-api-adaptor: a
	// local registry, not asked.
	p, err := newRepo(t, r.Root, config.CAA()).ImagePin(fixture.ImageSHA, release.Inputs{Registry: imageRegistry(t, fixture.Images...)})
	out := caatest.Run(t, p, err, phase.Options{})
	require.Contains(t, out, "; not asked, a local registry: 192.168.122.1:5000/cloud-api-adaptor:"+fixture.ImageSHA)

	r = caatest.New(t, fixture.HelmRelease)
	values := "src/cloud-api-adaptor/install/charts/peerpods/values.yaml"
	data, err := os.ReadFile(filepath.Join(r.Root, values))
	require.NoError(t, err)
	_, err = gitfixture.Commit(r.Open(t), map[string][]byte{values: []byte(strings.Replace(string(data), "  name: quay.io/confidential-containers/cloud-api-adaptor\n", "", 1))}, "no image name")
	require.NoError(t, err)
	p, err = newRepo(t, r.Root, config.CAA()).ImagePin(fixture.HelmImageSHA, release.Inputs{Registry: imageRegistry(t, fixture.HelmImages...)})
	require.NoError(t, err)
	err = p.Run(context.Background(), phase.Options{})
	require.ErrorContains(t, err, "src/cloud-api-adaptor/install/charts/peerpods/values.yaml: which image does its tag belong to? no place names a cloud-api-adaptor image")
}
