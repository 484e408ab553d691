package config_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/release/config"
)

// TestChecks: a check in release.yaml is its command or a mapping of run,
// needs and if; a bad one is refused naming it. CAA's preset runs make -C
// src/cloud-providers sync-chart-values, naming go and jq (what the
// target runs), where that Makefile has the target and the generator's
// source is there.
func TestChecks(t *testing.T) {
	dir := t.TempDir()
	write := func(data string) (config.Config, error) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, config.ConfigFile), []byte(data), 0o644))
		return config.LoadConfig(dir)
	}
	cfg, err := write("checks:\n  - make gen\n  - run: make -C sub sync\n    needs: [jq]\n    if: [{file: sub/Makefile, line: 'sync:'}]\n")
	require.NoError(t, err)
	require.Equal(t, []config.Check{
		{Run: "make gen"},
		{Run: "make -C sub sync", Needs: []string{"jq"}, If: []config.Has{{File: "sub/Makefile", Line: "sync:"}}},
	}, cfg.Checks)
	require.Equal(t, []string{"make", "-C", "sub", "sync"}, cfg.Checks[1].Args())

	for data, want := range map[string]string{
		"checks: [{run: make, nedds: [jq]}]\n":        "field nedds not found",
		"checks: [{needs: [jq]}]\n":                   "checks[0]: empty command",
		"checks: [{run: make, needs: ['a b']}]\n":     `needs "a b": want a program's name`,
		"checks: [{run: make, if: [{file: ../x}]}]\n": `if file "../x": want a slash-separated path`,
	} {
		_, err := write(data)
		require.ErrorContains(t, err, want, data)
	}

	caa := config.CAA().Checks
	require.Len(t, caa, 1)
	require.Equal(t, "make -C src/cloud-providers sync-chart-values", caa[0].Run)
	require.Subset(t, caa[0].Needs, []string{"go", "jq"})

	root := t.TempDir()
	unmet := func() string {
		t.Helper()
		why, err := caa[0].Unmet(root)
		require.NoError(t, err)
		return why
	}
	require.Equal(t, "src/cloud-providers/Makefile is not there", unmet())
	mk := filepath.Join(root, "src", "cloud-providers", "Makefile")
	require.NoError(t, os.MkdirAll(filepath.Dir(mk), 0o755))
	require.NoError(t, os.WriteFile(mk, []byte("build:\n\tgo build ./...\n"), 0o644))
	require.Equal(t, `src/cloud-providers/Makefile has no line starting "sync-chart-values:"`, unmet())
	require.NoError(t, os.WriteFile(mk, []byte("build:\n\tgo build ./...\nsync-chart-values: config-extractor ## Generate\n"), 0o644))
	require.Equal(t, "src/cloud-providers/cmd/config-extractor is not there", unmet())
	require.NoError(t, os.MkdirAll(filepath.Join(root, "src", "cloud-providers", "cmd", "config-extractor"), 0o755))
	require.Empty(t, unmet())
}
