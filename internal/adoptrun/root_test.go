package adoptrun_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/adopt"
	"github.com/confidential-containers/release-tools/internal/adoptrun"
	"github.com/confidential-containers/release-tools/internal/caatest"
	"github.com/confidential-containers/release-tools/internal/fixture"
	"github.com/confidential-containers/release-tools/internal/gitfixture"
	"github.com/confidential-containers/release-tools/internal/goproxytest"
)

// localRoute is docs/adopting.md's command that adopts, from the root of the
// repository, a local checkout of the release tools.
const localRoute = `go -C <release-tools checkout> run ./cmd/adopt "$PWD"`

// TestAdoptRunsFromRoot adopts the targets into a cloud-api-adaptor-shaped
// repository without a root go.mod with the README's command for a local
// checkout (localRoute), run from its root, then runs adopt.Command from its root
// with the real go command, offline: -l lists the release targets and
// only them (adopt and demo are this repository's own), and status reads
// the root. .mage/go.mod replaces the release tools with this checkout.
// The go command's only module proxy is one the test writes (file://),
// holding every module version this checkout's go.sum names: adopt's go
// mod tidy depends on nothing the module cache happens to hold.
func TestAdoptRunsFromRoot(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds mage and the targets with the go command (about 20 s)")
	}
	checkout, err := filepath.Abs(filepath.Join("..", ".."))
	require.NoError(t, err)
	repo := caatest.New(t, fixture.HelmPostrelease)
	_, err = os.Stat(filepath.Join(repo.Root, "go.mod"))
	require.ErrorIs(t, err, os.ErrNotExist, "the root of CAA has no go.mod")

	// The README's command for a local checkout, run as written from the
	// root (with the path of this checkout): go run builds adopt from the
	// checkout, which adopts the root given.
	readme, err := os.ReadFile(filepath.Join(checkout, "docs", "adopting.md"))
	require.NoError(t, err)
	require.True(t, strings.Contains(string(readme), "\n"+localRoute+"\n"), "docs/adopting.md shows the command tested here: %s", localRoute)
	env := offlineEnv(t, checkout)
	start := time.Now()
	adopted := goCmd(t, repo.Root, env, "sh", "-c", strings.Replace(localRoute, "<release-tools checkout>", "'"+checkout+"'", 1))
	t.Logf("%s: %s", localRoute, time.Since(start).Round(time.Millisecond))
	require.Contains(t, adopted, "adopt: wrote .mage/go.mod\n")
	require.Contains(t, adopted, "adopt: .mage/go.mod replaces "+adopt.Module+" with "+checkout+": for trying it here, not for committing\n")
	require.Contains(t, adopted, "  go -C .mage tool mage -w .. status\n")
	require.Contains(t, adopted, "adopt: go mod tidy in .mage")
	require.Contains(t, adopted, "adopt: building the release targets once, so that the first run starts at once", "adopt says what it builds: mage itself is silent")
	require.Contains(t, adopted, "adopt: built the targets in ")
	gomod, err := os.ReadFile(filepath.Join(repo.Root, adopt.Dir, "go.mod"))
	require.NoError(t, err)
	require.Contains(t, string(gomod), "replace "+adopt.Module+" => "+checkout+"\n")
	for _, name := range []string{"mage_output_file.go", adopt.Dir} {
		require.NoFileExists(t, filepath.Join(checkout, name), "nothing written into the checkout")
	}
	out := &strings.Builder{}
	r := adoptrun.Run{Root: repo.Root, SkipGo: true, Out: out}
	o := adopt.Options{Version: "v0.0.0-00010101000000-000000000000", Replace: checkout}

	commitDir(t, repo.Root, adopt.Dir)

	// What CAA's scripts run in every folder with a go.mod (go-tidy.sh,
	// govulncheck.sh and golangci-lint.sh load ./...): .mage/ holds a
	// package for them, and tidy changes nothing.
	mage := filepath.Join(repo.Root, adopt.Dir)
	require.Equal(t, "magefiles\n", goCmd(t, mage, env, "go", "list", "./..."))
	goCmd(t, mage, env, "go", "vet", "./...")
	goCmd(t, mage, env, "go", "mod", "tidy")
	require.Empty(t, goCmd(t, repo.Root, env, "git", "status", "--porcelain"), "tidy again changes nothing")

	// A second adopt refuses and changes nothing.
	err = r.Adopt(context.Background(), o)
	require.ErrorIs(t, err, adopt.ErrExists)
	require.ErrorContains(t, err, ".mage/go.mod, .mage/go.sum, .mage/magefile.go, .mage/main.go")
	dry := adoptrun.Run{Root: repo.Root, DryRun: true, Out: out}
	require.ErrorIs(t, dry.Adopt(context.Background(), o), adopt.ErrExists, "the dry run says what the run would do")

	args := strings.Fields(adopt.Command)
	start = time.Now()
	list := goCmd(t, repo.Root, env, args[0], append(args[1:], "-l")...)
	t.Logf("first run, warm (adopt built the targets), MAGEFILE_HASHFAST unset: %s", time.Since(start).Round(time.Millisecond))
	for _, target := range []string{"status", "release", "postrelease", "deps:sync", "github:release", "charts:bump"} {
		require.Contains(t, list, "\n  "+target+" ", target)
	}
	for _, target := range []string{"adopt", "demo"} {
		require.NotContains(t, list, "\n  "+target+" ", "%s is this repository's own target, not a release target", target)
	}
	const building = "release-tools: building the release targets: about a minute, once for this go.mod and go.sum"
	require.NotContains(t, list, building, "listing builds nothing")

	start = time.Now()
	// Without GITHUB_TOKEN the GitHub checks are not made: exit status 3
	// (mage turns the target's error into it), and no "clean" line.
	cmd := exec.CommandContext(context.Background(), args[0], append(args[1:], "status")...)
	cmd.Dir, cmd.Env = repo.Root, append(env, "KATA_REPO=file://"+repo.Kata)
	raw, err := cmd.CombinedOutput()
	status := string(raw)
	t.Logf("status, warm: %s", time.Since(start).Round(time.Millisecond))
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit, status)
	require.Equal(t, 3, exit.ExitCode(), status)
	require.Contains(t, status, "1 check not made (so the state is not known to be clean):\n  - the GitHub release and the open pull requests: no GITHUB_TOKEN")
	require.NotContains(t, status, "no inconsistencies found")
	require.NotContains(t, status, building, "adopt built the targets: the first run starts warm")
	require.Contains(t, status, "layout ")
	require.Contains(t, status, "Helm charts")
	require.Contains(t, status, "requires of src/cloud-api-adaptor")
	require.NotContains(t, status, ".mage", "the adoption module is no module of the release")

	released, err := gitfixture.Head(repo.Remote) // RELEASE_COMMIT must be on origin/main
	require.NoError(t, err)
	plan := goCmd(t, repo.Root, append(env, "DRY_RUN=1", "RELEASE_COMMIT="+released, "RELEASE_DATE="+fixture.HelmReleaseDate), args[0], append(args[1:], "postrelease", fixture.HelmPatchVersion)...)
	require.Contains(t, plan, "postrelease v0.21.1: dry run, nothing written")
	require.NotContains(t, plan, building, "built once")

	// A warm start as the go command checks the targets (this go.mod
	// replaces the release tools with a folder): MAGEFILE_HASHFAST=0. The
	// runs above are warm starts as it does not (the wrapper's default,
	// what a go.mod requiring a version gets). The time is logged, not
	// checked.
	start = time.Now()
	goCmd(t, repo.Root, append(env, "MAGEFILE_HASHFAST=0"), args[0], append(args[1:], "-l")...)
	t.Logf("warm %s -l, MAGEFILE_HASHFAST=0: %s", adopt.Command, time.Since(start).Round(time.Millisecond))

	porcelain := goCmd(t, repo.Root, env, "git", "status", "--porcelain")
	require.Empty(t, porcelain, "running the targets leaves the tree clean")
}

// offlineEnv is the environment of the go command without the network
// and without the variables the targets read: its module proxy is a
// file:// one serving what the go.sum of checkout names
// ([goproxytest.FromGoSum]; the go command downloads what the module cache
// lacks first, as it gets any dependency).
func offlineEnv(t *testing.T, checkout string) []string {
	t.Helper()
	proxy := t.TempDir()
	require.NoError(t, goproxytest.FromGoSum(t.Context(), proxy, checkout))
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch {
		case strings.HasPrefix(name, "GITHUB_"), strings.HasPrefix(name, "RELEASE_"), strings.HasPrefix(name, "KATA_"),
			strings.HasPrefix(name, "OPERATOR_"), strings.HasPrefix(name, "MAGEFILE_"), strings.HasPrefix(name, "GO"):
			if name != "GOPATH" && name != "GOMODCACHE" && name != "GOCACHE" && name != "GOROOT" {
				continue
			}
		case name == "DRY_RUN", name == "PUSH", name == "SIGN", name == "NO_COMMIT", name == "SKIP_GO",
			name == "SKIP_REGISTRY", name == "TAG_COMMIT", name == "CHART_VERSION":
			continue
		}
		env = append(env, kv)
	}
	return append(env, "GOPROXY=file://"+filepath.ToSlash(proxy), "GOSUMDB=off", "GOFLAGS=-mod=mod", "GOWORK=off", "GOTOOLCHAIN=local",
		"MAGEFILE_CACHE="+t.TempDir(), "RELEASE_REMOTE=origin", "RELEASE_BRANCH=main")
}

// goCmd runs a command in dir and returns its standard output and error.
func goCmd(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.CommandContext(context.Background(), name, args...)
	cmd.Dir, cmd.Env = dir, env
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s %s:\n%s", name, strings.Join(args, " "), out)
	return string(out)
}

// commitDir commits the files of dir, relative to root.
func commitDir(t *testing.T, root, dir string) {
	t.Helper()
	files := map[string][]byte{}
	entries, err := os.ReadDir(filepath.Join(root, dir))
	require.NoError(t, err)
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(root, dir, e.Name()))
		require.NoError(t, err)
		files[dir+"/"+e.Name()] = data
	}
	_, err = gitfixture.Commit(caatest.Open(t, root), files, "adopt the release targets")
	require.NoError(t, err)
}
