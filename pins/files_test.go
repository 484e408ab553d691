package pins_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/pins"
)

var providers = pins.Place{Kind: pins.KindYAML, File: "charts/providers/*.yaml", Key: "image.tag", Template: pins.TemplateSHADev, Optional: true}

// repo writes a small repository: three providers, one with an image tag
// and one with a quoted one, and a values.yaml.
func repo(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	writeTree(t, root, map[string][]byte{
		"charts/providers/libvirt.yaml": []byte("provider: libvirt\nimage:\n  tag: \"latest\"\n"),
		"charts/providers/aws.yaml":     []byte("provider: aws\n"),
		"charts/providers/docker.yaml":  []byte("provider: docker\nimage:\n  tag: latest # dev\n"),
		"charts/providers/notes.txt":    []byte("image:\n  tag: x\n"),
		"charts/values.yaml":            []byte("image:\n  tag: latest\n"),
	})
	return root
}

func TestFiles(t *testing.T) {
	root := repo(t)
	got, err := pins.Files(root, providers)
	require.NoError(t, err)
	require.Equal(t, []string{"charts/providers/aws.yaml", "charts/providers/docker.yaml", "charts/providers/libvirt.yaml"}, got)

	got, err = pins.Files(root, yamlPlace("charts/values.yaml"))
	require.NoError(t, err)
	require.Equal(t, []string{"charts/values.yaml"}, got)

	got, err = pins.Files(root, yamlPlace("*/values.yaml"))
	require.NoError(t, err)
	require.Equal(t, []string{"charts/values.yaml"}, got)
}

func yamlPlace(file string) pins.Place {
	return pins.Place{Kind: pins.KindYAML, File: file, Key: "image.tag"}
}

func TestFilesErrors(t *testing.T) {
	root := repo(t)
	require.NoError(t, os.Symlink("libvirt.yaml", filepath.Join(root, "charts/providers/link.yaml")))
	require.NoError(t, os.Symlink("providers", filepath.Join(root, "charts/linked")))
	outside := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(outside, "values.yaml"), []byte("image:\n  tag: x\n"), 0o644))
	require.NoError(t, os.Symlink(outside, filepath.Join(root, "outside")))
	require.NoError(t, os.Mkdir(filepath.Join(root, "charts/dir.yaml"), 0o755))
	tests := []struct {
		file   string
		want   string
		noFile bool
	}{
		{"charts/providers/*.yaml", filepath.Join(root, "charts/providers/link.yaml") + " is a symbolic link", false},
		{"charts/providers/link.yaml", filepath.Join(root, "charts/providers/link.yaml") + " is a symbolic link", false},
		{"charts/linked/aws.yaml", filepath.Join(root, "charts/linked") + " is a symbolic link", false},
		{"charts/linked/*.yaml", filepath.Join(root, "charts/linked") + " is a symbolic link", false},
		{"outside/*", filepath.Join(root, "outside") + " is a symbolic link", false},
		{"charts/*.yaml", filepath.Join(root, "charts/dir.yaml") + " is not a regular file", false},
		{"charts/missing.yaml", filepath.Join(root, "charts/missing.yaml"), true},
		{"charts/values.yaml/x", filepath.Join(root, "charts/values.yaml") + " is not a directory", false},
		{"charts/*.yml", `the glob "charts/*.yml" matches nothing below ` + root, true},
		{"../x.yaml", "leaves the repository", false},
	}
	for _, tt := range tests {
		_, err := pins.Files(root, yamlPlace(tt.file))
		require.ErrorContains(t, err, tt.want, tt.file)
		require.Equal(t, tt.noFile, errors.Is(err, pins.ErrNoFile), "%s: %v", tt.file, err)
	}
}

func TestReadSetOptional(t *testing.T) {
	root := repo(t)
	got, err := pins.Read(root, providers)
	require.NoError(t, err)
	require.Equal(t, []pins.FileTag{
		{File: "charts/providers/docker.yaml", Tag: "latest"},
		{File: "charts/providers/libvirt.yaml", Tag: "latest"},
	}, got)

	changed, err := pins.Set(root, providers, sha+"-dev")
	require.NoError(t, err)
	require.Equal(t, []string{"charts/providers/docker.yaml", "charts/providers/libvirt.yaml"}, changed)
	files := readTree(t, root)
	require.Equal(t, "provider: libvirt\nimage:\n  tag: \""+sha+"-dev\"\n", string(files["charts/providers/libvirt.yaml"]))
	require.Equal(t, "provider: docker\nimage:\n  tag: "+sha+"-dev # dev\n", string(files["charts/providers/docker.yaml"]))
	require.Equal(t, "provider: aws\n", string(files["charts/providers/aws.yaml"]))

	// Not optional: aws.yaml lacking the key fails, and nothing is written.
	strict := providers
	strict.Optional = false
	_, err = pins.Read(root, strict)
	require.ErrorIs(t, err, pins.ErrNoKey)
	require.ErrorContains(t, err, "charts/providers/aws.yaml")
	_, err = pins.Set(root, strict, "latest")
	require.ErrorIs(t, err, pins.ErrNoKey)
	require.Equal(t, files, readTree(t, root))

	// Optional, but no file holds the key.
	none := providers
	none.Key = "image.name"
	_, err = pins.Set(root, none, "latest")
	require.ErrorIs(t, err, pins.ErrNoKey)
	require.ErrorContains(t, err, "none of its 3 files holds it")

	// Optional skips only a missing key: a broken file still fails.
	writeTree(t, root, map[string][]byte{"charts/providers/gcp.yaml": []byte("image: [\n")})
	_, err = pins.Set(root, providers, "latest")
	require.ErrorContains(t, err, "charts/providers/gcp.yaml")
	require.NotErrorIs(t, err, pins.ErrNoKey)
	require.Equal(t, string(files["charts/providers/libvirt.yaml"]), string(readTree(t, root)["charts/providers/libvirt.yaml"]))

	_, err = pins.Set(root, providers, "not a tag")
	require.ErrorContains(t, err, `"not a tag" is not an image tag`)
}
