package e2e_test

import (
	"crypto/sha256"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
	gogithub "github.com/google/go-github/v84/github"
	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/adopt"
	"github.com/confidential-containers/release-tools/internal/fixture"
	"github.com/confidential-containers/release-tools/internal/fixturemods"
	"github.com/confidential-containers/release-tools/internal/ghfake"
	"github.com/confidential-containers/release-tools/internal/gitfixture"
)

func TestMain(m *testing.M) { gitfixture.Main(m) }

var (
	compileOnce sync.Once
	compiled    string
	compileErr  error
	goCache     string
)

// frontend compiles the mage frontend as a user gets it (the magefile
// adopt writes, which imports the targets, compiled by go tool mage
// -compile), once per test binary, and returns the binary. The magefile is
// a module of its own in a folder of the user's cache (see [compile]), in
// a go.work with this checkout: mage writes its mage_output_file.go there,
// never into the checkout.
func frontend(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("the end-to-end test compiles the frontend: not with -short")
	}
	compileOnce.Do(func() {
		start := time.Now()
		compiled, goCache, compileErr = compile(gitfixture.MainDir())
		if compileErr == nil {
			t.Logf("compiled the frontend in %s", time.Since(start).Round(time.Millisecond))
		}
	})
	require.NoError(t, compileErr)
	return compiled
}

// compile writes the magefile adopt writes, as module magefiles, and a
// go.work using it and this checkout, compiles it with go tool mage
// -compile and copies the binary into dir; it returns the copy and the go
// command's GOCACHE. The module and the binary stay in a folder of the
// user's cache, one per checkout, so that the next run's go build finds
// the binary up to date (the same files at the same paths) and links
// nothing when nothing changed; a lock on the folder keeps two runs of
// the tests from compiling there at once.
func compile(dir string) (bin, gocache string, err error) {
	checkout, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		return "", "", err
	}
	files, err := adopt.Files(adopt.Options{Version: "v0.0.0-00010101000000-000000000000"})
	if err != nil {
		return "", "", err
	}
	// Without a cache folder to write (no HOME, a read-only one), the
	// frontend is compiled in dir each time.
	base := dir
	if cache, err := os.UserCacheDir(); err == nil {
		sum := sha256.Sum256([]byte(checkout))
		shared := filepath.Join(cache, "release-tools-e2e", fmt.Sprintf("%x", sum[:8]))
		if os.MkdirAll(shared, 0o755) == nil {
			base = shared
		}
	}
	mod := filepath.Join(base, "magefiles")
	if err := os.MkdirAll(mod, 0o755); err != nil {
		return "", "", err
	}
	unlock, err := lock(filepath.Join(base, "lock"))
	if err != nil {
		return "", "", err
	}
	defer unlock()
	for name, data := range map[string][]byte{
		"magefile.go": files[path.Join(adopt.Dir, "magefile.go")],
		"go.mod":      []byte("module magefiles\n\ngo 1.25.0\n"),
		"go.work":     []byte(fmt.Sprintf("go 1.25.0\n\nuse (\n\t.\n\t%q\n)\n", checkout)),
	} {
		if err := os.WriteFile(filepath.Join(mod, name), data, 0o644); err != nil {
			return "", "", err
		}
	}
	built := filepath.Join(base, "mage-release")
	cmd := exec.Command("go", "tool", "mage", "-compile", built)
	cmd.Dir, cmd.Env = mod, append(os.Environ(), "GOWORK="+filepath.Join(mod, "go.work"))
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", "", fmt.Errorf("go tool mage -compile: %v: %s", err, out)
	}
	bin = filepath.Join(dir, "mage-release")
	if built != bin {
		data, err := os.ReadFile(built)
		if err != nil {
			return "", "", err
		}
		if err := os.WriteFile(bin, data, 0o755); err != nil {
			return "", "", err
		}
	}
	out, err := exec.Command("go", "env", "GOCACHE").Output()
	if err != nil {
		return "", "", fmt.Errorf("go env GOCACHE: %v", err)
	}
	return bin, strings.TrimSpace(string(out)), nil
}

// world is a cloud-api-adaptor-shaped repository, with small modules in
// place of the go.mod files the go command reads, its bare origin, a Kata
// Containers repository, the file:// module proxy, the fake GitHub and the
// TLS registry; and the environment the frontend runs in.
type world struct {
	bin                string
	root, remote, kata string
	gh                 *ghfake.Server
	oci                *ociWorld
	env                []string
}

// cloudProviders is the module whose Makefile generates the providers'
// chart values (make -C src/cloud-providers sync-chart-values).
const cloudProviders = "src/cloud-providers/"

// generator stands in for what the fixtures lack of cloud-api-adaptor's
// generator of the providers' chart values, so that CAA's preset check
// (make -C src/cloud-providers sync-chart-values, the real Makefile
// target) runs in a checked world (newCheckedWorld): cmd/config-extractor,
// which describes a provider with no flags, and the .gitignore of what the
// target builds. With no provider directory (no */manager.go), the
// target builds it and generates nothing.
var generator = map[string]string{
	cloudProviders + "cmd/config-extractor/main.go": `package main

import "os"

func main() {
	os.Stdout.WriteString("{\"provider\": \"" + os.Args[len(os.Args)-1] + "\", \"flags\": []}\n")
}
`,
	cloudProviders + ".gitignore": "/bin/\n",
}

// newWorld builds a world from a stage's before/ files, Kata releases
// kata tagged in its Kata repository, releases in the fake GitHub. Its
// tree lacks the generator of CAA's check (as trees before v0.18.0 do),
// so the check is skipped there: the tests of whole cycles and of the
// check itself build a newCheckedWorld.
func newWorld(t *testing.T, stage string, kata []string, releases ...string) *world {
	t.Helper()
	return buildWorld(t, false, stage, kata, releases...)
}

// newCheckedWorld is newWorld where a Helm-era tree has newWorld's
// stand-in generator, so that CAA's check runs the real Makefile target
// before each commit.
func newCheckedWorld(t *testing.T, stage string, kata []string, releases ...string) *world {
	t.Helper()
	return buildWorld(t, true, stage, kata, releases...)
}

func buildWorld(t *testing.T, checked bool, stage string, kata []string, releases ...string) *world {
	t.Helper()
	w := &world{bin: frontend(t), root: t.TempDir(), remote: t.TempDir(), kata: t.TempDir()}
	files, err := fixture.Files(stage, "before")
	require.NoError(t, err)
	files, err = fixturemods.Small(files)
	require.NoError(t, err)
	_, hasCheck := files[cloudProviders+"Makefile"]
	hasCheck = hasCheck && checked
	if hasCheck {
		// CAA's check runs the real Makefile target, which needs make and
		// jq (on the project's machines; a newcomer's may lack them).
		for _, p := range []string{"make", "jq"} {
			if _, err := exec.LookPath(p); err != nil {
				t.Skipf("CAA's check (make -C src/cloud-providers sync-chart-values) runs %s, not installed here: install it to run this test", p)
			}
		}
		for name, data := range generator {
			files[name] = []byte(data)
		}
	}
	_, err = gitfixture.WithRemote(w.root, w.remote, files, "before "+stage)
	require.NoError(t, err)
	rels, err := fixture.KataReleases(kata...)
	require.NoError(t, err)
	_, err = gitfixture.Releases(w.kata, rels...)
	require.NoError(t, err)

	proxy := t.TempDir()
	require.NoError(t, fixturemods.WriteProxy(proxy))
	w.gh = &ghfake.Server{Admin: true, Protection: map[string]*gogithub.Protection{"main": {}}}
	for _, r := range releases {
		w.gh.Releases = append(w.gh.Releases, ghfake.Rel(r, false))
	}
	gh := httptest.NewServer(w.gh)
	t.Cleanup(gh.Close)
	w.oci = startOCI(t)

	home := t.TempDir()
	// Go's telemetry off in this HOME: its detached uploader would write
	// below HOME while the test removes it.
	require.NoError(t, os.MkdirAll(filepath.Join(home, ".config", "go", "telemetry"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(home, ".config", "go", "telemetry", "mode"), []byte("off"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(home, ".gitconfig"),
		[]byte("[user]\n\tname = "+gitfixture.Name+"\n\temail = "+gitfixture.Email+"\n[init]\n\tdefaultBranch = main\n"+
			"[gc]\n\tauto = 0\n[maintenance]\n\tauto = false\n"), 0o644))
	w.env = []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + home,
		"TMPDIR=" + t.TempDir(),
		"GIT_CONFIG_NOSYSTEM=1",
		"GOCACHE=" + goCache,
		// One module cache for the test binary's worlds, as a machine
		// has: the go command locks it for the worlds that share it.
		"GOMODCACHE=" + filepath.Join(gitfixture.MainDir(), "gomodcache"),
		// -modcacherw: the module cache is removed with the tests.
		// -trimpath -buildvcs=false: the stand-in generator CAA's check
		// builds is the same binary in every world and at every commit,
		// so go build finds the one newWorld seeds up to date.
		"GOFLAGS=-modcacherw -trimpath -buildvcs=false",
		"GOPROXY=file://" + filepath.ToSlash(proxy),
		"GOSUMDB=off",
		"GOTOOLCHAIN=local",
		"HTTPS_PROXY=" + w.oci.Proxy,
		"SSL_CERT_FILE=" + w.oci.CAFile,
		// The stand-in's CA alone: the machine's (SSL_CERT_DIR's
		// default, /etc/ssl/certs) are neither needed nor read.
		"SSL_CERT_DIR=" + filepath.Dir(w.oci.CAFile),
		"GITHUB_API_URL=" + gh.URL + "/api/v3/",
		"GITHUB_TOKEN=" + ghfake.Token,
		"GITHUB_REPOSITORY=confidential-containers/cloud-api-adaptor",
		"KATA_REPO=file://" + filepath.ToSlash(w.kata),
	}
	if hasCheck {
		w.seedGenerator(t)
	}
	return w
}

var (
	generatorOnce sync.Once
	generatorBin  []byte
	generatorErr  error
)

// seedGenerator puts in the world's src/cloud-providers/bin/ the stand-in
// generator its Makefile builds, built once per test binary: the check's
// go build finds it up to date (the same build ID: -trimpath, no VCS
// stamp) and links nothing, where every world linked its own.
func (w *world) seedGenerator(t *testing.T) {
	t.Helper()
	generatorOnce.Do(func() {
		out := filepath.Join(gitfixture.MainDir(), "config-extractor")
		cmd := exec.Command("go", "build", "-o", out, "./cmd/config-extractor")
		cmd.Dir, cmd.Env = filepath.Join(w.root, filepath.FromSlash(cloudProviders)), w.env
		if msg, err := cmd.CombinedOutput(); err != nil {
			generatorErr = fmt.Errorf("go build ./cmd/config-extractor: %v: %s", err, msg)
			return
		}
		generatorBin, generatorErr = os.ReadFile(out)
	})
	require.NoError(t, generatorErr)
	bin := filepath.Join(w.root, filepath.FromSlash(cloudProviders), "bin")
	require.NoError(t, os.MkdirAll(bin, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(bin, "config-extractor"), generatorBin, 0o755))
}

// noModules is the environment of a go command that finds no module: an
// empty proxy, and an empty module cache (the worlds' shared one may hold
// what another world fetched).
func noModules(t *testing.T) []string {
	return []string{"GOPROXY=file://" + filepath.ToSlash(t.TempDir()), "GOMODCACHE=" + t.TempDir()}
}

// mage runs the frontend in the repository with the world's environment
// and vars (NAME=value), and returns what it printed; a failure fails the
// test, with the output.
func (w *world) mage(t *testing.T, vars []string, args ...string) string {
	t.Helper()
	out, err := w.try(t, vars, args...)
	require.NoError(t, err, "%s %s: %s", strings.Join(vars, " "), strings.Join(args, " "), out)
	return out
}

// try is mage that returns the error.
func (w *world) try(t *testing.T, vars []string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), w.bin, args...)
	cmd.Dir = w.root
	cmd.Env = append(slices.Clip(w.env), vars...)
	out, err := cmd.CombinedOutput()
	t.Logf("$ %s mage %s\n%s", strings.Join(vars, " "), strings.Join(args, " "), out)
	return string(out), err
}

// split is mage with what it printed on stdout (the results) and on
// stderr (the progress) apart; a failure fails the test.
func (w *world) split(t *testing.T, vars []string, args ...string) (stdout, stderr string) {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), w.bin, args...)
	cmd.Dir = w.root
	cmd.Env = append(slices.Clip(w.env), vars...)
	var o, e strings.Builder
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	t.Logf("$ %s mage %s\nstdout:\n%s\nstderr:\n%s", strings.Join(vars, " "), strings.Join(args, " "), o.String(), e.String())
	require.NoError(t, err, "%s %s: %s%s", strings.Join(vars, " "), strings.Join(args, " "), o.String(), e.String())
	return o.String(), e.String()
}

// git runs git in the repository.
func (w *world) git(t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = w.root
	cmd.Env = w.env
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "git %s: %s", strings.Join(args, " "), out)
	return strings.TrimSpace(string(out))
}

// merge moves origin's main to HEAD, as a reviewer merging the PR with
// its commits would (a fast-forward), and origin/main with it, as the
// release manager's git pull would; the work tree must be clean. It is
// done in the process (see push).
func (w *world) merge(t *testing.T) string {
	t.Helper()
	repo, origin := w.repos(t)
	head, err := repo.Head()
	require.NoError(t, err)
	old, err := origin.Reference(plumbing.Main, false)
	require.NoError(t, err)
	if old.Hash() != head.Hash() {
		oldCommit, err := repo.CommitObject(old.Hash())
		require.NoError(t, err)
		headCommit, err := repo.CommitObject(head.Hash())
		require.NoError(t, err)
		ff, err := oldCommit.IsAncestor(headCommit)
		require.NoError(t, err)
		require.True(t, ff, "merge: origin's main %s is not below HEAD %s", old.Hash(), head.Hash())
	}
	w.push(t, head.Hash().String(), plumbing.Main)
	require.NoError(t, repo.Storer.SetReference(plumbing.NewHashReference(plumbing.NewRemoteReferenceName("origin", "main"), head.Hash())))
	require.Empty(t, w.git(t, "status", "--porcelain"), "the phase left the work tree dirty")
	return head.Hash().String()
}

// repos opens the repository and its origin in the process.
func (w *world) repos(t *testing.T) (repo, origin *git.Repository) {
	t.Helper()
	repo, err := git.PlainOpen(w.root)
	require.NoError(t, err)
	origin, err = git.PlainOpen(w.remote)
	require.NoError(t, err)
	return repo, origin
}

// push copies to origin the objects of commit and of its history that
// origin lacks and points refs there at commit, as git push would without
// a check of what the refs held: in the process, where git push starts
// git-receive-pack and the processes it starts in turn.
func (w *world) push(t *testing.T, commit string, refs ...plumbing.ReferenceName) {
	t.Helper()
	repo, origin := w.repos(t)
	h := plumbing.NewHash(commit)
	require.NoError(t, copyObjects(repo.Storer, origin.Storer, h))
	for _, ref := range refs {
		require.NoError(t, origin.Storer.SetReference(plumbing.NewHashReference(ref, h)))
	}
}

// copyObjects copies the object h and those it reaches from one store to
// the other, but those the other has (with all they reach), each after
// those it reaches.
func copyObjects(from, to storer.EncodedObjectStorer, h plumbing.Hash) error {
	if to.HasEncodedObject(h) == nil {
		return nil
	}
	obj, err := from.EncodedObject(plumbing.AnyObject, h)
	if err != nil {
		return err
	}
	var reached []plumbing.Hash
	switch obj.Type() {
	case plumbing.CommitObject:
		c, err := object.DecodeCommit(from, obj)
		if err != nil {
			return err
		}
		reached = append([]plumbing.Hash{c.TreeHash}, c.ParentHashes...)
	case plumbing.TreeObject:
		tree, err := object.DecodeTree(from, obj)
		if err != nil {
			return err
		}
		for _, e := range tree.Entries {
			if e.Mode != filemode.Submodule {
				reached = append(reached, e.Hash)
			}
		}
	case plumbing.TagObject:
		tag, err := object.DecodeTag(from, obj)
		if err != nil {
			return err
		}
		reached = append(reached, tag.Target)
	}
	for _, r := range reached {
		if err := copyObjects(from, to, r); err != nil {
			return err
		}
	}
	_, err = to.SetEncodedObject(obj)
	return err
}

// rev is the commit rev names in the repository (HEAD, HEAD~1,
// origin/main), read in the process.
func (w *world) rev(t *testing.T, rev string) string {
	t.Helper()
	repo, err := git.PlainOpen(w.root)
	require.NoError(t, err)
	h, err := repo.ResolveRevision(plumbing.Revision(rev))
	require.NoError(t, err, rev)
	return h.String()
}

// log returns the subjects of the last n commits of main, newest first.
func (w *world) log(t *testing.T, n int) []string {
	t.Helper()
	return strings.Split(w.git(t, "log", "--format=%s", fmt.Sprintf("-%d", n)), "\n")
}

// changed returns the files the commit changed.
func (w *world) changed(t *testing.T, commit string) []string {
	t.Helper()
	return strings.Split(w.git(t, "diff-tree", "--no-commit-id", "--name-only", "-r", commit), "\n")
}

// remoteTags returns origin's tags whose name ends with suffix.
func (w *world) remoteTags(t *testing.T, suffix string) map[string]string {
	t.Helper()
	all, err := gitfixture.Tags(w.remote)
	require.NoError(t, err)
	out := map[string]string{}
	for n, c := range all {
		if strings.HasSuffix(n, suffix) {
			out[n] = c
		}
	}
	return out
}

// requireTree checks the work tree holds want's files byte for byte (want
// is a stage's after/ files, with small modules), and none of gone.
func requireTree(t *testing.T, root string, want map[string][]byte, gone ...string) {
	t.Helper()
	for name, data := range want {
		got, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(name)))
		require.NoError(t, err, name)
		require.Equal(t, string(data), string(got), name)
	}
	for _, name := range gone {
		require.NoFileExists(t, filepath.Join(root, filepath.FromSlash(name)))
	}
}

// after is a stage's after/ files with small modules.
func after(t *testing.T, stage string) map[string][]byte {
	t.Helper()
	files, err := fixture.Files(stage, "after")
	require.NoError(t, err)
	files, err = fixturemods.Small(files)
	require.NoError(t, err)
	return files
}

// replace replaces old by new in every file of files, and returns the
// names of the files it changed, sorted.
func replace(files map[string][]byte, pairs ...string) []string {
	var changed []string
	for name, data := range files {
		s := string(data)
		for i := 0; i+1 < len(pairs); i += 2 {
			s = strings.ReplaceAll(s, pairs[i], pairs[i+1])
		}
		if s != string(data) {
			files[name] = []byte(s)
			changed = append(changed, name)
		}
	}
	slices.Sort(changed)
	return changed
}
