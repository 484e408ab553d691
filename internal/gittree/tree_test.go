package gittree

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/gitrepo"
	"github.com/confidential-containers/release-tools/internal/run"
)

// TestWriteTree: the regular files of a commit's tree are written with
// their bytes, executables too; a symbolic link is left out.
func TestWriteTree(t *testing.T) {
	ctx := context.Background()
	src := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(src, "a", "b"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(src, "a", "b", "Chart.yaml"), []byte("name: x\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(src, "run.sh"), []byte("#!/bin/sh\n"), 0o755))
	require.NoError(t, os.Symlink("/etc/hostname", filepath.Join(src, "link")))
	for _, args := range [][]string{
		{"init", "-q"}, {"add", "-A"},
		{"-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "-m", "tree"},
	} {
		_, err := run.Cmd(ctx, src, nil, "git", args...)
		require.NoError(t, err, args)
	}
	repo, err := gitrepo.Open(src)
	require.NoError(t, err)
	head, err := repo.Head()
	require.NoError(t, err)
	c, err := repo.CommitObject(head.Hash())
	require.NoError(t, err)
	tree, err := c.Tree()
	require.NoError(t, err)

	dir := t.TempDir()
	require.NoError(t, WriteTree(tree, dir))
	data, err := os.ReadFile(filepath.Join(dir, "a", "b", "Chart.yaml"))
	require.NoError(t, err)
	require.Equal(t, "name: x\n", string(data))
	require.FileExists(t, filepath.Join(dir, "run.sh"))
	_, err = os.Lstat(filepath.Join(dir, "link"))
	require.ErrorIs(t, err, os.ErrNotExist)
}

func TestLocalPath(t *testing.T) {
	for p, want := range map[string]bool{
		"a/b": true, "Chart.yaml": true, "../x": false, "a/../../x": false, "/etc/x": false, ".git/config": false, "a/.GIT/x": false, "a//b": false,
	} {
		require.Equal(t, want, localPath(p), p)
	}
}
