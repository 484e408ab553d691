package release_test

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/gomod"
	"github.com/confidential-containers/release-tools/internal/caatest"
	"github.com/confidential-containers/release-tools/internal/fixture"
	"github.com/confidential-containers/release-tools/internal/gitfixture"
	"github.com/confidential-containers/release-tools/internal/goproxytest"
	"github.com/confidential-containers/release-tools/internal/nettest"
	"github.com/confidential-containers/release-tools/internal/slow"
	"github.com/confidential-containers/release-tools/phase"
	"github.com/confidential-containers/release-tools/release"
	"github.com/confidential-containers/release-tools/release/config"
	"github.com/confidential-containers/release-tools/steps"
	"github.com/confidential-containers/release-tools/tags"
)

// requireTree checks every file of a stage's after/ side.
func requireTree(t *testing.T, root, stage string) {
	t.Helper()
	requireFiles(t, root, stage, "after")
}

// requireFiles checks every file of a stage's side (before/ or after/).
func requireFiles(t *testing.T, root, stage, side string) {
	t.Helper()
	files, err := fixture.Files(stage, side)
	require.NoError(t, err)
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(name)))
		require.NoError(t, err)
		require.Equal(t, string(want), string(got), name)
	}
}

var skipGo = phase.Options{SkipGo: true}

func TestDepsSyncGolden(t *testing.T) {
	r := caatest.New(t, fixture.KataSync)
	p, err := newRepo(t, r.Root, config.CAA()).DepsSync(context.Background(), kv(fixture.KataVersion), release.Inputs{KataRepo: "file://" + r.Kata})
	out := caatest.Run(t, p, err, skipGo)
	require.Contains(t, out, "skipped (go commands off)")
	want := fixture.MustFile(fixture.KataSync, "after", "src/cloud-api-adaptor/versions.yaml")
	got, err := os.ReadFile(filepath.Join(r.Root, "src/cloud-api-adaptor/versions.yaml"))
	require.NoError(t, err)
	require.Equal(t, string(want), string(got))
	require.Contains(t, r.Messages(t, 1)[0], "deps: sync with Kata Containers 3.15.0")

	_, err = newRepo(t, r.Root, config.CAA()).DepsSync(context.Background(), kv("9.9.9"), release.Inputs{KataRepo: "file://" + r.Kata})
	require.ErrorContains(t, err, "9.9.9")

	rel := newRepo(t, r.Root, config.CAA())
	got15, err := rel.ParseKataVersion(context.Background(), "3.15.0", release.Inputs{})
	require.NoError(t, err)
	require.Equal(t, "3.15.0", got15.String())
	_, err = rel.ParseKataVersion(context.Background(), "v3.15.0", release.Inputs{})
	require.EqualError(t, err, `deps:sync: "v3.15.0" is not a Kata Containers release: give X.Y.Z, digits only, such as 3.31.0`)
	_, err = rel.ParseKataVersion(context.Background(), release.Latest, release.Inputs{})
	require.ErrorIs(t, err, release.ErrNoRegistry)
}

func TestOperatorPinGolden(t *testing.T) {
	r := caatest.New(t, fixture.PinOperator)
	p, err := newRepo(t, r.Root, config.CAA()).OperatorPin(fixture.OperatorRef)
	caatest.Run(t, p, err, phase.Options{})
	requireTree(t, r.Root, fixture.PinOperator)
	p = newRepo(t, r.Root, config.CAA()).OperatorUnpin()
	caatest.Run(t, p, nil, phase.Options{})
	got, err := os.ReadFile(filepath.Join(r.Root, "src/cloud-api-adaptor/versions.yaml"))
	require.NoError(t, err)
	require.Equal(t, string(fixture.MustFile(fixture.PinOperator, "before", "src/cloud-api-adaptor/versions.yaml")), string(got))
}

func TestPrerelease(t *testing.T) {
	r := caatest.New(t, fixture.PinOperator)
	// The stage's Kata references are 3.15.0's.
	p, err := newRepo(t, r.Root, config.CAA()).Prerelease(context.Background(), fixture.V("v0.13.0-alpha.1"), release.Inputs{OperatorRef: fixture.OperatorRef, KataRepo: "file://" + r.Kata})
	out := caatest.Run(t, p, err, skipGo)
	require.Contains(t, out, "ok  check the Kata Containers references: guest-components and trustee agree with Kata 3.15.0")
	got, err := os.ReadFile(filepath.Join(r.Root, "src/cloud-api-adaptor/versions.yaml"))
	require.NoError(t, err)
	require.Equal(t, string(fixture.MustFile(fixture.PinOperator, "after", "src/cloud-api-adaptor/versions.yaml")), string(got))
	mods, err := gomod.Discover(r.Root)
	require.NoError(t, err)
	for _, m := range mods {
		for dep, v := range m.Requires {
			if strings.HasPrefix(dep, "github.com/confidential-containers/cloud-api-adaptor/") {
				require.Equal(t, "v0.13.0-alpha.1", v, m.Dir)
			}
		}
	}
	msg := r.Messages(t, 1)[0]
	require.Contains(t, msg, "prerelease: v0.13.0-alpha.1")
	require.Contains(t, msg, "Signed-off-by: "+gitfixture.Name+" <"+gitfixture.Email+">")

	_, err = newRepo(t, r.Root, config.CAA()).Prerelease(context.Background(), fixture.V("v0.13.0"), release.Inputs{OperatorRef: "x"})
	require.ErrorContains(t, err, "v0.13.0 is not a candidate") // a bad version is refused where it is parsed (targets)
}

// TestPrereleaseKataMismatch: references that disagree with Kata stop the
// phase and name deps:sync; an unreachable Kata is reported and skipped.
func TestPrereleaseKataMismatch(t *testing.T) {
	r := caatest.New(t, fixture.KataSync) // still on Kata 3.14.0's references, but say 3.15.0's kata
	file := filepath.Join(r.Root, "src/cloud-api-adaptor/versions.yaml")
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(file, []byte(strings.Replace(string(data), "reference: 3.14.0", "reference: 3.15.0", 1)), 0o644))
	_, err = gitfixture.Commit(r.Open(t), nil, "kata 3.15.0 only")
	require.NoError(t, err)
	p, err := newRepo(t, r.Root, config.CAA()).Prerelease(context.Background(), fixture.V("v0.13.0-alpha.1"), release.Inputs{OperatorRef: "v0.13.0", KataRepo: "file://" + r.Kata})
	require.NoError(t, err)
	err = p.Run(context.Background(), skipGo)
	require.ErrorContains(t, err, "guest-components is 514c561d933cb11a0f1628621a0b930157af76cd, Kata 3.15.0 has 1191f8257eb65f42892ab0328cec02e58d40de84")
	require.Equal(t, []release.Fix{{Action: release.ActionDepsSync, Args: []string{"3.15.0"}}}, release.Fixes(err))
	require.ErrorContains(t, err, "trustee is 68e2a8d25dbfa012b422ff464f31d18f3afa6677, Kata 3.15.0 has bc26ac5acd8314ba34fe837d6886beb1ce384106")

	// A Kata repository that cannot be reached: the check is skipped, said
	// so. One that is not there, or does not answer in time, fails it.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	closed := "http://" + l.Addr().String() + "/kata-containers"
	require.NoError(t, l.Close())
	p, err = newRepo(t, r.Root, config.CAA()).Prerelease(context.Background(), fixture.V("v0.13.0-alpha.1"), release.Inputs{OperatorRef: "v0.13.0", KataRepo: closed})
	out := caatest.Run(t, p, err, phase.Options{SkipGo: true, DryRun: true})
	require.Contains(t, out, "check the Kata Containers references: skipped: could not reach the Kata Containers repository: read versions.yaml at 3.15.0")

	for _, tc := range []struct{ repo, want string }{
		{"file://" + filepath.Join(r.Kata, "nope"), "read versions.yaml at 3.15.0 from file://"},
		{"http://" + nettest.Silent(t) + "/kata-containers", "no answer within 200ms"},
	} {
		p, err = newRepo(t, r.Root, config.CAA()).Prerelease(context.Background(), fixture.V("v0.13.0-alpha.1"), release.Inputs{OperatorRef: "v0.13.0", KataRepo: tc.repo, GitTimeout: 200 * time.Millisecond})
		require.NoError(t, err)
		start := time.Now()
		err = p.Run(context.Background(), phase.Options{SkipGo: true, DryRun: true})
		require.ErrorContains(t, err, "check the Kata Containers references: ")
		require.ErrorContains(t, err, tc.want)
		require.NotContains(t, err.Error(), "could not reach")
		require.Less(t, time.Since(start), 10*time.Second)
	}

	// deps:sync reads Kata within the timeout too.
	start := time.Now()
	_, err = newRepo(t, r.Root, config.CAA()).DepsSync(context.Background(), kv("3.15.0"), release.Inputs{KataRepo: "http://" + nettest.Silent(t) + "/k", GitTimeout: 200 * time.Millisecond})
	require.ErrorContains(t, err, "no answer within 200ms")
	require.Less(t, time.Since(start), 10*time.Second)
}

func TestReleaseGolden(t *testing.T) {
	r := caatest.New(t, fixture.ReleaseAggr)
	p, err := newRepo(t, r.Root, config.CAA()).Release(fixture.V(fixture.Version), fixture.ImageSHA, release.Inputs{})
	out := caatest.Run(t, p, err, skipGo)
	requireTree(t, r.Root, fixture.ReleaseAggr)
	msgs := r.Messages(t, 2)
	require.True(t, strings.HasPrefix(msgs[1], "release: pin the cloud-api-adaptor image to "+fixture.ImageSHA+" for v0.13.0\n\nSigned-off-by: "), msgs[1])
	require.True(t, strings.HasPrefix(msgs[0], "release: move the requires between the repository's modules to v0.13.0\n\nThe go commands were skipped: "), msgs[0])
	require.Contains(t, out, "+  newTag: "+fixture.ImageSHA)
	require.Contains(t, out, "+    newTag: dev-"+fixture.ImageSHA)

	// The first commit holds only the overlays.
	head, err := r.Open(t).Head()
	require.NoError(t, err)
	c, err := r.Open(t).CommitObject(head.Hash())
	require.NoError(t, err)
	parent, err := c.Parent(0)
	require.NoError(t, err)
	stats, err := parent.Stats()
	require.NoError(t, err)
	require.Len(t, stats, 8)
	for _, s := range stats {
		require.True(t, strings.HasSuffix(s.Name, "/kustomization.yaml"), s.Name)
	}

	wt, err := r.Open(t).Worktree()
	require.NoError(t, err)
	st, err := wt.Status()
	require.NoError(t, err)
	require.True(t, st.IsClean(), "everything the phase wrote is committed: %s", st)

	_, err = newRepo(t, r.Root, config.CAA()).Release(fixture.V(fixture.Version), "1265e49", release.Inputs{})
	require.ErrorContains(t, err, "not a commit SHA")
}

func TestPostreleaseGolden(t *testing.T) {
	r := caatest.New(t, fixture.PostReleaseAggr)
	commit := head(t, r) // the release commit must be on origin/main: the fixture's is not
	p, err := newRepo(t, r.Root, config.CAA()).Postrelease(fixture.V(fixture.Version), release.Inputs{ReleaseDate: fixture.ReleaseDate, ReleaseCommit: commit})
	caatest.Run(t, p, err, phase.Options{})
	requireFilesCiting(t, r.Root, fixture.PostReleaseAggr, fixture.ReleaseCommit, commit)
	require.Contains(t, r.Messages(t, 1)[0], "postrelease: v0.13.0")

	_, err = newRepo(t, r.Root, config.CAA()).Postrelease(fixture.V(fixture.Version), release.Inputs{ReleaseDate: "28/03/2025", ReleaseCommit: commit})
	require.ErrorContains(t, err, "not YYYY-MM-DD")
	_, err = newRepo(t, r.Root, config.CAA()).Postrelease(fixture.V(fixture.Version), release.Inputs{ReleaseDate: fixture.ReleaseDate})
	require.ErrorIs(t, err, tags.ErrNoTags)
}

func TestDryRunAndDirtyTree(t *testing.T) {
	r := caatest.New(t, fixture.ReleaseAggr)
	head, err := r.Open(t).Head()
	require.NoError(t, err)
	p, err := newRepo(t, r.Root, config.CAA()).Release(fixture.V(fixture.Version), fixture.ImageSHA, release.Inputs{})
	out := caatest.Run(t, p, err, phase.Options{DryRun: true})
	require.Contains(t, out, "dry run, nothing written")
	require.Contains(t, out, "--- a/src/cloud-api-adaptor/install/overlays/aws/kustomization.yaml")
	before, err := fixture.Files(fixture.ReleaseAggr, "before")
	require.NoError(t, err)
	for name, want := range before {
		got, err := os.ReadFile(filepath.Join(r.Root, filepath.FromSlash(name)))
		require.NoError(t, err)
		require.Equal(t, string(want), string(got), name)
	}
	now, err := r.Open(t).Head()
	require.NoError(t, err)
	require.Equal(t, head.Hash(), now.Hash())

	file := filepath.Join(r.Root, "CITATION.cff")
	require.NoError(t, os.WriteFile(file, []byte("dirty\n"), 0o644))
	err = p.Run(context.Background(), phase.Options{})
	require.ErrorIs(t, err, phase.ErrDirty)
	require.ErrorContains(t, err, "CITATION.cff")
}

// TestFailingTidyRestores: a go mod tidy that fails puts back every file
// the phase touched, and the branch where it was.
func TestFailingTidyRestores(t *testing.T) {
	slow.Git(t)
	root, remote := t.TempDir(), t.TempDir()
	files := map[string][]byte{
		"a/go.mod": []byte("module example.com/r/a\n\ngo 1.25\n"),
		"a/a.go":   []byte("package a\n"),
		"b/go.mod": []byte("module example.com/r/b\n\ngo 1.25\n\nrequire example.com/r/a v0.1.0\n\nreplace example.com/r/a => ../a\n"),
		"b/b.go":   []byte("package b\n\nimport _ \"example.com/r/a\"\n"),
		"c/go.mod": []byte("module example.com/r/c\n\ngo 1.25\n\nrequire (\n\texample.com/missing v1.0.0\n\texample.com/r/a v0.1.0\n)\n\nreplace example.com/r/a => ../a\n"),
		"c/c.go":   []byte("package c\n\nimport (\n\t_ \"example.com/missing\"\n\t_ \"example.com/r/a\"\n)\n"),
	}
	g, err := gitfixture.WithRemote(root, remote, files, "init")
	require.NoError(t, err)
	head, err := g.Head()
	require.NoError(t, err)
	p, err := newRepo(t, root, config.CAA()).GomodBump(fixture.V("v0.2.0"))
	require.NoError(t, err)
	proxy := t.TempDir()
	require.NoError(t, goproxytest.Write(proxy))
	var out strings.Builder
	err = p.Run(context.Background(), phase.Options{Out: &out, Go: &gomod.Runner{Env: goproxytest.Env(proxy, t.TempDir())}})
	var stepErr *phase.StepError
	require.ErrorAs(t, err, &stepErr, out.String())
	require.Equal(t, "go mod tidy (in c)", stepErr.Step)
	require.ErrorContains(t, err, "example.com/missing")
	require.Positive(t, stepErr.Restored)
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(name)))
		require.NoError(t, err)
		require.Equal(t, string(want), string(got), name)
	}
	_, err = os.Stat(filepath.Join(root, "b", "go.sum"))
	require.ErrorIs(t, err, os.ErrNotExist, "a go.sum the phase created is removed")
	now, err := g.Head()
	require.NoError(t, err)
	require.Equal(t, head.Hash(), now.Hash())
	wt, err := g.Worktree()
	require.NoError(t, err)
	st, err := wt.Status()
	require.NoError(t, err)
	require.True(t, st.IsClean(), st.String())
}

// TestOverlaySelection: an overlay on its own registry and version is left
// alone and named; a newly added overlay on latest is picked up.
func TestOverlaySelection(t *testing.T) {
	r := caatest.New(t, fixture.ReleaseAggr)
	custom := "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nimages:\n- name: cloud-api-adaptor\n  newName: registry.example.com/caa # our own build\n  newTag: v0.5.0\n"
	fresh := "images:\n- name: cloud-api-adaptor\n  newName: quay.io/confidential-containers/cloud-api-adaptor\n  newTag: latest\n"
	_, err := gitfixture.Commit(r.Open(t), map[string][]byte{
		"src/cloud-api-adaptor/install/overlays/custom/kustomization.yaml":   []byte(custom),
		"src/cloud-api-adaptor/install/overlays/newcloud/kustomization.yaml": []byte(fresh),
	}, "two more overlays")
	require.NoError(t, err)
	p, err := newRepo(t, r.Root, config.CAA()).ImagePin(fixture.ImageSHA, release.Inputs{})
	out := caatest.Run(t, p, err, phase.Options{})
	require.Contains(t, out, "left alone, not pinned by releases: custom (v0.5.0)")
	got, err := os.ReadFile(filepath.Join(r.Root, "src/cloud-api-adaptor/install/overlays/custom/kustomization.yaml"))
	require.NoError(t, err)
	require.Equal(t, custom, string(got))
	got, err = os.ReadFile(filepath.Join(r.Root, "src/cloud-api-adaptor/install/overlays/newcloud/kustomization.yaml"))
	require.NoError(t, err)
	require.Equal(t, strings.Replace(fresh, "latest", fixture.ImageSHA, 1), string(got))
}

// TestNoAuthor: a phase that commits needs an author, and says how to set one.
func TestNoAuthor(t *testing.T) {
	r := caatest.New(t, fixture.PinOperator)
	t.Setenv("HOME", t.TempDir()) // no global git config
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	cfg, err := r.Open(t).Config()
	require.NoError(t, err)
	cfg.User.Name, cfg.User.Email = "", ""
	cfg.Raw.RemoveSection("user")
	require.NoError(t, r.Open(t).SetConfig(cfg))
	p, err := newRepo(t, r.Root, config.CAA()).OperatorPin("v0.13.0")
	require.NoError(t, err)
	err = p.Run(context.Background(), phase.Options{})
	require.ErrorContains(t, err, "set git config user.name and user.email")
	got, err := os.ReadFile(filepath.Join(r.Root, "src/cloud-api-adaptor/versions.yaml"))
	require.NoError(t, err)
	require.Equal(t, string(fixture.MustFile(fixture.PinOperator, "before", "src/cloud-api-adaptor/versions.yaml")), string(got), "nothing written")
	caatest.Run(t, p, nil, phase.Options{NoCommit: true}) // no author needed without a commit
}

// TestAlreadyTagged: a version that has a tag, locally or only on the
// remote, cannot be prepared again; the error proposes the next version.
func TestAlreadyTagged(t *testing.T) {
	for _, where := range []string{"local", "remote"} {
		t.Run(where, func(t *testing.T) {
			r := caatest.New(t, fixture.ReleaseAggr)
			dir := r.Root
			if where == "remote" {
				dir = r.Remote
			}
			g, err := git.PlainOpen(dir)
			require.NoError(t, err)
			head, err := g.Head()
			require.NoError(t, err)
			_, err = g.CreateTag("src/webhook/v0.13.0", head.Hash(), nil)
			require.NoError(t, err)

			p, err := newRepo(t, r.Root, config.CAA()).Release(fixture.V(fixture.Version), fixture.ImageSHA, release.Inputs{})
			require.NoError(t, err)
			err = p.Run(context.Background(), skipGo)
			require.ErrorIs(t, err, steps.ErrTagged)
			require.ErrorContains(t, err, "version tagged already: src/webhook/v0.13.0 ("+map[string]string{"local": "local", "remote": "origin"}[where])
			require.ErrorContains(t, err, "prepare v0.13.1 instead")
			requireFiles(t, r.Root, fixture.ReleaseAggr, "before")
		})
	}
	r := caatest.New(t, fixture.ReleaseAggr)
	p, err := newRepo(t, r.Root, config.CAA()).GomodBump(fixture.V(fixture.Version))
	out := caatest.Run(t, p, err, phase.Options{SkipGo: true, DryRun: true})
	require.Contains(t, out, "ok  check that v0.13.0 is not tagged yet: no tag of v0.13.0 locally or on origin")
}

// TestUnparsableFile: a file that would not parse stops the phase while it
// is planned, names the file, and nothing is written.
func TestUnparsableFile(t *testing.T) {
	r := caatest.New(t, fixture.ReleaseAggr)
	const gcp = "src/cloud-api-adaptor/install/overlays/gcp/kustomization.yaml"
	_, err := gitfixture.Commit(r.Open(t), map[string][]byte{gcp: []byte("images:\n- name: cloud-api-adaptor\n  newTag: [latest\n")}, "a broken overlay")
	require.NoError(t, err)
	head, err := r.Open(t).Head()
	require.NoError(t, err)
	p, err := newRepo(t, r.Root, config.CAA()).Release(fixture.V(fixture.Version), fixture.ImageSHA, release.Inputs{})
	require.NoError(t, err)
	var out strings.Builder
	err = p.Run(context.Background(), phase.Options{SkipGo: true, Out: &out})
	require.ErrorContains(t, err, "gcp/kustomization.yaml")
	require.NotContains(t, out.String(), "apply")
	files, err := fixture.Files(fixture.ReleaseAggr, "before")
	require.NoError(t, err)
	for name, want := range files {
		if name == gcp {
			continue
		}
		got, err := os.ReadFile(filepath.Join(r.Root, filepath.FromSlash(name)))
		require.NoError(t, err)
		require.Equal(t, string(want), string(got), name)
	}
	now, err := r.Open(t).Head()
	require.NoError(t, err)
	require.Equal(t, head.Hash(), now.Hash())
}

// TestReleaseZeroPseudoVersions: where the requires between the modules
// are the zero pseudo-version (a replace supplies them), release makes one
// commit: the overlays; the bump says why it does nothing.
func TestReleaseZeroPseudoVersions(t *testing.T) {
	slow.Git(t)
	files := map[string][]byte{
		"src/cloud-api-adaptor/versions.yaml":                               fixture.MustFile(fixture.ReleaseAggr, "before", "src/cloud-api-adaptor/versions.yaml"),
		"src/cloud-api-adaptor/install/overlays/aws/kustomization.yaml":     fixture.MustFile(fixture.ReleaseAggr, "before", "src/cloud-api-adaptor/install/overlays/aws/kustomization.yaml"),
		"src/cloud-api-adaptor/install/overlays/libvirt/kustomization.yaml": fixture.MustFile(fixture.ReleaseAggr, "before", "src/cloud-api-adaptor/install/overlays/libvirt/kustomization.yaml"),
		"src/a/go.mod": []byte("module example.com/r/src/a\n\ngo 1.25\n"),
		"src/b/go.mod": []byte("module example.com/r/src/b\n\ngo 1.25\n\nrequire example.com/r/src/a " + gomod.ZeroPseudoVersion + "\n\nreplace example.com/r/src/a => ../a\n"),
	}
	root := t.TempDir()
	g, err := gitfixture.WithRemote(root, t.TempDir(), files, "init")
	require.NoError(t, err)
	before, err := g.Head()
	require.NoError(t, err)
	p, err := newRepo(t, root, config.CAA()).Release(fixture.V("v0.2.0"), fixture.ImageSHA, release.Inputs{})
	out := caatest.Run(t, p, err, phase.Options{})
	require.Contains(t, out, "every internal require is the zero pseudo-version")
	require.Contains(t, out, "\": nothing to commit (the steps before it change nothing)")
	repo := caatest.Open(t, root)
	head, err := repo.Head()
	require.NoError(t, err)
	c, err := repo.CommitObject(head.Hash())
	require.NoError(t, err)
	require.Equal(t, []plumbing.Hash{before.Hash()}, c.ParentHashes, "one commit")
	require.True(t, strings.HasPrefix(c.Message, "release: pin the cloud-api-adaptor image"), c.Message)
}

// TestReleaseFailsAfterCommitOne: release's tidy fails after commit 1 was
// made: the overlays and go.mod files are restored and the branch has not
// moved (the commits land only when every step has passed).
func TestReleaseFailsAfterCommitOne(t *testing.T) {
	slow.Git(t)
	aws := "src/cloud-api-adaptor/install/overlays/aws/kustomization.yaml"
	files := map[string][]byte{
		"src/cloud-api-adaptor/versions.yaml": fixture.MustFile(fixture.ReleaseAggr, "before", "src/cloud-api-adaptor/versions.yaml"),
		aws:                                   fixture.MustFile(fixture.ReleaseAggr, "before", aws),
		"src/a/go.mod":                        []byte("module example.com/r/src/a\n\ngo 1.25\n"),
		"src/a/a.go":                          []byte("package a\n"),
		"src/b/go.mod":                        []byte("module example.com/r/src/b\n\ngo 1.25\n\nrequire example.com/r/src/a v0.1.0\n\nreplace example.com/r/src/a => ../a\n"),
		"src/b/b.go":                          []byte("package b\n\nimport (\n\t_ \"example.com/gone\"\n\t_ \"example.com/r/src/a\"\n)\n"),
	}
	root := t.TempDir()
	g, err := gitfixture.WithRemote(root, t.TempDir(), files, "init")
	require.NoError(t, err)
	before, err := g.Head()
	require.NoError(t, err)
	proxy := t.TempDir()
	require.NoError(t, goproxytest.Write(proxy))
	p, err := newRepo(t, root, config.CAA()).Release(fixture.V("v0.2.0"), fixture.ImageSHA, release.Inputs{})
	require.NoError(t, err)
	var out strings.Builder
	err = p.Run(context.Background(), phase.Options{Out: &out, Go: &gomod.Runner{Env: goproxytest.Env(proxy, t.TempDir())}})
	require.ErrorContains(t, err, `step "go mod tidy (in src/b)" failed`, out.String())
	require.Contains(t, out.String(), `ok  commit `)
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(name)))
		require.NoError(t, err)
		require.Equal(t, string(want), string(got), name)
	}
	repo := caatest.Open(t, root)
	head, err := repo.Head()
	require.NoError(t, err)
	require.Equal(t, before.Hash(), head.Hash())
	wt, err := repo.Worktree()
	require.NoError(t, err)
	st, err := wt.Status()
	require.NoError(t, err)
	require.True(t, st.IsClean(), st.String())
}

// TestDepsSyncDuplicateKey: a versions.yaml whose Kata reference is
// written twice is named as such, not as "none of [...] holds a value".
func TestDepsSyncDuplicateKey(t *testing.T) {
	r := caatest.New(t, fixture.KataSync)
	const file = "src/cloud-api-adaptor/versions.yaml"
	src := fixture.MustFile(fixture.KataSync, "before", file)
	src = []byte(strings.Replace(string(src), "    reference: 3.14.0\n", "    reference: 3.14.0\n    reference: 3.13.0\n", 1))
	_, err := gitfixture.Commit(r.Open(t), map[string][]byte{file: src}, "a bad merge")
	require.NoError(t, err)
	p, err := newRepo(t, r.Root, config.CAA()).DepsSync(context.Background(), kv(fixture.KataVersion), release.Inputs{KataRepo: "file://" + r.Kata})
	if err == nil {
		err = p.Run(context.Background(), skipGo)
	}
	require.ErrorContains(t, err, "key reference appears twice in oci.kata-containers (lines 57 and 58): keep one")
	require.NotContains(t, err.Error(), "holds a value")
}

// TestNoCommits: in a repository with no commit yet, the release and the
// postrelease say so ("reference not found", "no module tags" before).
func TestNoCommits(t *testing.T) {
	r := caatest.New(t, fixture.ReleaseAggr)
	require.NoError(t, os.RemoveAll(filepath.Join(r.Root, ".git")))
	_, err := git.PlainInit(r.Root, false)
	require.NoError(t, err)
	rel := newRepo(t, r.Root, config.CAA())
	p, err := rel.Release(fixture.V(fixture.Version), fixture.ImageSHA, release.Inputs{})
	require.NoError(t, err)
	err = p.Run(context.Background(), skipGo)
	require.ErrorIs(t, err, phase.ErrNoCommits)
	require.ErrorContains(t, err, "has no commits yet")
	_, err = rel.Postrelease(fixture.V(fixture.Version), release.Inputs{ReleaseDate: "2025-03-28"})
	require.ErrorIs(t, err, phase.ErrNoCommits)
}

// requireFilesCiting is requireTree with the release commit cited
// instead of the fixture's: the fixture's is not in the test's history.
func requireFilesCiting(t *testing.T, root, stage, fixtureCommit, commit string) {
	t.Helper()
	files, err := fixture.Files(stage, "after")
	require.NoError(t, err)
	for name, want := range files {
		want = []byte(strings.ReplaceAll(string(want), fixtureCommit, commit))
		got, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(name)))
		require.NoError(t, err)
		require.Equal(t, string(want), string(got), name)
	}
}

// head is the commit the repository's main, and its remote's, are at.
func head(t testing.TB, r caatest.Repo) string {
	t.Helper()
	h, err := r.Open(t).Head()
	require.NoError(t, err)
	return h.Hash().String()
}
