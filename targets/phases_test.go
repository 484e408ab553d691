package targets

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/charts/registry"
	"github.com/confidential-containers/release-tools/gomod"
	"github.com/confidential-containers/release-tools/internal/fixture"
	"github.com/confidential-containers/release-tools/internal/gitfixture"
	"github.com/confidential-containers/release-tools/internal/goproxytest"
	"github.com/confidential-containers/release-tools/internal/magevars"
	"github.com/confidential-containers/release-tools/internal/ocifake"
	"github.com/confidential-containers/release-tools/internal/slow"
)

// world is a CAA-shaped repository from a v0.13.0 stage, its bare remote,
// a local Kata Containers repository (tags 3.14.0, 3.15.0), an operator
// repository where a test asks for one, and the shared in-process
// registry holding the images and kata-deploy chart the fixtures'
// releases pin.
type world struct {
	root, remote, kata, operator string
	reg                          *registry.Client
}

// raceWait is the tests' wait for another run's pull request: the
// ten seconds a run waits would be the tests' longest waits.
const raceWait = 50 * time.Millisecond

// shared is the registry every world reads, started once per test binary:
// no test pushes to it (a test that pushes starts its own).
var shared struct {
	once sync.Once
	reg  *ocifake.Registry
	err  error
}

// fakeRegistry is a client of an in-process registry, for any host,
// holding the images of both fixture cycles and kata-deploy at the v0.21
// cycle's Kata version. It is shared by the test binary's worlds: read
// it, never push to it.
func fakeRegistry(t *testing.T) *registry.Client {
	t.Helper()
	shared.once.Do(func() {
		shared.reg, shared.err = ocifake.Start()
		if shared.err != nil {
			return
		}
		shared.err = shared.reg.PushImages(append(fixture.Images, fixture.HelmImages...)...)
		if shared.err == nil {
			shared.err = shared.reg.Push("kata-containers/kata-deploy-charts/kata-deploy", "3.14.0", fixture.KataVersion, fixture.HelmKataVersion)
		}
	})
	require.NoError(t, shared.err)
	return shared.reg.Client()
}

// newWorld is a world at a v0.13.0 stage; its operator repository is
// made by [world.withOperator], for the tests whose phase reads it.
func newWorld(t *testing.T, stage string) world {
	t.Helper()
	slow.Git(t)
	w := world{root: t.TempDir(), remote: t.TempDir(), kata: t.TempDir(), reg: fakeRegistry(t)}
	files, err := fixture.Files(stage, "before")
	require.NoError(t, err)
	_, err = gitfixture.WithRemote(w.root, w.remote, files, "before "+stage)
	require.NoError(t, err)
	releases, err := fixture.KataReleases("3.14.0", fixture.KataVersion, fixture.HelmKataVersion)
	require.NoError(t, err)
	_, err = gitfixture.Releases(w.kata, releases...)
	require.NoError(t, err)
	return w
}

// withOperator is w with a local operator repository, which the
// prerelease reads for the head of its main.
func (w world) withOperator(t *testing.T) world {
	t.Helper()
	w.operator = t.TempDir()
	_, err := gitfixture.Init(w.operator, map[string][]byte{"README.md": []byte("operator\n")}, "operator")
	require.NoError(t, err)
	return w
}

// runner is a Runner on the world with vars, defaults filled in.
func (w world) runner(vars magevars.Vars) (*runner, *strings.Builder) {
	if vars.KataRepo == "" {
		vars.KataRepo = "file://" + w.kata
	}
	if vars.OperatorRepo == "" && w.operator != "" {
		vars.OperatorRepo = "file://" + w.operator
	} else if vars.OperatorRepo == "" {
		vars.OperatorRepo = "file://" + filepath.Join(w.root, ".no-operator") // never the network
	}
	vars.GoProxy = "off"
	out := &strings.Builder{}
	return &runner{Root: w.root, Vars: vars, Out: out, Registry: w.reg, raceWait: raceWait}, out
}

// reset moves main, the index and the work tree back to origin/main, as
// the world was made: the next use of the world in the same test starts
// from there.
func (w world) reset(t *testing.T) {
	t.Helper()
	repo, err := git.PlainOpen(w.root)
	require.NoError(t, err)
	origin, err := repo.Reference(plumbing.NewRemoteReferenceName("origin", "main"), true)
	require.NoError(t, err)
	wt, err := repo.Worktree()
	require.NoError(t, err)
	require.NoError(t, wt.Reset(&git.ResetOptions{Commit: origin.Hash(), Mode: git.HardReset}))
}

func (w world) log(t *testing.T, n int) []string {
	t.Helper()
	repo, err := git.PlainOpen(w.root)
	require.NoError(t, err)
	iter, err := repo.Log(&git.LogOptions{})
	require.NoError(t, err)
	var msgs []string
	for range n {
		c, err := iter.Next()
		require.NoError(t, err)
		msgs = append(msgs, c.Message)
	}
	return msgs
}

const signOff = "\n\nSigned-off-by: " + gitfixture.Name + " <" + gitfixture.Email + ">\n"

// TestPhaseTargets: what the phase targets decide themselves (the
// operator's main head by default). The v0.13.0 stages each phase
// reproduces byte for byte are package release's golden tests, and
// through the compiled frontend internal/e2e's TestOverlayRelease, which
// also checks that PUSH=1 tags pushes exactly the five module tags (the
// podvm placeholder never tagged).
func TestPhaseTargets(t *testing.T) {
	ctx := context.Background()
	t.Run("prerelease pins the operator's main head by default", func(t *testing.T) {
		t.Parallel()
		w := newWorld(t, fixture.PinOperator).withOperator(t)
		head, err := gitfixture.Head(w.operator)
		require.NoError(t, err)
		r, out := w.runner(magevars.Vars{SkipGo: true})
		require.NoError(t, r.Prerelease(ctx, "v0.13.0-alpha.1"), out.String())
		data, err := os.ReadFile(filepath.Join(w.root, versionsYAML))
		require.NoError(t, err)
		require.Contains(t, string(data), "reference: "+head+"\n")
	})
}

// head is the commit the world's main, and its remote's, are at.
func (w world) head(t *testing.T) string {
	t.Helper()
	h, err := gitfixture.Head(w.root)
	require.NoError(t, err)
	return h
}

// requireCitation checks CITATION.cff is the stage's after/ one, citing
// commit instead of the fixture's (which is not in the test's history).
func requireCitation(t *testing.T, root, stage, fixtureCommit, commit string) {
	t.Helper()
	want := strings.ReplaceAll(string(fixture.MustFile(stage, "after", "CITATION.cff")), fixtureCommit, commit)
	got, err := os.ReadFile(filepath.Join(root, "CITATION.cff"))
	require.NoError(t, err)
	require.Equal(t, want, string(got))
}

// state is everything a target could change: the work tree's files, and
// the refs and index of the repository and of its remote.
func state(t *testing.T, w world) map[string]string {
	t.Helper()
	s := map[string]string{}
	require.NoError(t, filepath.WalkDir(w.root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".git" {
			return filepath.SkipDir
		}
		if !d.IsDir() {
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			s[p] = string(data)
		}
		return nil
	}))
	idx, err := os.ReadFile(filepath.Join(w.root, ".git", "index"))
	require.NoError(t, err)
	s["index"] = string(idx)
	for _, dir := range []string{w.root, w.remote} {
		repo, err := git.PlainOpen(dir)
		require.NoError(t, err)
		refs, err := repo.References()
		require.NoError(t, err)
		require.NoError(t, refs.ForEach(func(r *plumbing.Reference) error {
			s[dir+" "+r.Name().String()] = r.String()
			return nil
		}))
	}
	return s
}

// TestDryRunTouchesNothing: with DRY_RUN=1 every target prints its plan
// and leaves the tree, the repository and the remote as they were. The
// targets share the world of a stage where each has something to plan:
// one dry run after the other, each checked to have changed nothing.
func TestDryRunTouchesNothing(t *testing.T) {
	ctx := context.Background()
	type dry struct {
		name string
		run  func(r *runner) error
		want string
	}
	for _, stage := range []struct {
		stage string
		runs  []dry
	}{
		{fixture.KataSync, []dry{
			{"deps:sync", func(r *runner) error { return r.DepsSync(ctx, fixture.KataVersion) }, "+    reference: 3.15.0"},
		}},
		{fixture.PinOperator, []dry{
			{"release", func(r *runner) error { return r.Release(ctx, fixture.Version, fixture.ImageSHA) }, "+  newTag: " + fixture.ImageSHA},
			{"prerelease", func(r *runner) error { return r.Prerelease(ctx, "v0.13.0-alpha.1") }, "+    reference: v0.13.0"},
			{"operator:pin", func(r *runner) error { return r.OperatorPin(ctx, fixture.OperatorRef) }, "+    config: release"},
			{"overlays:pin", func(r *runner) error { return r.OverlaysPin(ctx, fixture.ImageSHA) }, "+    newTag: dev-" + fixture.ImageSHA},
			{"gomod:bump", func(r *runner) error { return r.GomodBump(ctx, fixture.Version) }, "+\tgithub.com/confidential-containers/cloud-api-adaptor/src/cloud-providers v0.13.0"},
			{"citation:update", func(r *runner) error { return r.CitationUpdate(ctx, fixture.Version) }, "+version: 0.13.0"},
		}},
		{fixture.PostReleaseAggr, []dry{
			{"tags", func(r *runner) error { return r.Tags(ctx, fixture.Version) }, "new      src/webhook/v0.13.0"},
			{"postrelease", func(r *runner) error { return r.Postrelease(ctx, fixture.Version) }, "+date-released: 2025-03-28"},
			{"operator:unpin", func(r *runner) error { return r.OperatorUnpin(ctx) }, "+    reference: main"},
			{"overlays:unpin", func(r *runner) error { return r.OverlaysUnpin(ctx) }, "+  newTag: latest"},
		}},
	} {
		t.Run(stage.stage, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t, stage.stage)
			before := state(t, w)
			for _, tc := range stage.runs {
				r, out := w.runner(magevars.Vars{DryRun: true, OperatorRef: fixture.OperatorRef, ReleaseDate: fixture.ReleaseDate, ReleaseCommit: w.head(t)})
				require.NoError(t, tc.run(r), tc.name+"\n"+out.String())
				require.Contains(t, out.String(), tc.want, tc.name)
				require.Equal(t, before, state(t, w), tc.name)
			}
		})
	}
}

// TestFailingTidyRestores: gomod:bump on a repository where one module's
// go mod tidy fails (it imports a module no proxy has) leaves every file
// and the branch as they were, and names the step.
func TestFailingTidyRestores(t *testing.T) {
	t.Parallel()
	files := map[string][]byte{
		"a/go.mod": []byte("module example.com/r/a\n\ngo 1.25\n"),
		"a/a.go":   []byte("package a\n"),
		"b/go.mod": []byte("module example.com/r/b\n\ngo 1.25\n\nrequire example.com/r/a v0.1.0\n\nreplace example.com/r/a => ../a\n"),
		"b/b.go":   []byte("package b\n\nimport _ \"example.com/r/a\"\n"),
		"c/go.mod": []byte("module example.com/r/c\n\ngo 1.25\n\nrequire example.com/r/b v0.1.0\n\nreplace example.com/r/b => ../b\n"),
		"c/c.go":   []byte("package c\n\nimport (\n\t_ \"example.com/gone\"\n\t_ \"example.com/r/b\"\n)\n"),
	}
	w := world{root: t.TempDir(), remote: t.TempDir()}
	_, err := gitfixture.WithRemote(w.root, w.remote, files, "init")
	require.NoError(t, err)
	before := state(t, w)
	proxy := t.TempDir()
	require.NoError(t, goproxytest.Write(proxy))
	r, out := w.runner(magevars.Vars{})
	r.Go = &gomod.Runner{Env: goproxytest.Env(proxy, t.TempDir())}
	err = r.GomodBump(context.Background(), "v0.2.0")
	require.ErrorContains(t, err, `step "go mod tidy (in c)" failed`, out.String())
	require.ErrorContains(t, err, "example.com/gone")
	require.Contains(t, out.String(), "ok  go mod tidy (in b)", "b's tidy ran and wrote go.sum before c's failed")
	require.Equal(t, before, state(t, w))
}

// TestRemoteFromReleaseYAML: release.yaml's remote is used when
// RELEASE_REMOTE is not set (it used to be overwritten by origin without a
// word), RELEASE_REMOTE overrides it, and the output says which remote is
// used and where it came from.
func TestRemoteFromReleaseYAML(t *testing.T) {
	w := newWorld(t, fixture.Citation)
	repo, err := git.PlainOpen(w.root)
	require.NoError(t, err)
	require.NoError(t, repo.DeleteRemote("origin"))
	require.NoError(t, gitfixture.AddRemote(repo, "upstream", "file://"+w.remote))
	require.NoError(t, os.WriteFile(filepath.Join(w.root, "release.yaml"), []byte("remote: upstream\n"), 0o644))

	r, out := w.runner(magevars.Vars{})
	require.NoError(t, r.Tags(t.Context(), "v0.13.0"), out.String())
	require.Contains(t, out.String(), "remote upstream (release.yaml), branch main (the default)")

	r, out = w.runner(magevars.Vars{Remote: "origin"})
	require.ErrorContains(t, r.Tags(t.Context(), "v0.13.0"), "origin")
	require.Contains(t, out.String(), "remote origin (RELEASE_REMOTE)")
}

// TestDefaultGoRunner: with no Runner.Go, the go command runs in the
// process's environment, as it does through the mage frontend. (A nil
// *gomod.Runner used to go into the phase's interface as a non-nil value
// and panic on the first go step, leaving the edits in the tree.)
func TestDefaultGoRunner(t *testing.T) {
	files := map[string][]byte{
		"a/go.mod": []byte("module example.com/r/a\n\ngo 1.25\n"),
		"a/a.go":   []byte("package a\n"),
		"b/go.mod": []byte("module example.com/r/b\n\ngo 1.25\n\nrequire example.com/r/a v0.1.0\n\nreplace example.com/r/a => ../a\n"),
		"b/b.go":   []byte("package b\n\nimport _ \"example.com/r/a\"\n"),
	}
	w := world{root: t.TempDir(), remote: t.TempDir()}
	_, err := gitfixture.WithRemote(w.root, w.remote, files, "init")
	require.NoError(t, err)
	proxy := t.TempDir()
	require.NoError(t, goproxytest.Write(proxy))
	for _, kv := range goproxytest.Env(proxy, t.TempDir())[len(os.Environ()):] {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	r, out := w.runner(magevars.Vars{})
	require.Nil(t, r.Go)
	require.NoError(t, r.GomodBump(t.Context(), "v0.2.0"), out.String())
	require.Contains(t, out.String(), "ok  go mod tidy (in b)")
	require.Contains(t, string(readFile(t, w.root, "b/go.mod")), "require example.com/r/a v0.2.0")
}

func readFile(t *testing.T, root, p string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(p)))
	require.NoError(t, err)
	return data
}

// TestBadInputsAtTheEdge: a bad version or image commit is refused where
// the target parses it, before any phase is planned, naming the phase and
// what was wrong; the repository is left as it was.
func TestBadInputsAtTheEdge(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t, fixture.ReleaseAggr)
	before := state(t, w)
	for _, tc := range []struct {
		run  func(r *runner) error
		want string
	}{
		{func(r *runner) error { return r.Release(ctx, "v0.13", fixture.ImageSHA) }, `release: invalid version: "v0.13"`},
		{func(r *runner) error { return r.Release(ctx, fixture.Version, "1265e49") }, `release: image "1265e49" is not a commit SHA (40 lowercase hex digits): give the commit of the`},
		{func(r *runner) error { return r.Prerelease(ctx, "v0.13.0-alpha1") }, `prerelease: invalid version: "v0.13.0-alpha1"`},
		{func(r *runner) error { return r.Postrelease(ctx, "0.13.0") }, `postrelease: invalid version: "0.13.0"`},
		{func(r *runner) error { return r.GomodBump(ctx, "v0.13.0+x") }, `gomod:bump: invalid version: "v0.13.0+x"`},
		{func(r *runner) error { return r.CitationUpdate(ctx, "v0.13") }, `citation:update: invalid version: "v0.13"`},
		{func(r *runner) error { return r.OverlaysPin(ctx, "main") }, `image pin: image "main" is not a commit SHA (40 lowercase hex digits)`},
	} {
		r, out := w.runner(magevars.Vars{})
		err := tc.run(r)
		require.ErrorContains(t, err, tc.want, out.String())
	}
	require.Equal(t, before, state(t, w))
}
