package release_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/caatest"
	"github.com/confidential-containers/release-tools/internal/fixture"
	"github.com/confidential-containers/release-tools/internal/gitfixture"
	"github.com/confidential-containers/release-tools/kata"
	"github.com/confidential-containers/release-tools/release"
	"github.com/confidential-containers/release-tools/release/config"
)

// TestDepsSyncBadKataValues: a value of Kata's versions.yaml that is
// neither a commit nor a version stops the deps sync before anything is
// written, naming Kata's file, the key, the value and what was expected.
func TestDepsSyncBadKataValues(t *testing.T) {
	good, err := fixture.KataVersions(fixture.HelmKataVersion)
	require.NoError(t, err)
	const gcKey, trKey = "externals.coco-guest-components.version", "externals.coco-trustee.version"
	gcLine := `version: "` + fixture.HelmGuestComponents + `"`
	trLine := `version: "` + fixture.HelmTrustee + `"`
	long := strings.Repeat("a", 3000)
	for _, tc := range []struct {
		name, line, value, key, shown string
	}{
		{"empty", gcLine, `""`, gcKey, `is ""`},
		{"null", gcLine, `null`, gcKey, `is "null"`},
		{"a comment in a string", gcLine, `"x: y # z"`, gcKey, `is "x: y # z"`},
		{"3,000 characters", gcLine, `"` + long + `"`, gcKey, `... (3000 bytes)`},
		{"a short commit", trLine, `"d4e3176"`, trKey, `is "d4e3176"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := caatest.New(t, fixture.HelmDepsSync)
			kataDir := t.TempDir()
			data := strings.Replace(string(good), tc.line, "version: "+tc.value, 1)
			require.NotEqual(t, string(good), data)
			_, err := gitfixture.Releases(kataDir, gitfixture.Release{Tag: fixture.HelmKataVersion, Files: map[string][]byte{"versions.yaml": []byte(data)}})
			require.NoError(t, err)
			before := head(t, r)
			p, err := newRepo(t, r.Root, config.CAA()).DepsSync(context.Background(), kv(fixture.HelmKataVersion), release.Inputs{KataRepo: "file://" + kataDir})
			require.NoError(t, err)
			err = p.Run(context.Background(), skipGo)
			require.ErrorIs(t, err, kata.ErrBadValue)
			require.ErrorContains(t, err, "Kata Containers "+fixture.HelmKataVersion+"'s versions.yaml (file://"+kataDir+"): "+tc.key+" ")
			require.ErrorContains(t, err, tc.shown)
			require.ErrorContains(t, err, "want a commit (40 lowercase hex digits) or a version (vX.Y.Z or X.Y.Z) for src/cloud-api-adaptor/versions.yaml's ")
			require.NotContains(t, err.Error(), long, "a long value is cut")
			require.Equal(t, before, head(t, r), "no commit")
			requireFiles(t, r.Root, fixture.HelmDepsSync, "before")
		})
	}
}
