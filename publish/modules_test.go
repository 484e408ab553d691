package publish_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/caatest"
	"github.com/confidential-containers/release-tools/publish"
	"github.com/confidential-containers/release-tools/release/config"
)

// smallRepo is caatest.Small with the CAA preset, no module excluded.
func smallRepo(t *testing.T) (caatest.Repo, *config.Config) {
	t.Helper()
	cfg := config.CAA()
	cfg.ExcludeModules = nil
	return caatest.Small(t), &cfg
}

// TestModuleVersionsPreRelease: the configured pre-release pattern, not
// the default, decides which candidate versions are valid.
func TestModuleVersionsPreRelease(t *testing.T) {
	r, cfg := smallRepo(t)
	cfg.PreRelease = `^beta\.[0-9]+$`
	caatest.Tag(t, r.Root, "src/a/v2.0.0-beta.1", "src/foo/v2.0.0-beta.1")
	mods, err := publish.ModuleVersions(newRepo(t, r.Root, *cfg), "v2.0.0-beta.1")
	require.NoError(t, err)
	require.Len(t, mods, 2)
	require.Equal(t, "example.com/r/src/foo/v2", mods[1].Path)
	require.Equal(t, "v2.0.0-beta.1", mods[1].Version)

	_, err = publish.ModuleVersions(newRepo(t, r.Root, *cfg), "v2.0.0-alpha.1")
	require.ErrorContains(t, err, `does not match ^beta\.[0-9]+$`)
}
