// Package caatest builds, for the tests, cloud-api-adaptor-shaped git
// repositories from the fixture stages, each with a bare remote and a
// local Kata Containers repository, and runs phases on them.
package caatest

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	git "github.com/go-git/go-git/v5"
	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/fixture"
	"github.com/confidential-containers/release-tools/internal/gitfixture"
	"github.com/confidential-containers/release-tools/internal/slow"
	"github.com/confidential-containers/release-tools/phase"
)

// Repo is a repository built from a stage: its work tree, its bare
// remote ("origin") and a Kata Containers repository (file:// URL
// "file://"+Kata) with every Kata release of the fixtures tagged. The
// tests only read Kata: under gitfixture.Main, the tests of a binary
// share one, built once.
type Repo struct{ Root, Remote, Kata string }

// New builds a repository from a stage's before/ files: a copy of one
// built once per stage and process.
func New(t testing.TB, stage string) Repo {
	t.Helper()
	slow.Git(t)
	tp, _ := templates.LoadOrStore(stage, &gitfixture.Template{Build: func(dirs ...string) error {
		files, err := fixture.Files(stage, "before")
		if err != nil {
			return err
		}
		_, err = gitfixture.WithRemote(dirs[0], dirs[1], files, "before "+stage)
		return err
	}})
	r := Repo{Root: t.TempDir(), Remote: t.TempDir(), Kata: kata(t)}
	require.NoError(t, tp.(*gitfixture.Template).Copy(r.Root, r.Remote))
	return r
}

// templates holds the repositories New copies, by stage.
var templates sync.Map

// sharedKata is the Kata repository the tests of the binary share.
var sharedKata = sync.OnceValues(func() (string, error) {
	dir := filepath.Join(gitfixture.MainDir(), "kata")
	return dir, writeKata(dir)
})

// kata is a Kata Containers repository with every Kata release of the
// fixtures tagged: the binary's shared one under gitfixture.Main, else one
// of the test's own.
func kata(t testing.TB) string {
	t.Helper()
	if gitfixture.MainDir() == "" {
		dir := t.TempDir()
		require.NoError(t, writeKata(dir))
		return dir
	}
	dir, err := sharedKata()
	require.NoError(t, err)
	return dir
}

func writeKata(dir string) error {
	releases, err := fixture.KataReleases("3.14.0", fixture.KataVersion, fixture.HelmKataVersion)
	if err != nil {
		return err
	}
	_, err = gitfixture.Releases(dir, releases...)
	return err
}

// Open opens the repository afresh: go-git reads the list of packfiles
// once, and a phase writes its commits as a new packfile.
func (r Repo) Open(t testing.TB) *git.Repository {
	t.Helper()
	return Open(t, r.Root)
}

// Open opens the repository at dir.
func Open(t testing.TB, dir string) *git.Repository {
	t.Helper()
	g, err := git.PlainOpen(dir)
	require.NoError(t, err)
	return g
}

// Run runs phase p, built with err, and returns what it wrote.
func Run(t *testing.T, p *phase.Phase, err error, o phase.Options) string {
	t.Helper()
	require.NoError(t, err)
	var out strings.Builder
	o.Out = &out
	require.NoError(t, p.Run(context.Background(), o), out.String())
	return out.String()
}

// Small builds a repository of two modules, src/a and src/foo/v2 (a
// major version directory), with a bare remote and no Kata repository.
func Small(t testing.TB) Repo {
	t.Helper()
	slow.Git(t)
	r := Repo{Root: t.TempDir(), Remote: t.TempDir()}
	_, err := gitfixture.WithRemote(r.Root, r.Remote, map[string][]byte{
		"src/a/go.mod":      []byte("module example.com/r/src/a/v2\n\ngo 1.25.0\n"),
		"src/foo/v2/go.mod": []byte("module example.com/r/src/foo/v2\n\ngo 1.25.0\n"),
	}, "init")
	require.NoError(t, err)
	return r
}

// Tag tags the head of the repository at dir with each name.
func Tag(t testing.TB, dir string, names ...string) {
	t.Helper()
	g := Open(t, dir)
	head, err := g.Head()
	require.NoError(t, err)
	for _, n := range names {
		_, err = g.CreateTag(n, head.Hash(), nil)
		require.NoError(t, err)
	}
}

// Messages returns the messages of the last n commits on HEAD, newest first.
func (r Repo) Messages(t testing.TB, n int) []string {
	t.Helper()
	iter, err := r.Open(t).Log(&git.LogOptions{})
	require.NoError(t, err)
	var out []string
	for len(out) < n {
		c, err := iter.Next()
		require.NoError(t, err)
		out = append(out, c.Message)
	}
	return out
}
