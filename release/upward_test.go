package release_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/ledger"
	"github.com/confidential-containers/release-tools/release"
	"github.com/confidential-containers/release-tools/release/config"
)

// TestCheckVersionMaintenance: the next patch of an older line is a
// maintenance release, made from another branch than the main one (its
// line's, named by RELEASE_BRANCH); from the main branch it is refused.
func TestCheckVersionMaintenance(t *testing.T) {
	cfg := config.CAA()
	tags := map[string]string{}
	for _, v := range []string{"v0.21.1", "v0.22.0"} {
		tags["src/webhook/"+v] = strings.Repeat("a", 40)
	}
	l := ledger.Read(ledger.Facts{Modules: []string{"src/webhook/"}, Remote: tags, Parse: cfg.ParseVersion})
	v, err := cfg.ParseVersion("v0.21.2")
	require.NoError(t, err)

	cfg.MainBranch = "main"
	_, err = release.Repo{Config: cfg}.CheckVersion(l, v)
	require.ErrorIs(t, err, release.ErrMaintenanceBranch)
	require.ErrorContains(t, err, "v0.21.2 is the next patch of v0.21, below the latest release v0.22.0: make it from v0.21's branch, not main")

	cfg.Branch = "release-0.21"
	line, err := release.Repo{Config: cfg}.CheckVersion(l, v)
	require.NoError(t, err)
	require.True(t, line.Maintenance)

	v, err = cfg.ParseVersion("v0.21.3")
	require.NoError(t, err)
	_, err = release.Repo{Config: cfg}.CheckVersion(l, v)
	require.ErrorIs(t, err, ledger.ErrBackwards, "a version that skips one is no maintenance release, on any branch")
}
