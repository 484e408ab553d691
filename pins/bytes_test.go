package pins_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/pins"
)

var (
	yamlTag = pins.Place{Kind: pins.KindYAML, File: "values.yaml", Key: "image.tag"}
	kustTag = pins.Place{Kind: pins.KindKustomize, File: "kustomization.yaml", Key: "cloud-api-adaptor"}
	lineTag = pins.Place{Kind: pins.KindLine, File: "Makefile", Pattern: makefileTag}
	// lineEq is a line place whose line goes on after the tag.
	lineEq = pins.Place{Kind: pins.KindLine, File: "Makefile", Pattern: `^TAG \?= (\S+)`}
)

// TestSetBytes runs every kind of place through one table: the tag read
// before, the output of setting tag, or the error.
func TestSetBytes(t *testing.T) {
	tests := []struct {
		name  string
		p     pins.Place
		src   string
		read  string // the tag ReadBytes gives for src ("" if it fails)
		tag   string
		want  string // "" when err is set
		err   string
		noKey bool // err wraps ErrNoKey
	}{
		{name: "yaml quoted", p: yamlTag, src: "image:\n  name: x\n  tag: \"latest\"\n", read: "latest", tag: sha,
			want: "image:\n  name: x\n  tag: \"" + sha + "\"\n"},
		{name: "yaml plain", p: yamlTag, src: "image:\n  tag: latest\n", read: "latest", tag: sha + "-dev",
			want: "image:\n  tag: " + sha + "-dev\n"},
		{name: "yaml single quoted", p: yamlTag, src: "image:\n  tag: '" + sha + "'\n", read: sha, tag: "latest",
			want: "image:\n  tag: 'latest'\n"},
		{name: "yaml CRLF", p: yamlTag, src: "image:\r\n  tag: \"latest\"\r\nx: 1\r\n", read: "latest", tag: sha,
			want: "image:\r\n  tag: \"" + sha + "\"\r\nx: 1\r\n"},
		{name: "yaml comment", p: yamlTag, src: "image:\n  tag: latest # or a commit\n", read: "latest", tag: sha,
			want: "image:\n  tag: " + sha + " # or a commit\n"},
		{name: "yaml plain number", p: yamlTag, src: "image:\n  tag: latest\n", read: "latest", tag: "1.10",
			want: "image:\n  tag: \"1.10\"\n"},
		{name: "yaml missing key", p: yamlTag, src: "image:\n  name: x\n", tag: sha,
			err: `no "image.tag": "image" has name`, noKey: true},
		{name: "yaml missing image", p: yamlTag, src: "provider: aws\n", tag: sha,
			err: `no "image.tag": the top level has provider`, noKey: true},
		{name: "yaml not a value", p: yamlTag, src: "image:\n  tag:\n    a: b\n", tag: sha,
			err: `"image.tag" is a mapping, not a single value`},
		{name: "yaml broken", p: yamlTag, src: "image: [\n", tag: sha, err: "pins: yaml image.tag in values.yaml: versions: "},

		{name: "kustomize", p: kustTag, src: "images:\n- name: cloud-api-adaptor\n  newName: quay.io/x # here\n  newTag: latest\n", read: "latest", tag: "dev-" + sha,
			want: "images:\n- name: cloud-api-adaptor\n  newName: quay.io/x # here\n  newTag: dev-" + sha + "\n"},
		{name: "kustomize CRLF", p: kustTag, src: "images:\r\n- name: cloud-api-adaptor\r\n  newTag: \"latest\"\r\n", read: "latest", tag: sha,
			want: "images:\r\n- name: cloud-api-adaptor\r\n  newTag: \"" + sha + "\"\r\n"},
		{name: "kustomize missing entry", p: kustTag, src: "images:\n- name: webhook\n  newTag: latest\n", tag: sha,
			err: `no images entry for "cloud-api-adaptor" (images has "webhook")`, noKey: true},

		{name: "line quoted", p: lineTag, src: "a\n\t\t\t\"  tag: \\\"latest\\\"\", \\\nb\n", read: "latest", tag: sha + "-dev",
			want: "a\n\t\t\t\"  tag: \\\"" + sha + "-dev\\\"\", \\\nb\n"},
		{name: "line CRLF", p: lineEq, src: "X = 1\r\nTAG ?= latest # the image\r\n", read: "latest", tag: sha,
			want: "X = 1\r\nTAG ?= " + sha + " # the image\r\n"},
		{name: "line lone CR", p: pins.Place{Kind: pins.KindLine, File: "f", Pattern: `tag: "?([^"]*)`}, src: "x\ntag: v\r\"w\"\n", read: "v", tag: "a",
			want: "x\ntag: a\r\"w\"\n"},
		{name: "line at end without newline", p: lineEq, src: "TAG ?= latest", read: "latest", tag: sha,
			want: "TAG ?= " + sha},
		{name: "line missing", p: lineEq, src: "X = 1\n", tag: sha,
			err: "no line matches", noKey: true},
		{name: "line twice", p: lineEq, src: "TAG ?= a\nX = 1\nTAG ?= b\n", tag: sha,
			err: "2 lines match \"^TAG \\\\?= (\\\\S+)\" (lines 1, 3): make the pattern match exactly one"},
		{name: "line group outside", p: pins.Place{Kind: pins.KindLine, File: "f", Pattern: `^TAG = (x)?`}, src: "TAG = latest\n", tag: sha,
			err: "its capture group takes no part in the match"},
		{name: "line does not read back", p: pins.Place{Kind: pins.KindLine, File: "f", Pattern: `^TAG = (l?)`}, src: "TAG = latest\n", read: "l", tag: "q",
			err: `would read back as "" on line 1, not "q": make the capture group hold only the tag`},

		{name: "bad tag", p: yamlTag, src: "image:\n  tag: latest\n", read: "latest", tag: "a b",
			err: `"a b" is not an image tag`},
		{name: "bad tag line", p: lineEq, src: "TAG ?= latest\n", read: "latest", tag: "x\ny",
			err: `"x\ny" is not an image tag`},
		{name: "bad place", p: pins.Place{Kind: pins.KindYAML, File: "v.yaml"}, src: "a: b\n", tag: sha,
			err: "no key: write the dotted path"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := pins.ReadBytes(tt.p, []byte(tt.src))
			if tt.read != "" {
				require.NoError(t, err)
				require.Equal(t, tt.read, got)
			} else {
				require.Error(t, err)
				require.Equal(t, tt.noKey, errors.Is(err, pins.ErrNoKey), err)
			}
			out, err := pins.SetBytes(tt.p, []byte(tt.src), tt.tag)
			if tt.err != "" {
				require.ErrorContains(t, err, tt.err)
				require.Contains(t, err.Error(), "pins: ")
				require.Equal(t, tt.noKey, errors.Is(err, pins.ErrNoKey), err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, string(out))
			back, err := pins.ReadBytes(tt.p, out)
			require.NoError(t, err)
			require.Equal(t, tt.tag, back)
		})
	}
}

// TestSetBytesSame: setting the tag a place holds returns the input itself.
func TestSetBytesSame(t *testing.T) {
	tests := []struct {
		p   pins.Place
		src string
	}{
		{yamlTag, "image:\n  tag: \"" + sha + "\"\n"},
		{yamlTag, "image:\n  tag: " + sha + " # c\r\n"},
		{kustTag, "images:\n- name: cloud-api-adaptor\n  newTag: " + sha + "\n"},
		{lineEq, "TAG ?= " + sha + "\n"},
	}
	for _, tt := range tests {
		src := []byte(tt.src)
		out, err := pins.SetBytes(tt.p, src, sha)
		require.NoError(t, err)
		require.Equal(t, tt.src, string(out))
		require.Same(t, &src[0], &out[0], "%s: a copy, not the input", tt.p)
	}
}

// TestReadBytesDigest: a kustomize entry pinned by digest reads as the digest.
func TestReadBytesDigest(t *testing.T) {
	d := "sha256:" + sha + sha[:24]
	got, err := pins.ReadBytes(kustTag, []byte("images:\n- name: cloud-api-adaptor\n  digest: "+d+"\n"))
	require.NoError(t, err)
	require.Equal(t, d, got)
}
