package pins_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/pins"
)

const sha = "f5dd0b2657a76482c6acabe0285cc87eb5d49473"

func TestTag(t *testing.T) {
	tests := []struct{ template, sha, want string }{
		{pins.TemplateSHA, sha, sha},
		{"", sha, sha},
		{pins.TemplateSHADev, sha, sha + "-dev"},
		{pins.TemplateDevSHA, sha, "dev-" + sha},
		{pins.TemplateSHADev, "", "latest"},
		{"", "", "latest"},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, pins.Tag(tt.template, tt.sha), "%q %q", tt.template, tt.sha)
	}
}

func TestClassifyTag(t *testing.T) {
	tests := []struct {
		template, tag string
		want          pins.State
		sha           string
	}{
		{pins.TemplateSHA, "latest", pins.Latest, ""},
		{pins.TemplateSHADev, "latest", pins.Latest, ""},
		{pins.TemplateSHA, sha, pins.Pinned, sha},
		{"", sha, pins.Pinned, sha},
		{pins.TemplateSHADev, sha + "-dev", pins.Pinned, sha},
		{pins.TemplateDevSHA, "dev-" + sha, pins.Pinned, sha},
		{pins.TemplateSHADev, "dev-" + sha, pins.OtherTemplate, sha},
		{pins.TemplateDevSHA, sha + "-dev", pins.OtherTemplate, sha},
		{pins.TemplateSHADev, sha, pins.OtherTemplate, sha},
		{pins.TemplateSHA, sha + "-dev", pins.OtherTemplate, sha},
		{pins.TemplateSHA, "v0.21.0", pins.Other, ""},
		{pins.TemplateSHA, "Latest", pins.Other, ""},
		{pins.TemplateSHA, "", pins.Other, ""},
		{pins.TemplateSHA, sha[:7], pins.Other, ""},                                    // short commit
		{pins.TemplateSHA, "F5DD0B2657A76482C6ACABE0285CC87EB5D49473", pins.Other, ""}, // not lowercase
		{pins.TemplateSHADev, sha + "0-dev", pins.Other, ""},
		{pins.TemplateSHADev, "dev--dev", pins.Other, ""},
		{pins.TemplateSHADev, "-dev", pins.Other, ""},
		{pins.TemplateDevSHA, "dev-" + sha + "-dev", pins.Other, ""},
	}
	for _, tt := range tests {
		state, got := pins.ClassifyTag(tt.template, tt.tag)
		require.Equal(t, tt.want, state, "%q %q: %v", tt.template, tt.tag, state)
		require.Equal(t, tt.sha, got, "%q %q", tt.template, tt.tag)
	}
	require.Equal(t, "other template", pins.OtherTemplate.String())
}

// TestTagClassify: what Tag writes, ClassifyTag reads back as pinned to it.
func TestTagClassify(t *testing.T) {
	for _, tmpl := range []string{"", pins.TemplateSHA, pins.TemplateSHADev, pins.TemplateDevSHA} {
		state, got := pins.ClassifyTag(tmpl, pins.Tag(tmpl, sha))
		require.Equal(t, pins.Pinned, state, tmpl)
		require.Equal(t, sha, got, tmpl)
		state, _ = pins.ClassifyTag(tmpl, pins.Tag(tmpl, ""))
		require.Equal(t, pins.Latest, state, tmpl)
	}
}

func TestParseCommit(t *testing.T) {
	t.Parallel()
	c, err := pins.ParseCommit(sha)
	require.NoError(t, err)
	require.Equal(t, pins.Commit(sha), c)
	require.True(t, c.Valid())
	for _, bad := range []string{"", "1265e49", strings.ToUpper(sha), sha + "0", " " + sha, "v0.13.0"} {
		c, err := pins.ParseCommit(bad)
		require.EqualError(t, err, fmt.Sprintf("%q is not a commit SHA (40 lowercase hex digits)", bad), bad)
		require.Zero(t, c)
		require.False(t, pins.Commit(bad).Valid(), bad)
	}
}
