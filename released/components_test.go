package released_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/fixture"
	"github.com/confidential-containers/release-tools/internal/gitfixture"
	"github.com/confidential-containers/release-tools/release"
	"github.com/confidential-containers/release-tools/release/config"
	"github.com/confidential-containers/release-tools/released"
)

const versionsFile = "src/cloud-api-adaptor/versions.yaml"

func stage(t *testing.T, name string) string {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, fixture.Write(dir, name, "after"))
	return dir
}

// TestReadComponents: the v0.21.0 tree, read from a directory; a Kata
// reference holding a version has no commit; a tree without a versions
// file, or with one that does not parse, and one pinned to no image.
func TestReadComponents(t *testing.T) {
	dir := stage(t, fixture.HelmRelease)
	c, err := released.ReadComponents(newRepo(t, dir, config.CAA()))
	require.NoError(t, err)
	require.Equal(t, []released.Component{
		{Name: "Kata Containers", Version: "3.31.0", Commit: fixture.HelmKataRef},
		{Name: "guest-components", Commit: fixture.HelmGuestComponents},
		{Name: "trustee", Commit: fixture.HelmTrustee},
	}, c.Refs)
	require.Equal(t, "3.31.0", c.KataDeploy)
	require.Equal(t, fixture.HelmImageSHA, c.ImageCommit)
	require.Len(t, c.Charts, 3)

	// The deps sync's tree: no image pinned, no image rows.
	c, err = released.ReadComponents(newRepo(t, stage(t, fixture.HelmDepsSync), config.CAA()))
	require.NoError(t, err)
	require.Empty(t, c.ImageCommit)
	require.Empty(t, c.Images)
	require.NotContains(t, c.Markdown(), "image")

	// A versions file that does not parse is an error; none configured
	// leaves the references out.
	require.NoError(t, os.WriteFile(filepath.Join(dir, versionsFile), []byte("oci: [\n"), 0o644))
	_, err = released.ReadComponents(newRepo(t, dir, config.CAA()))
	require.ErrorContains(t, err, versionsFile)
	cfg := config.CAA()
	cfg.VersionsFile = ""
	c, err = released.ReadComponents(newRepo(t, dir, cfg))
	require.NoError(t, err)
	require.Empty(t, c.Refs)
	require.Contains(t, c.Markdown(), "| peerpods chart | 0.3.0 |  |\n")
}

// TestComponentsAt: the components of a commit are its tree's, not the
// work tree's; a commit the repository does not have is an error that
// says to fetch it.
func TestComponentsAt(t *testing.T) {
	dir := t.TempDir()
	files, err := fixture.Files(fixture.HelmRelease, "after")
	require.NoError(t, err)
	repo, err := gitfixture.Init(dir, files, "v0.21.0")
	require.NoError(t, err)
	head, err := repo.Head()
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, versionsFile), []byte("oci: [\n"), 0o644))
	c, err := released.ComponentsAt(newRepo(t, dir, config.CAA()), head.Hash().String())
	require.NoError(t, err)
	require.Equal(t, fixture.HelmKataRef, c.Refs[0].Commit)
	_, err = released.ComponentsAt(newRepo(t, dir, config.CAA()), fixture.HelmReleaseCommit)
	require.ErrorContains(t, err, "the tagged commit "+fixture.HelmReleaseCommit)
	require.ErrorContains(t, err, "git fetch")
}

// TestMarkdown: nothing to show is no table; values that would break the
// table are escaped.
func TestMarkdown(t *testing.T) {
	require.Empty(t, released.Components{Image: "x"}.Markdown())
	got := released.Components{Refs: []released.Component{{Name: "operator", Version: "a|b\nc"}}}.Markdown()
	require.Equal(t, "## Components\n\n| Component | Version | Commit |\n| --- | --- | --- |\n| operator | a\\|b c |  |\n\n", got)
}

// newRepo is the repository at root with cfg, as release.New makes it.
func newRepo(t testing.TB, root string, cfg config.Config) release.Repo {
	t.Helper()
	rel, err := release.New(root, cfg)
	require.NoError(t, err)
	return rel
}
