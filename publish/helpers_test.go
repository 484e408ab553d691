package publish_test

import (
	"context"
	"strings"
	"testing"

	git "github.com/go-git/go-git/v5"
	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/fixture"
	"github.com/confidential-containers/release-tools/internal/gitfixture"
	"github.com/confidential-containers/release-tools/phase"
)

type repo struct{ root, remote string }

// open opens the repository afresh: go-git reads the list of packfiles
// once, and a phase writes its commits as a new packfile.
func (r repo) open(t testing.TB) *git.Repository {
	t.Helper()
	return openRepo(t, r.root)
}

func openRepo(t testing.TB, dir string) *git.Repository {
	t.Helper()
	g, err := git.PlainOpen(dir)
	require.NoError(t, err)
	return g
}

// caaRepo builds a CAA-shaped repository from a v0.13.0 stage's before/
// files, with a bare remote.
func caaRepo(t testing.TB, stage string) repo {
	t.Helper()
	files, err := fixture.Files(stage, "before")
	require.NoError(t, err)
	r := repo{root: t.TempDir(), remote: t.TempDir()}
	_, err = gitfixture.WithRemote(r.root, r.remote, files, "before "+stage)
	require.NoError(t, err)
	return r
}

// run runs phase p, built with err, and returns what it wrote.
func run(t *testing.T, p *phase.Phase, err error, o phase.Options) string {
	t.Helper()
	require.NoError(t, err)
	var out strings.Builder
	o.Out = &out
	require.NoError(t, p.Run(context.Background(), o), out.String())
	return out.String()
}
