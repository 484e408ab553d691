package tags_test

import (
	"context"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"testing"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/fixture"
	"github.com/confidential-containers/release-tools/internal/gitfixture"
	"github.com/confidential-containers/release-tools/internal/gitrepo"
	"github.com/confidential-containers/release-tools/internal/slow"
	"github.com/confidential-containers/release-tools/tags"
	"github.com/confidential-containers/release-tools/version"
)

const podvm = "src/cloud-api-adaptor/podvm"

var caaOrder = []string{
	"src/cloud-providers/v0.13.0",
	"src/peerpod-ctrl/v0.13.0",
	"src/cloud-api-adaptor/v0.13.0",
	"src/csi-wrapper/v0.13.0",
	"src/webhook/v0.13.0",
}

// caaGoMods returns the go.mod files of a v0.13.0 stage: six modules with
// the real require graph and replaces.
func caaGoMods(t testing.TB, stage, side string) map[string][]byte {
	t.Helper()
	out, err := goMods(stage, side)
	require.NoError(t, err)
	require.Len(t, out, 6)
	return out
}

// goMods returns the go.mod files of a stage's side.
func goMods(stage, side string) (map[string][]byte, error) {
	files, err := fixture.Files(stage, side)
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	for name, data := range files {
		if path.Base(name) == "go.mod" {
			out[name] = data
		}
	}
	return out, nil
}

type fixtureRepo struct {
	dir, remote string
	repo        *git.Repository
}

// caaRepo is the repository newRepo copies, built once.
var caaRepo = gitfixture.Template{Build: func(dirs ...string) error {
	mods, err := goMods(fixture.GomodBump, "after")
	if err != nil {
		return err
	}
	_, err = gitfixture.WithRemote(dirs[0], dirs[1], mods, "bump to v0.13.0")
	return err
}}

// newRepo builds a CAA-shaped repository whose main requires v0.13.0 (the
// go.mod files of caaGoMods), with a bare remote reached by file:// URL.
func newRepo(t testing.TB) fixtureRepo {
	t.Helper()
	slow.Git(t)
	dir, remote := t.TempDir(), t.TempDir()
	require.NoError(t, caaRepo.Copy(dir, remote))
	repo, err := git.PlainOpen(dir)
	require.NoError(t, err)
	return fixtureRepo{dir: dir, remote: remote, repo: repo}
}

func (r fixtureRepo) head(t testing.TB) string {
	t.Helper()
	h, err := r.repo.Head()
	require.NoError(t, err)
	return h.Hash().String()
}

// tagsOf maps the tags of the repository at dir to their commits.
func tagsOf(t testing.TB, dir string) map[string]string {
	t.Helper()
	out, err := gitfixture.Tags(dir)
	require.NoError(t, err)
	return out
}

var opts = tags.Options{Exclude: []string{podvm}}

// ver parses a version that must be valid.
func ver(t testing.TB, s string) version.Version {
	t.Helper()
	v, err := version.Parse(s, nil)
	require.NoError(t, err)
	return v
}

func plan(t testing.TB, dir, v string, o tags.Options) *tags.Plan {
	t.Helper()
	p, err := tags.NewPlan(context.Background(), openRepo(t, dir), dir, ver(t, v), o)
	require.NoError(t, err)
	return p
}

func names(p *tags.Plan) []string {
	var out []string
	for _, t := range p.Tags {
		out = append(out, t.Name)
	}
	return out
}

func TestOrdered(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, fixture.Write(dir, fixture.GomodBump, "after"))
	got, err := tags.Ordered(dir, ver(t, "v0.13.0"))
	require.NoError(t, err)
	var n []string
	for _, tag := range got {
		n = append(n, tag.Name)
	}
	require.Equal(t, append([]string{podvm + "/v0.13.0"}, caaOrder...), n)
	require.Equal(t, "github.com/confidential-containers/cloud-api-adaptor/src/cloud-providers", got[1].Module)
	require.Equal(t, "src/cloud-providers", got[1].Dir)

	_, err = tags.Ordered(dir, version.Version{})
	require.ErrorContains(t, err, "tags: no version")
}

func TestCommands(t *testing.T) {
	r := newRepo(t)
	p := plan(t, r.dir, "v0.13.0", opts)
	var list []tags.Tag
	for _, pt := range p.Tags {
		list = append(list, pt.Tag)
	}
	c := r.head(t)
	require.Equal(t, []string{
		"git tag src/cloud-providers/v0.13.0 " + c, "git push origin src/cloud-providers/v0.13.0",
		"git tag src/peerpod-ctrl/v0.13.0 " + c, "git push origin src/peerpod-ctrl/v0.13.0",
		"git tag src/cloud-api-adaptor/v0.13.0 " + c, "git push origin src/cloud-api-adaptor/v0.13.0",
		"git tag src/csi-wrapper/v0.13.0 " + c, "git push origin src/csi-wrapper/v0.13.0",
		"git tag src/webhook/v0.13.0 " + c, "git push origin src/webhook/v0.13.0",
	}, tags.Commands(list, c, "origin"))
}

func TestApply(t *testing.T) {
	r := newRepo(t)
	p := plan(t, r.dir, "v0.13.0", tags.Options{Exclude: []string{podvm}, TopLevel: true})
	require.Equal(t, append(caaOrder, "v0.13.0"), names(p))
	require.True(t, p.AtomicPush, "git's receive-pack advertises atomic")
	require.NoError(t, p.Err())
	var out strings.Builder
	_, err := p.WriteTo(&out)
	require.NoError(t, err)
	require.Contains(t, out.String(), "tags for v0.13.0 on "+r.head(t)+" (origin/main on the remote now)")
	require.Contains(t, out.String(), "  new      src/cloud-providers/v0.13.0\n")
	require.Contains(t, out.String(), "  git tag src/cloud-providers/v0.13.0 "+r.head(t))
	require.Empty(t, tagsOf(t, r.dir), "planning creates nothing")

	require.NoError(t, p.Apply(context.Background()))
	remote := tagsOf(t, r.remote)
	require.Len(t, remote, 6)
	for _, name := range append(caaOrder, "v0.13.0") {
		require.Equal(t, r.head(t), remote[name], name)
	}

	// A re-run finds everything done and pushes nothing.
	again := plan(t, r.dir, "v0.13.0", tags.Options{Exclude: []string{podvm}, TopLevel: true})
	for _, pt := range again.Tags {
		require.Equal(t, tags.Pushed, pt.State, pt.Name)
	}
	require.NoError(t, again.Apply(context.Background()))
}

// TestRemoteAhead: local main is behind the remote's; the remote head is tagged.
func TestRemoteAhead(t *testing.T) {
	r := newRepo(t)
	first := r.head(t)
	second, err := gitfixture.Commit(r.repo, map[string][]byte{"README.md": []byte("merged\n")}, "merged PR")
	require.NoError(t, err)
	require.NoError(t, gitfixture.Push(r.repo, "origin", "refs/heads/main:refs/heads/main"))
	wt, err := r.repo.Worktree()
	require.NoError(t, err)
	require.NoError(t, wt.Reset(&git.ResetOptions{Commit: plumbing.NewHash(first), Mode: git.HardReset}))
	require.Equal(t, first, r.head(t))

	// An explicit commit is tagged instead.
	p := plan(t, r.dir, "v0.13.0", tags.Options{Exclude: []string{podvm}, Commit: first[:10]})
	require.Equal(t, first, p.Commit)
	require.Equal(t, "given", p.From)
	_, err = tags.NewPlan(context.Background(), openRepo(t, r.dir), r.dir, ver(t, "v0.13.0"), tags.Options{Commit: "nosuchref"})
	require.ErrorContains(t, err, `commit "nosuchref"`)

	p = plan(t, r.dir, "v0.13.0", opts)
	require.Equal(t, second.String(), p.Commit)
	require.NoError(t, p.Apply(context.Background()))
	for _, c := range tagsOf(t, r.remote) {
		require.Equal(t, second.String(), c)
	}
}

// TestRemoteConflict: a tag on the remote at another commit stops
// everything before anything is created or pushed.
func TestRemoteConflict(t *testing.T) {
	r := newRepo(t)
	old := r.head(t)
	_, err := r.repo.CreateTag("src/peerpod-ctrl/v0.13.0", plumbing.NewHash(old), nil)
	require.NoError(t, err)
	require.NoError(t, gitfixture.Push(r.repo, "origin", "refs/tags/src/peerpod-ctrl/v0.13.0:refs/tags/src/peerpod-ctrl/v0.13.0"))
	require.NoError(t, r.repo.DeleteTag("src/peerpod-ctrl/v0.13.0"))
	newer, err := gitfixture.Commit(r.repo, map[string][]byte{"README.md": []byte("x\n")}, "later")
	require.NoError(t, err)
	require.NoError(t, gitfixture.Push(r.repo, "origin", "refs/heads/main:refs/heads/main"))

	p := plan(t, r.dir, "v0.13.0", opts)
	err = p.Err()
	require.ErrorIs(t, err, tags.ErrTagConflict)
	require.ErrorContains(t, err, "src/peerpod-ctrl/v0.13.0 exists on origin at "+old[:12]+", not at "+newer.String()[:12])
	require.ErrorContains(t, err, "tag v0.13.1 instead")
	require.ErrorIs(t, p.Apply(context.Background()), tags.ErrTagConflict)
	require.Equal(t, map[string]string{"src/peerpod-ctrl/v0.13.0": old}, tagsOf(t, r.remote), "nothing pushed")
	require.Empty(t, tagsOf(t, r.dir), "nothing created locally")
}

func TestLocalConflict(t *testing.T) {
	r := newRepo(t)
	old := r.head(t)
	_, err := r.repo.CreateTag("src/webhook/v0.13.0-alpha.1", plumbing.NewHash(old), nil)
	require.NoError(t, err)
	_, err = gitfixture.Commit(r.repo, map[string][]byte{"README.md": []byte("x\n")}, "later")
	require.NoError(t, err)
	require.NoError(t, gitfixture.Push(r.repo, "origin", "refs/heads/main:refs/heads/main"))
	// The fixture's go.mod files require v0.13.0, so tag with an explicit
	// pre-release only after bumping them.
	files := caaGoMods(t, fixture.GomodBump, "after")
	for name, data := range files {
		files[name] = []byte(strings.ReplaceAll(string(data), " v0.13.0", " v0.13.0-alpha.1"))
	}
	_, err = gitfixture.Commit(r.repo, files, "bump to v0.13.0-alpha.1")
	require.NoError(t, err)
	require.NoError(t, gitfixture.Push(r.repo, "origin", "refs/heads/main:refs/heads/main"))

	p := plan(t, r.dir, "v0.13.0-alpha.1", opts)
	err = p.Err()
	require.ErrorContains(t, err, "src/webhook/v0.13.0-alpha.1 exists locally at "+old[:12])
	// Never pushed: deleting it is the fix, not another version.
	require.ErrorContains(t, err, "never pushed to origin, so deleting them is safe: git tag -d src/webhook/v0.13.0-alpha.1")
	require.NotContains(t, err.Error(), "instead")
	var ce *tags.ConflictError
	require.ErrorAs(t, err, &ce)
	require.Equal(t, []string{"src/webhook/v0.13.0-alpha.1"}, ce.Stray)
	require.Equal(t, "git tag -d src/webhook/v0.13.0-alpha.1", ce.DeleteCommand())
	require.Empty(t, ce.Complete)
	require.ErrorIs(t, p.Apply(context.Background()), tags.ErrTagConflict)
	require.Empty(t, tagsOf(t, r.remote))
	require.Len(t, tagsOf(t, r.dir), 1)
}

// TestCompleteThenMoved: every tag of the version is on the remote, then
// main moves on. The plan on main's head is not a conflict to solve by
// tagging the next version: the version is tagged already, on the commit
// the error names.
func TestCompleteThenMoved(t *testing.T) {
	r := newRepo(t)
	tagged := r.head(t)
	require.NoError(t, plan(t, r.dir, "v0.13.0", opts).Apply(context.Background()))
	later, err := gitfixture.Commit(r.repo, map[string][]byte{"README.md": []byte("x\n")}, "later")
	require.NoError(t, err)
	require.NoError(t, gitfixture.Push(r.repo, "origin", "refs/heads/main:refs/heads/main"))

	for _, deleteLocal := range []bool{false, true} {
		if deleteLocal { // only on the remote: the same
			for _, name := range caaOrder {
				require.NoError(t, r.repo.DeleteTag(name))
			}
		}
		p := plan(t, r.dir, "v0.13.0", opts)
		require.Equal(t, later.String(), p.Commit)
		err = p.Err()
		require.ErrorIs(t, err, tags.ErrTagConflict)
		require.EqualError(t, err, "tags: tag exists on another commit: the tags of v0.13.0 are complete on origin, on commit "+tagged+
			", not on "+later.String()[:12]+": v0.13.0 is tagged already, nothing to do; plan on commit "+tagged+" to check them, or tag v0.13.1 for the later commit")
		var ce *tags.ConflictError
		require.ErrorAs(t, err, &ce)
		require.Equal(t, tagged, ce.Complete)
		require.Empty(t, ce.Stray)
	}
	// On the commit the error names, the plan is done.
	p := plan(t, r.dir, "v0.13.0", tags.Options{Exclude: opts.Exclude, Commit: tagged})
	require.NoError(t, p.Err())
	for _, pt := range p.Tags {
		require.Equal(t, tags.Pushed, pt.State, pt.Name)
	}
}

// TestRerunAfterPartialPush: half the tags were pushed by an earlier run
// (or by hand); only the rest are pushed now.
func TestRerunAfterPartialPush(t *testing.T) {
	r := newRepo(t)
	c := plumbing.NewHash(r.head(t))
	for _, name := range caaOrder[:3] {
		_, err := r.repo.CreateTag(name, c, nil)
		require.NoError(t, err)
		require.NoError(t, gitfixture.Push(r.repo, "origin", "refs/tags/"+name+":refs/tags/"+name))
	}
	_, err := r.repo.CreateTag(caaOrder[3], c, nil) // made locally, never pushed
	require.NoError(t, err)
	p := plan(t, r.dir, "v0.13.0", opts)
	var states []string
	for _, pt := range p.Tags {
		states = append(states, pt.State.String())
	}
	require.Equal(t, []string{"done", "done", "done", "local", "new"}, states)
	var out strings.Builder
	_, err = p.WriteTo(&out)
	require.NoError(t, err)
	byHand := out.String()[strings.Index(out.String(), "by hand:\n"):]
	require.Equal(t, "by hand:\n"+
		"  git push origin "+caaOrder[3]+"\n"+
		"  git tag "+caaOrder[4]+" "+c.String()+"\n"+
		"  git push origin "+caaOrder[4]+"\n", byHand, "a tag made already is only pushed")
	require.NoError(t, p.Apply(context.Background()))
	require.Len(t, tagsOf(t, r.remote), 5)
}

func TestVersionMismatch(t *testing.T) {
	dir, remote := t.TempDir(), t.TempDir()
	_, err := gitfixture.WithRemote(dir, remote, caaGoMods(t, fixture.GomodBump, "before"), "still v0.12.0")
	require.NoError(t, err)
	_, err = tags.NewPlan(context.Background(), openRepo(t, dir), dir, ver(t, "v0.13.0"), opts)
	require.ErrorIs(t, err, tags.ErrVersionMismatch)
	require.ErrorContains(t, err, "src/csi-wrapper/go.mod requires github.com/confidential-containers/cloud-api-adaptor/src/cloud-api-adaptor v0.12.0")
	require.ErrorContains(t, err, "move them to v0.13.0, merge, and tag the merged commit")
	require.NotContains(t, err.Error(), "mage", "tags speaks no frontend")
	var re *tags.RequiresError
	require.ErrorAs(t, err, &re)
	require.Equal(t, "v0.13.0", re.Version.String())
	require.Contains(t, re.Requires, tags.Require{Dir: "src/csi-wrapper", Module: "github.com/confidential-containers/cloud-api-adaptor/src/cloud-api-adaptor", Version: "v0.12.0"})
	for i := 1; i < len(re.Requires); i++ {
		require.LessOrEqual(t, re.Requires[i-1].Dir, re.Requires[i].Dir, "sorted by directory")
	}
}

func TestNoRemote(t *testing.T) {
	dir := t.TempDir()
	_, err := gitfixture.Init(dir, caaGoMods(t, fixture.GomodBump, "after"), "init")
	require.NoError(t, err)
	_, err = tags.NewPlan(context.Background(), openRepo(t, dir), dir, ver(t, "v0.13.0"), opts)
	require.ErrorIs(t, err, tags.ErrNoRemote)
	require.ErrorContains(t, err, "git remote add origin")
	_, err = tags.NewPlan(context.Background(), nil, filepath.Join(dir, "nope"), ver(t, "v0.13.0"), opts)
	require.ErrorContains(t, err, "nope")
}

func TestNoAtomicPush(t *testing.T) {
	r := newRepo(t)
	p := plan(t, r.dir, "v0.13.0", opts)
	p.AtomicPush = false // as a remote that does not advertise it
	require.ErrorIs(t, p.Apply(context.Background()), tags.ErrNoAtomicPush)
	require.Empty(t, tagsOf(t, r.dir))

	p = plan(t, r.dir, "v0.13.0", tags.Options{Exclude: []string{podvm}, AllowNonAtomic: true})
	p.AtomicPush = false
	require.NoError(t, p.Apply(context.Background()))
	require.Len(t, tagsOf(t, r.remote), 5)
}

func TestAnnotated(t *testing.T) {
	r := newRepo(t)
	p := plan(t, r.dir, "v0.13.0", tags.Options{Exclude: []string{podvm}, Annotated: true, Message: "release v0.13.0"})
	require.NoError(t, p.Apply(context.Background()))
	remote := tagsOf(t, r.remote)
	require.Equal(t, r.head(t), remote["src/webhook/v0.13.0"])
	tag, err := r.repo.Tag("src/webhook/v0.13.0")
	require.NoError(t, err)
	obj, err := r.repo.TagObject(tag.Hash())
	require.NoError(t, err)
	require.Equal(t, "release v0.13.0\n", obj.Message)
	require.Equal(t, gitfixture.Name, obj.Tagger.Name)
	// Annotated tags on the remote peel to the commit: a re-run is done.
	again := plan(t, r.dir, "v0.13.0", opts)
	for _, pt := range again.Tags {
		require.Equal(t, tags.Pushed, pt.State)
	}
}

func TestMajorVersions(t *testing.T) {
	dir, remote := t.TempDir(), t.TempDir()
	files := map[string][]byte{
		"go.mod":        []byte("module example.com/r/v2\n"),
		"lib/go.mod":    []byte("module example.com/r/lib\n\nrequire example.com/r/v2 v2.1.0\n"),
		"lib/v3/go.mod": []byte("module example.com/r/lib/v3\n"),
	}
	_, err := gitfixture.WithRemote(dir, remote, files, "init")
	require.NoError(t, err)
	_, err = tags.NewPlan(context.Background(), openRepo(t, dir), dir, ver(t, "v2.1.0"), tags.Options{})
	require.ErrorIs(t, err, tags.ErrWrongMajor)
	require.ErrorContains(t, err, "module example.com/r/lib (in lib) cannot take v2.1.0: from v2 on, Go requires the major version in the module path (example.com/r/lib/v2)")

	_, err = tags.NewPlan(context.Background(), openRepo(t, dir), dir, ver(t, "v2.1.0"), tags.Options{Exclude: []string{"lib"}})
	require.ErrorContains(t, err, "module example.com/r/lib/v3 (in lib/v3) takes only v3.x.y versions, not v2.1.0")

	p := plan(t, dir, "v2.1.0", tags.Options{Exclude: []string{"lib", "lib/v3"}})
	require.Equal(t, []string{"v2.1.0"}, names(p), "a root module's tag has no prefix")

	_, err = tags.NewPlan(context.Background(), openRepo(t, dir), dir, ver(t, "v2.1.0"), tags.Options{Exclude: []string{"nope"}})
	require.ErrorContains(t, err, `excluded module directory "nope" holds no go.mod`)
}

func TestCycle(t *testing.T) {
	dir, remote := t.TempDir(), t.TempDir()
	files := map[string][]byte{
		"a/go.mod": []byte("module example.com/a\n\nrequire example.com/b v1.0.0\n"),
		"b/go.mod": []byte("module example.com/b\n\nrequire example.com/a v1.0.0\n"),
	}
	_, err := gitfixture.WithRemote(dir, remote, files, "init")
	require.NoError(t, err)
	_, err = tags.NewPlan(context.Background(), openRepo(t, dir), dir, ver(t, "v1.0.0"), tags.Options{})
	require.ErrorContains(t, err, "the modules require each other in a cycle: a -> b -> a")
}

// TestLinkedWorkTree: in a work tree made by git worktree add, the
// remote is the main repository's (it said "no such remote origin").
func TestLinkedWorkTree(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git command")
	}
	r := newRepo(t)
	wt := filepath.Join(t.TempDir(), "wt")
	out, err := exec.Command("git", "-C", r.dir, "worktree", "add", "-q", "--detach", wt).CombinedOutput()
	require.NoError(t, err, "%s", out)
	p := plan(t, wt, "v0.13.0", opts)
	require.Equal(t, r.head(t), p.Commit)
	require.NoError(t, p.Apply(context.Background()))
	require.Len(t, tagsOf(t, r.remote), len(caaOrder))
}

// openRepo is the handle of the repository at dir, as release.New opens it.
func openRepo(t testing.TB, dir string) *git.Repository {
	t.Helper()
	repo, err := gitrepo.Open(dir)
	require.NoError(t, err)
	return repo
}
