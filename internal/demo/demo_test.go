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
		"== deps:sync 3.15.0", "== prerelease v0.13.0-alpha.1", "== tags v0.13.0-alpha.1 (PUSH=1)",
		"== github:release v0.13.0-alpha.1 (PUSH=1)", "pre-release, not marked latest; notes from v0.12.0-alpha.1",
		"github: branch main of confidential-containers/cloud-api-adaptor was unlocked, is locked now",
		"== release v0.13.0", "== tags v0.13.0 (PUSH=1)",
		"full release, marked latest; notes from v0.12.0", "was locked, is unlocked now",
		"== postrelease v0.13.0",
		"branch lock                        main unlocked",
		"no inconsistencies found", "demo: every phase done",
	} {
		require.Contains(t, out.String(), want)
	}
}
