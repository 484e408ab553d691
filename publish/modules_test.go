package publish_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/gitfixture"
	"github.com/confidential-containers/release-tools/publish"
	"github.com/confidential-containers/release-tools/release"
)

// smallRepo is a repository of two modules, src/a and src/foo/v2 (a major
// version directory), with a bare remote.
func smallRepo(t *testing.T) (repo, *release.Config) {
	t.Helper()
	r := repo{root: t.TempDir(), remote: t.TempDir()}
	_, err := gitfixture.WithRemote(r.root, r.remote, map[string][]byte{
		"src/a/go.mod":      []byte("module example.com/r/src/a/v2\n\ngo 1.25.0\n"),
		"src/foo/v2/go.mod": []byte("module example.com/r/src/foo/v2\n\ngo 1.25.0\n"),
	}, "init")
	require.NoError(t, err)
	cfg := release.CAA()
	cfg.ExcludeModules = nil
	return r, &cfg
}

func (r repo) tag(t *testing.T, dir string, names ...string) {
	t.Helper()
	g := openRepo(t, dir)
	head, err := g.Head()
	require.NoError(t, err)
	for _, n := range names {
		_, err = g.CreateTag(n, head.Hash(), nil)
		require.NoError(t, err)
	}
}

// TestModuleVersionsPreRelease: the configured pre-release pattern, not
// the default, decides which candidate versions are valid.
func TestModuleVersionsPreRelease(t *testing.T) {
	r, cfg := smallRepo(t)
	cfg.PreRelease = `^beta\.[0-9]+$`
	r.tag(t, r.root, "src/a/v2.0.0-beta.1", "src/foo/v2.0.0-beta.1")
	mods, err := publish.ModuleVersions(release.Repo{Root: r.root, Config: *cfg}, "v2.0.0-beta.1")
	require.NoError(t, err)
	require.Len(t, mods, 2)
	require.Equal(t, "example.com/r/src/foo/v2", mods[1].Path)
	require.Equal(t, "v2.0.0-beta.1", mods[1].Version)

	_, err = publish.ModuleVersions(release.Repo{Root: r.root, Config: *cfg}, "v2.0.0-alpha.1")
	require.ErrorContains(t, err, `does not match ^beta\.[0-9]+$`)
}
