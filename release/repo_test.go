package release_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/fixture"
	"github.com/confidential-containers/release-tools/kata"
	"github.com/confidential-containers/release-tools/phase"
	"github.com/confidential-containers/release-tools/pins"
	"github.com/confidential-containers/release-tools/release"
	"github.com/confidential-containers/release-tools/release/config"
	"github.com/confidential-containers/release-tools/version"
)

// TestCheckRef: one check for a git reference, from an argument or a
// variable: operator:pin ../../x was committed while OPERATOR_REF=../../x
// was refused.
func TestCheckRef(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{"v0.13.0", "main", "feature/x-1", "1265e4914a7b5c19cb48ed6ed9d9e138edde4121"} {
		require.NoError(t, config.CheckRef(ok), ok)
	}
	for _, bad := range []string{"", "../../x", "*alias", "--upload-pack=x", "a b", ".hidden", "a..b", "a//b", "a/", "a.", "x.lock", strings.Repeat("a", 5000)} {
		require.ErrorIs(t, config.CheckRef(bad), config.ErrBadRef, bad)
	}
	_, err := newRepo(t, t.TempDir(), config.CAA()).OperatorPin("../../x")
	require.ErrorIs(t, err, config.ErrBadRef)
	_, err = newRepo(t, t.TempDir(), config.CAA()).Release(fixture.V("v0.16.0-rc.1"), pins.Commit(strings.Repeat("a", 40)), release.Inputs{})
	require.ErrorContains(t, err, "v0.16.0-rc.1 is a candidate: the release phase takes vX.Y.Z")
}

// TestLayoutOnce: Open decides the layout from the files present, and a
// Repo carries it: the phases use the layout it holds, not the files of
// the moment; a repository with neither layout is an error from Open and
// from every phase of a Repo made without one, never dropped.
func TestLayoutOnce(t *testing.T) {
	dir := t.TempDir()
	overlays := filepath.Join(dir, filepath.FromSlash(config.CAA().OverlaysRoot))
	require.NoError(t, os.MkdirAll(overlays, 0o755))
	rel, err := release.Open(dir)
	require.NoError(t, err)
	requireLayout(t, release.OverlayLayout, rel)
	require.NoError(t, os.RemoveAll(overlays))
	requireLayout(t, release.OverlayLayout, rel, "decided once: the Repo keeps it")
	chart, err := release.Open(dir)
	require.NoError(t, err)
	requireLayout(t, release.ChartLayout, chart, "no overlays: the pins")

	cfg := config.CAA()
	cfg.Pins = nil
	_, err = release.New(dir, cfg)
	require.ErrorContains(t, err, "the repository has neither layout")
	// A Repo not made by New has no layout: refused, never taken as one.
	lit := release.Repo{Root: dir, Config: config.CAA()}
	_, err = lit.Layout()
	require.ErrorIs(t, err, release.ErrNoLayout)
	_, err = lit.Release(fixture.V("v1.0.0"), pins.Commit(strings.Repeat("a", 40)), release.Inputs{})
	require.ErrorIs(t, err, release.ErrNoLayout)
	_, err = lit.Postrelease(fixture.V("v1.0.0"), release.Inputs{})
	require.ErrorIs(t, err, release.ErrNoLayout)
	_, err = lit.ImageUnpin()
	require.ErrorIs(t, err, release.ErrNoLayout)
}

// requireLayout requires rel to carry the layout want.
func requireLayout(t *testing.T, want release.Layout, rel release.Repo, msg ...any) {
	t.Helper()
	got, err := rel.Layout()
	require.NoError(t, err)
	require.Equal(t, want, got, msg...)
}

// newRepo is the repository at root with cfg, as release.New makes it.
func newRepo(t testing.TB, root string, cfg config.Config) release.Repo {
	t.Helper()
	rel, err := release.New(root, cfg)
	require.NoError(t, err)
	return rel
}

// TestPresets: release.yaml's preset selects the preset its fields are
// laid over; the charts preset leaves empty what CoCo's charts repository
// does not have (versions file, image, modules, citation) and loads.
func TestPresets(t *testing.T) {
	dir := t.TempDir()
	write := func(data string) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, "release.yaml"), []byte(data), 0o644))
	}
	write("preset: charts\n")
	cfg, err := config.LoadConfig(dir)
	require.NoError(t, err)
	require.Equal(t, config.ChartsRepo(), cfg)
	require.Empty(t, cfg.VersionsFile+cfg.Image+cfg.Citation)
	rel, err := release.Open(dir)
	require.NoError(t, err)
	requireLayout(t, release.ChartLayout, rel, "charts alone")

	write("preset: cloud-api-adaptor\nbranch: release-0.21\n")
	cfg, err = config.LoadConfig(dir)
	require.NoError(t, err)
	want := config.CAA()
	want.Branch = "release-0.21"
	require.Equal(t, want, cfg)

	write("preset: charts\nchecks: [make sync-chart-values]\n")
	cfg, err = config.LoadConfig(dir)
	require.NoError(t, err)
	require.Equal(t, []config.Check{{Run: "make sync-chart-values"}}, cfg.Checks)

	for data, want := range map[string]string{
		"preset: chart\n": `preset "chart": want "cloud-api-adaptor" or "charts"`,
		"preset: charts\npins: [{kind: yaml, file: v.yaml, key: image.tag}]\n": "pins hold the tag of an image: give image",
		"preset: charts\nimage: x\n":                 "give overlaysRoot",
		"preset: charts\nchartAppVersion: v\n":       `chartAppVersion "v": want release or chart`,
		"preset: charts\nchecks: ['  ']\n":           "checks[0]: empty command",
		"preset: charts\nkataDeployDependency: ''\n": "kataDeployChart needs kataDeployDependency",
	} {
		write(data)
		_, err := config.LoadConfig(dir)
		require.ErrorContains(t, err, want, data)
	}
}

// kv is s as a Kata version; it panics on one kata.ParseVersion refuses.
func kv(s string) kata.Version {
	v, err := kata.ParseVersion(s)
	if err != nil {
		panic(err)
	}
	return v
}

// TestZeroVersionRefused: a phase handed no version (the zero
// version.Version) plans nothing.
func TestZeroVersionRefused(t *testing.T) {
	t.Parallel()
	rel := newRepo(t, t.TempDir(), config.CAA())
	var none version.Version
	for what, build := range map[string]func() (*phase.Phase, error){
		"prerelease":      func() (*phase.Phase, error) { return rel.Prerelease(context.Background(), none, release.Inputs{}) },
		"release":         func() (*phase.Phase, error) { return rel.Release(none, fixture.ImageSHA, release.Inputs{}) },
		"postrelease":     func() (*phase.Phase, error) { return rel.Postrelease(none, release.Inputs{}) },
		"gomod:bump":      func() (*phase.Phase, error) { return rel.GomodBump(none) },
		"citation:update": func() (*phase.Phase, error) { return rel.CitationUpdate(none, release.Inputs{}) },
	} {
		p, err := build()
		require.ErrorContains(t, err, what+": no version given", what)
		require.Nil(t, p, what)
	}
}
