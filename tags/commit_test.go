package tags_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/gitfixture"
	"github.com/confidential-containers/release-tools/tags"
	"github.com/confidential-containers/release-tools/version"
)

// TestVersionCommit: the module tags of a version on one commit give it;
// none, some missing or a split between commits are errors; excluded
// modules are not asked about.
func TestVersionCommit(t *testing.T) {
	root := t.TempDir()
	_, err := gitfixture.Init(root, map[string][]byte{
		"a/go.mod": []byte("module example.com/r/a\n\ngo 1.25.0\n"),
		"b/go.mod": []byte("module example.com/r/b\n\ngo 1.25.0\n"),
		"c/go.mod": []byte("module example.com/r/c\n\ngo 1.25.0\n"),
	}, "init")
	require.NoError(t, err)
	v, err := version.Parse("v1.2.0", nil)
	require.NoError(t, err)
	c1, c2 := strings.Repeat("1", 40), strings.Repeat("2", 40)
	for _, tc := range []struct {
		name  string
		found map[string]string
		want  string
		err   string
	}{
		{"one commit", map[string]string{"a/v1.2.0": c1, "b/v1.2.0": c1}, c1, ""},
		{"none", nil, "", "no module tags for v1.2.0"},
		{"missing", map[string]string{"a/v1.2.0": c1}, "", "the module tags of v1.2.0 are incomplete: a/v1.2.0 on 111111111111; missing: b/v1.2.0"},
		{"split", map[string]string{"a/v1.2.0": c1, "b/v1.2.0": c2}, "", "the module tags of v1.2.0 disagree: a/v1.2.0 on 111111111111; b/v1.2.0 on 222222222222"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tags.VersionCommit(root, v, []string{"c"}, func(name string) (string, error) {
				require.NotEqual(t, "c/v1.2.0", name, "excluded")
				return tc.found[name], nil
			})
			if tc.err != "" {
				require.EqualError(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}

	_, err = tags.VersionCommit(root, v, nil, func(string) (string, error) { return "", nil })
	require.ErrorIs(t, err, tags.ErrNoTags)
	_, err = tags.VersionCommit(root, v, nil, func(string) (string, error) { return c1, nil })
	require.NoError(t, err)
	_, err = tags.VersionCommit(root, v, nil, func(name string) (string, error) {
		if name == "b/v1.2.0" {
			return c2, nil
		}
		return c1, nil
	})
	var split *tags.SplitError
	require.ErrorAs(t, err, &split)
	require.Equal(t, map[string][]string{c1: {"a/v1.2.0", "c/v1.2.0"}, c2: {"b/v1.2.0"}}, split.Commits)
	boom := errors.New("boom")
	_, err = tags.VersionCommit(root, v, nil, func(string) (string, error) { return "", boom })
	require.ErrorIs(t, err, boom)
}

// TestRemoteNamed: the tags of a named remote, or a note that says why
// there are none.
func TestRemoteNamed(t *testing.T) {
	r, head := taggedRepo(t)
	got, note := tags.RemoteNamed(context.Background(), openRepo(t, r.dir), "origin")
	require.Equal(t, map[string]string{"light": head, "annotated": head, "nested": head}, got)
	require.Equal(t, "origin listed (3 tags)", note)
	got, note = tags.RemoteNamed(context.Background(), openRepo(t, r.dir), "upstream")
	require.Nil(t, got)
	require.Equal(t, `no remote "upstream": local tags only`, note)
}
