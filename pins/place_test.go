package pins_test

import (
	"os"
	"testing"

	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/confidential-containers/release-tools/pins"
)

const makefileTag = `^\t+"  tag: \\"([^\\"]*)\\"", \\$`

// v021 are the six places of cloud-api-adaptor v0.21 (five files and a
// glob over the providers), as testdata/release.yaml lists them.
var v021 = []pins.Place{
	{Kind: pins.KindYAML, File: "src/cloud-api-adaptor/install/charts/peerpods/values.yaml", Key: "image.tag"},
	{Kind: pins.KindYAML, File: "src/cloud-api-adaptor/install/charts/peerpods/providers/*.yaml", Key: "image.tag", Template: pins.TemplateSHADev, Optional: true},
	{Kind: pins.KindYAML, File: "src/peerpod-ctrl/chart/values.yaml", Key: "image.tag"},
	{Kind: pins.KindYAML, File: "src/webhook/chart/values.yaml", Key: "image.tag"},
	{Kind: pins.KindLine, File: "src/cloud-providers/Makefile", Pattern: makefileTag, Template: pins.TemplateSHADev},
}

// TestReleaseYAML: the places read from a release.yaml as written by hand.
func TestReleaseYAML(t *testing.T) {
	src, err := os.ReadFile("testdata/release.yaml")
	require.NoError(t, err)
	var cfg struct {
		Places []pins.Place `yaml:"places"`
	}
	require.NoError(t, yaml.Unmarshal(src, &cfg))
	require.Equal(t, v021, cfg.Places)
	for _, p := range cfg.Places {
		require.NoError(t, p.Validate(), p)
	}
}

func TestValidate(t *testing.T) {
	ok := pins.Place{Kind: pins.KindYAML, File: "a/values.yaml", Key: "image.tag"}
	tests := []struct {
		name string
		edit func(*pins.Place)
		want []string // each a part of the message; nil: valid
	}{
		{"yaml", func(*pins.Place) {}, nil},
		{"kustomize", func(p *pins.Place) { p.Kind, p.Key = pins.KindKustomize, "cloud-api-adaptor" }, nil},
		{"line", func(p *pins.Place) { p.Kind, p.Key, p.Pattern = pins.KindLine, "", makefileTag }, nil},
		{"glob optional", func(p *pins.Place) { p.File, p.Optional = "a/*/values.yaml", true }, nil},
		{"templates", func(p *pins.Place) { p.Template = pins.TemplateDevSHA }, nil},
		{"no kind", func(p *pins.Place) { p.Kind = "" }, []string{"no kind: write kind: yaml"}},
		{"bad kind", func(p *pins.Place) { p.Kind = "helm" }, []string{`unknown kind "helm": write yaml, kustomize or line`}},
		{"no file", func(p *pins.Place) { p.File = "" }, []string{"file: empty: write a slash path"}},
		{"absolute", func(p *pins.Place) { p.File = "/etc/values.yaml" }, []string{`"/etc/values.yaml" is absolute`}},
		{"dotdot", func(p *pins.Place) { p.File = "../values.yaml" }, []string{`"../values.yaml" leaves the repository`}},
		{"unclean", func(p *pins.Place) { p.File = "a//b/./values.yaml" }, []string{`is not clean: write "a/b/values.yaml"`}},
		{"dot", func(p *pins.Place) { p.File = "." }, []string{`"." is the repository`}},
		{"bad glob", func(p *pins.Place) { p.File = "a/[x.yaml" }, []string{"is not a valid glob"}},
		{"no key", func(p *pins.Place) { p.Key = "" }, []string{"no key: write the dotted path"}},
		{"bad key", func(p *pins.Place) { p.Key = "image..tag" }, []string{"empty key"}},
		{"kustomize no key", func(p *pins.Place) { p.Kind, p.Key = pins.KindKustomize, "" }, []string{"no key: write the name of the images entry"}},
		{"pattern on yaml", func(p *pins.Place) { p.Pattern = "(x)" }, []string{"pattern is for line places"}},
		{"key on line", func(p *pins.Place) { p.Kind, p.Pattern = pins.KindLine, "(x)" }, []string{`key "image.tag" is for yaml and kustomize places`}},
		{"no pattern", func(p *pins.Place) { p.Kind, p.Key = pins.KindLine, "" }, []string{"no pattern: write a regexp with one capture group"}},
		{"bad pattern", func(p *pins.Place) { p.Kind, p.Key, p.Pattern = pins.KindLine, "", "tag: (" }, []string{"pattern: error parsing regexp"}},
		{"no group", func(p *pins.Place) { p.Kind, p.Key, p.Pattern = pins.KindLine, "", "tag: .*" }, []string{"has 0 capture groups: write exactly one"}},
		{"two groups", func(p *pins.Place) { p.Kind, p.Key, p.Pattern = pins.KindLine, "", "(tag): (.*)" }, []string{"has 2 capture groups", "(?:...)"}},
		{"bad template", func(p *pins.Place) { p.Template = "<commit>-dev" }, []string{`unknown template "<commit>-dev": write <sha> (the default), <sha>-dev or dev-<sha>`}},
		{"optional file", func(p *pins.Place) { p.Optional = true }, []string{"optional applies to a glob"}},
		{"all at once", func(p *pins.Place) { p.Kind, p.File = "helm", "" }, []string{"unknown kind", "file: empty"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := ok
			tt.edit(&p)
			err := p.Validate()
			if tt.want == nil {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			require.Contains(t, err.Error(), "pins: place ")
			for _, w := range tt.want {
				require.Contains(t, err.Error(), w)
			}
		})
	}
}
