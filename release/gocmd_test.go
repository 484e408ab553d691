package release_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/gomod"
	"github.com/confidential-containers/release-tools/internal/caatest"
	"github.com/confidential-containers/release-tools/internal/fixture"
	"github.com/confidential-containers/release-tools/internal/gitfixture"
	"github.com/confidential-containers/release-tools/internal/goproxytest"
	"github.com/confidential-containers/release-tools/phase"
	"github.com/confidential-containers/release-tools/release"
	"github.com/confidential-containers/release-tools/release/config"
)

const (
	kataRuntime = "github.com/kata-containers/kata-containers/src/runtime"
	oldPseudo   = "v0.0.0-20250101000000-aaaaaaaaaaaa"
	newPseudo   = "v0.0.0-20250301000000-bbbbbbbbbbbb"
)

// TestDepsSyncRunsGo: deps:sync with the go command, offline: go get of
// the Kata runtime at the Kata tag (which the proxy resolves to a
// pseudo-version, as the real one does) and go mod tidy, in the module
// that requires it; versions.yaml, go.mod and the new go.sum land in one
// commit.
func TestDepsSyncRunsGo(t *testing.T) {
	r := caatest.New(t, fixture.KataSync)
	// One small module in place of the real ones, whose dependencies would
	// need the network.
	files, err := fixture.Files(fixture.KataSync, "before")
	require.NoError(t, err)
	for name := range files {
		if strings.HasSuffix(name, "go.mod") {
			delete(files, name)
		}
	}
	files["src/cloud-api-adaptor/go.mod"] = []byte("module github.com/confidential-containers/cloud-api-adaptor/src/cloud-api-adaptor\n\ngo 1.25\n\nrequire " + kataRuntime + " " + oldPseudo + "\n")
	files["src/cloud-api-adaptor/main.go"] = []byte("package main\n\nimport _ \"" + kataRuntime + "/pkg\"\n\nfunc main() {}\n")
	r.Root, r.Remote = t.TempDir(), t.TempDir()
	_, err = gitfixture.WithRemote(r.Root, r.Remote, files, "a module small enough for an offline proxy")
	require.NoError(t, err)

	proxy := t.TempDir()
	pkg := map[string]string{"pkg/pkg.go": "package pkg\n"}
	require.NoError(t, goproxytest.Write(proxy,
		goproxytest.Module{Path: kataRuntime, Version: oldPseudo, Files: pkg},
		goproxytest.Module{Path: kataRuntime, Version: newPseudo, Files: pkg}))
	// Kata's tags have no v: the proxy answers the query 3.15.0 with the
	// pseudo-version of the tagged commit.
	base := filepath.Join(proxy, "github.com", "kata-containers", "kata-containers", "src", "runtime", "@v")
	require.NoError(t, os.WriteFile(filepath.Join(base, "3.15.0.info"), []byte(`{"Version":"`+newPseudo+`","Time":"2025-03-01T00:00:00Z"}`), 0o644))

	p, err := newRepo(t, r.Root, config.CAA()).DepsSync(context.Background(), kv(fixture.KataVersion), release.Inputs{KataRepo: "file://" + r.Kata})
	out := caatest.Run(t, p, err, phase.Options{Go: &gomod.Runner{Env: goproxytest.Env(proxy, t.TempDir())}})
	require.Contains(t, out, "go get "+kataRuntime+"@3.15.0 (in src/cloud-api-adaptor) (waits on the go command and the network)")

	got, err := os.ReadFile(filepath.Join(r.Root, "src/cloud-api-adaptor/go.mod"))
	require.NoError(t, err)
	require.Contains(t, string(got), kataRuntime+" "+newPseudo)
	requireAfter(t, r.Root, fixture.KataSync, "src/cloud-api-adaptor/versions.yaml")
	head, err := r.Open(t).Head()
	require.NoError(t, err)
	c, err := r.Open(t).CommitObject(head.Hash())
	require.NoError(t, err)
	stats, err := c.Stats()
	require.NoError(t, err)
	var names []string
	for _, s := range stats {
		names = append(names, s.Name)
	}
	require.ElementsMatch(t, []string{"src/cloud-api-adaptor/go.mod", "src/cloud-api-adaptor/go.sum", "src/cloud-api-adaptor/versions.yaml"}, names)
	require.True(t, strings.HasPrefix(c.Message, "deps: sync with Kata Containers 3.15.0"))
}

func requireAfter(t *testing.T, root, stage, name string) {
	t.Helper()
	got, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(name)))
	require.NoError(t, err)
	require.Equal(t, string(fixture.MustFile(stage, "after", name)), string(got), name)
}
