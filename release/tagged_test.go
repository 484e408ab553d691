package release_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/caatest"
	"github.com/confidential-containers/release-tools/internal/fixture"
	"github.com/confidential-containers/release-tools/release/config"
	"github.com/confidential-containers/release-tools/steps"
)

// smallRepo is caatest.Small with the CAA preset, no module excluded.
func smallRepo(t *testing.T) (caatest.Repo, *config.Config) {
	t.Helper()
	cfg := config.CAA()
	cfg.ExcludeModules = nil
	return caatest.Small(t), &cfg
}

// TestAlreadyTaggedMajorDir: the tag of a module in a /vN directory has no
// /vN in its name (src/foo/v2.0.0), and a version tagged so is refused.
func TestAlreadyTaggedMajorDir(t *testing.T) {
	for _, where := range []string{"local", "remote"} {
		t.Run(where, func(t *testing.T) {
			r, cfg := smallRepo(t)
			dir := r.Root
			if where == "remote" {
				dir = r.Remote
			}
			caatest.Tag(t, dir, "src/foo/v2.0.0")
			p, err := newRepo(t, r.Root, *cfg).GomodBump(fixture.V("v2.0.0"))
			require.NoError(t, err)
			err = p.Run(context.Background(), skipGo)
			require.ErrorIs(t, err, steps.ErrTagged)
			require.ErrorContains(t, err, "src/foo/v2.0.0 (")
			require.ErrorContains(t, err, "prepare v2.0.1 instead")
		})
	}
}
