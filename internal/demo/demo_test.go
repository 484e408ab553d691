package demo_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/demo"
)

func TestDemo(t *testing.T) {
	var out strings.Builder
	require.NoError(t, demo.Run(context.Background(), t.TempDir(), &out), out.String())
	for _, want := range []string{
		"demo: today's cycle: Helm charts (v0.21.0)",
		"== deps:sync 3.31.0", "ok  check that the registry has kata-deploy 3.31.0: oci://ghcr.io/kata-containers/kata-deploy-charts has kata-deploy 3.31.0",
		"== release v0.21.0", "move the charts to 0.3.0, appVersion v0.21.0", "== tags v0.21.0 (PUSH=1)",
		"full release, marked latest; notes from v0.20.0",
		"== postrelease v0.21.0", "unpin the kata-deploy chart (back to 0.0.0-dev) and remove its lock",
		"demo: the overlay cycle, up to v0.17.0 (v0.13.0)",
		"== deps:sync 3.15.0", "== prerelease v0.13.0-alpha.1", "== tags v0.13.0-alpha.1 (PUSH=1)",
		"== github:release v0.13.0-alpha.1 (PUSH=1)", "pre-release, not marked latest; notes from v0.12.0-alpha.1",
		"github: branch main of confidential-containers/cloud-api-adaptor was unlocked, is locked now",
		"== release v0.13.0", "== tags v0.13.0 (PUSH=1)",
		"full release, marked latest; notes from v0.12.0", "was locked, is unlocked now",
		"== postrelease v0.13.0",
		"no inconsistencies found", "demo: every phase done",
	} {
		require.Contains(t, out.String(), want)
	}
	require.Equal(t, 2, strings.Count(out.String(), "no inconsistencies found"), out.String())
}
