package release_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/gitfixture"
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

// TestAlreadyTaggedMajorDir: the tag of a module in a /vN directory has no
// /vN in its name (src/foo/v2.0.0), and a version tagged so is refused.
func TestAlreadyTaggedMajorDir(t *testing.T) {
	for _, where := range []string{"local", "remote"} {
		t.Run(where, func(t *testing.T) {
			r, cfg := smallRepo(t)
			dir := r.root
			if where == "remote" {
				dir = r.remote
			}
			r.tag(t, dir, "src/foo/v2.0.0")
			p, err := release.Repo{Root: r.root, Config: *cfg}.GomodBump("v2.0.0")
			require.NoError(t, err)
			err = p.Run(context.Background(), skipGo)
			require.ErrorIs(t, err, release.ErrTagged)
			require.ErrorContains(t, err, "src/foo/v2.0.0 (")
			require.ErrorContains(t, err, "prepare v2.0.1 instead")
		})
	}
}
