package config_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/release/config"
)

func TestLoadConfig(t *testing.T) {
	dir := t.TempDir()
	cfg, err := config.LoadConfig(dir)
	require.NoError(t, err)
	require.Equal(t, config.CAA(), cfg, "no release.yaml: the CAA preset")

	require.NoError(t, os.WriteFile(filepath.Join(dir, "release.yaml"), []byte("image: webhook\ndevOverlays: []\nexcludeModules: [tools]\n"), 0o644))
	cfg, err = config.LoadConfig(dir)
	require.NoError(t, err)
	require.Equal(t, "webhook", cfg.Image)
	require.Empty(t, cfg.DevOverlays)
	require.Equal(t, []string{"tools"}, cfg.ExcludeModules)
	require.Equal(t, config.CAA().VersionsFile, cfg.VersionsFile, "fields not given keep the preset")

	for data, want := range map[string]string{
		"imgae: webhook\n":  "field imgae not found",
		"preRelease: '('\n": "preRelease",
		"remote: ''\n":      "must not be empty",
		"image: [a\n":       "release.yaml",
		// Paths outside the repository: the tool edited and committed
		// ../out/versions.yaml (a tree entry git fsck calls hasDotdot).
		"versionsFile: ../out/versions.yaml\n":                    `versionsFile "../out/versions.yaml": want a slash-separated path inside the repository`,
		"overlaysRoot: ../..\n":                                   `overlaysRoot "../..": want`,
		"citation: /etc/CITATION.cff\n":                           `citation "/etc/CITATION.cff": want`,
		"excludeCharts: [a/../../b]\n":                            `excludeCharts "a/../../b": want`,
		"pins: [{kind: yaml, file: ../x.yaml, key: image.tag}]\n": "pins[0]",
		"remote: --upload-pack=x\n":                               `remote: "--upload-pack=x" starts with '-', which git refuses in a branch name`,
		"branch: a..b\n":                                          `branch: "a..b" contains '..', which git refuses`,
		// An empty file said "EOF"; a second document was ignored.
		"":                          "release.yaml is empty",
		"# nothing but a comment\n": "release.yaml is empty",
		"image: a\n---\nimage: b\n": "release.yaml holds more than one YAML document (a second one starts at line 2)",
	} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, "release.yaml"), []byte(data), 0o644))
		_, err := config.LoadConfig(dir)
		require.ErrorContains(t, err, want, data)
	}
}

// TestChartsPreset: the charts preset names its runtime dependency by its
// alias, which is one entry even where the chart has two kata-deploy
// entries (the repository before 669fae2).
func TestChartsPreset(t *testing.T) {
	cfg, err := config.Preset(config.PresetCharts)
	require.NoError(t, err)
	require.Equal(t, "kata-as-coco-runtime", cfg.KataDeployDependency)
	require.Equal(t, ".", cfg.KataDeployChart)
}
