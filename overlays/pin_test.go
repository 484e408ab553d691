package overlays_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/fixture"
	"github.com/confidential-containers/release-tools/overlays"
)

const digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

func TestPinImageBytes(t *testing.T) {
	tests := []struct {
		name, src, ref, want string
	}{
		{"tag", "images:\n- name: cloud-api-adaptor\n  newName: q/caa # change image if needed\n  newTag: latest\n",
			"abc", "images:\n- name: cloud-api-adaptor\n  newName: q/caa # change image if needed\n  newTag: abc\n"},
		{"indented list and comment after the tag", "images:\n  - name: x\n    newTag: v1\n  - name: cloud-api-adaptor\n    newTag: latest # moving\n",
			"dev-abc", "images:\n  - name: x\n    newTag: v1\n  - name: cloud-api-adaptor\n    newTag: dev-abc # moving\n"},
		{"quoted tag stays quoted", "images:\n- name: cloud-api-adaptor\n  newTag: \"latest\"\n",
			"v0.13.0", "images:\n- name: cloud-api-adaptor\n  newTag: \"v0.13.0\"\n"},
		{"a tag that reads as a number is quoted", "images:\n- name: cloud-api-adaptor\n  newTag: latest\n",
			"1234e5678", "images:\n- name: cloud-api-adaptor\n  newTag: \"1234e5678\"\n"},
		{"digest to digest", "images:\n- name: cloud-api-adaptor\n  digest: sha256:1111111111111111111111111111111111111111111111111111111111111111\n",
			digest, "images:\n- name: cloud-api-adaptor\n  digest: " + digest + "\n"},
		{"tag to digest renames the key on that line", "images:\n- name: cloud-api-adaptor\n  newTag: latest # c\n",
			digest, "images:\n- name: cloud-api-adaptor\n  digest: " + digest + " # c\n"},
		{"digest back to a tag", "images:\n- name: cloud-api-adaptor\n  digest: " + digest + "\n",
			"latest", "images:\n- name: cloud-api-adaptor\n  newTag: latest\n"},
		{"flow entry", "images: [{name: cloud-api-adaptor, newTag: latest}]\n",
			"abc", "images: [{name: cloud-api-adaptor, newTag: abc}]\n"},
		{"CRLF", "images:\r\n- name: cloud-api-adaptor\r\n  newTag: latest\r\n",
			"abc", "images:\r\n- name: cloud-api-adaptor\r\n  newTag: abc\r\n"},
		{"same tag is a no-op", "images:\n- name: cloud-api-adaptor\n  newTag: latest   # c\n",
			"latest", "images:\n- name: cloud-api-adaptor\n  newTag: latest   # c\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := overlays.PinImageBytes([]byte(tt.src), image, tt.ref)
			require.NoError(t, err)
			require.Equal(t, tt.want, string(got))
			o, err := overlays.Read(got, image)
			require.NoError(t, err)
			require.Equal(t, tt.ref, o.NewTag+o.Digest)
		})
	}
}

func TestPinImageBytesErrors(t *testing.T) {
	tests := []struct {
		name, src, ref, want string
	}{
		{"no images", "resources:\n- a\n", "abc", `no images entry for "cloud-api-adaptor" (the kustomization has no images list)`},
		{"other images only", "images:\n- name: webhook\n  newTag: v1\n", "abc", `no images entry for "cloud-api-adaptor" (images has "webhook")`},
		{"two entries", "images:\n- name: cloud-api-adaptor\n  newTag: a\n- name: cloud-api-adaptor\n  newTag: b\n", "abc", `two images entries for "cloud-api-adaptor" (lines 2 and 4)`},
		{"newTag twice", "images:\n- name: cloud-api-adaptor\n  newTag: a\n  newTag: b\n", "abc", "has newTag twice (lines 3 and 4)"},
		{"both tag and digest", "images:\n- name: cloud-api-adaptor\n  newTag: a\n  digest: " + digest + "\n", "abc", "has both newTag and digest"},
		{"neither tag nor digest", "images:\n- name: cloud-api-adaptor\n  newName: x\n", "abc", "add `newTag: latest`"},
		{"invalid tag", "images:\n- name: cloud-api-adaptor\n  newTag: a\n", "-bad", `"-bad" is not an image tag`},
		{"tag with a space", "images:\n- name: cloud-api-adaptor\n  newTag: a\n", "a b", `"a b" is not an image tag`},
		{"invalid digest", "images:\n- name: cloud-api-adaptor\n  newTag: a\n", "sha256:xyz", `"sha256:xyz" is not an image digest`},
		{"images not a list", "images: x\n", "abc", "images is not a list"},
		{"not a mapping", "- a\n", "abc", "not a kustomization"},
		{"malformed", "images:\n- name: [\n", "abc", "did not find expected"},
		{"multi-line tag", "images:\n- name: cloud-api-adaptor\n  newTag: a\n    b\n", "abc", "spans more than one line"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := overlays.PinImageBytes([]byte(tt.src), image, tt.ref)
			require.ErrorContains(t, err, tt.want)
			require.ErrorContains(t, err, "overlays: ")
		})
	}
}

// TestPinImageFile: errors name the file and leave it byte-identical; a
// no-op does not rewrite it.
func TestPinImageFile(t *testing.T) {
	dir := t.TempDir()
	src := fixture.MustFile(fixture.PinImage, "before", overlaysRoot+"/docker/kustomization.yaml")
	file := filepath.Join(dir, "kustomization.yaml")
	require.NoError(t, os.WriteFile(file, src, 0o644))

	err := overlays.PinImage(file, "webhook", "abc")
	require.ErrorContains(t, err, file)
	require.ErrorIs(t, err, overlays.ErrNoEntry)
	err = overlays.PinImage(file, image, "not a tag")
	require.ErrorContains(t, err, file)
	assertContent(t, file, src)

	require.NoError(t, os.Chmod(file, 0o444))
	err = overlays.PinImage(file, image, "abc")
	require.ErrorContains(t, err, "read-only")
	assertContent(t, file, src)
	require.NoError(t, overlays.PinImage(file, image, "latest"), "a no-op needs no write")

	err = overlays.PinImage(filepath.Join(dir, "missing.yaml"), image, "abc")
	require.ErrorIs(t, err, os.ErrNotExist)
	require.ErrorContains(t, err, "missing.yaml")
}

func assertContent(t *testing.T, file string, want []byte) {
	t.Helper()
	got, err := os.ReadFile(file)
	require.NoError(t, err)
	require.Equal(t, string(want), string(got))
}
