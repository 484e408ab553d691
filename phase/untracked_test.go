package phase_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/gitfixture"
	"github.com/confidential-containers/release-tools/internal/slow"
	"github.com/confidential-containers/release-tools/phase"
)

// TestUntrackedLeftAlone: a phase never edits or commits a file git does
// not track (a copied overlay the discovery finds, an ignored file): the
// plan names them as left alone, and they stay as they are. Creating a
// new file (a Chart.lock) is an edit like any other, and is committed.
func TestUntrackedLeftAlone(t *testing.T) {
	slow.Git(t)
	t.Parallel()
	root := t.TempDir()
	_, err := gitfixture.Init(root, map[string][]byte{
		".gitignore":                       []byte("*.local\n"),
		"overlays/v1/kustomization.yaml":   []byte("tag: v1\n"),
		"overlays/v1/removed-by-the-phase": []byte("x\n"),
	}, "init")
	require.NoError(t, err)
	untracked := map[string]string{
		"overlays/wip/kustomization.yaml": "tag: v1\n", // copied, not added
		"settings.local":                  "tag: v1\n", // ignored
	}
	for p, data := range untracked {
		name := filepath.Join(root, filepath.FromSlash(p))
		require.NoError(t, os.MkdirAll(filepath.Dir(name), 0o755))
		require.NoError(t, os.WriteFile(name, []byte(data), 0o644))
	}
	bump := func(_ context.Context, t *phase.Tree) (string, error) {
		for _, p := range []string{"overlays/v1/kustomization.yaml", "overlays/wip/kustomization.yaml", "settings.local"} {
			if _, err := t.Edit(p, func(b []byte) ([]byte, error) {
				return []byte(strings.ReplaceAll(string(b), "v1", "v2")), nil
			}); err != nil {
				return "", err
			}
		}
		return "", nil
	}
	p := &phase.Phase{Name: "p", Root: root, Git: openRepo(t, root), Steps: []phase.Step{
		phase.Edit{Name: "bump the overlays", Plan: bump},
		phase.Edit{Name: "write the locks", Plan: func(_ context.Context, t *phase.Tree) (string, error) {
			if _, err := t.Write("overlays/wip/kustomization.yaml", []byte("x\n")); err != nil {
				return "", err
			}
			if _, err := t.Remove("settings.local"); err != nil {
				return "", err
			}
			if _, err := t.Remove("overlays/v1/removed-by-the-phase"); err != nil {
				return "", err
			}
			_, err := t.Write("Chart.lock", []byte("new\n"))
			return "", err
		}},
		phase.Commit{Message: "bump"},
	}}
	var out strings.Builder
	require.NoError(t, p.Run(t.Context(), phase.Options{Out: &out}))
	require.Contains(t, out.String(), "  * bump the overlays\n    (left alone, not tracked by git: overlays/wip/kustomization.yaml, settings.local)\n")
	require.Contains(t, out.String(), "  * write the locks\n    (left alone, not tracked by git: overlays/wip/kustomization.yaml, settings.local)\n")
	for p, data := range untracked {
		require.Equal(t, data, read(t, root, p), p)
	}
	require.Equal(t, "tag: v2\n", read(t, root, "overlays/v1/kustomization.yaml"))
	require.Equal(t, "new\n", read(t, root, "Chart.lock"))

	r, err := git.PlainOpen(root)
	require.NoError(t, err)
	c, err := r.CommitObject(branch(t, root))
	require.NoError(t, err)
	var files []string
	iter, err := c.Files()
	require.NoError(t, err)
	require.NoError(t, iter.ForEach(func(f *object.File) error { files = append(files, f.Name); return nil }))
	require.Equal(t, []string{".gitignore", "Chart.lock", "overlays/v1/kustomization.yaml"}, files)
}
