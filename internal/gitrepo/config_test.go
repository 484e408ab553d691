package gitrepo

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestParseCommitConfig: commit.gpgsign is read as git reads a boolean,
// the last value winning; core.hooksPath is absolute, relative to the
// work tree, or below the home directory; a bad boolean is an error that
// names the key.
func TestParseCommitConfig(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	for _, tc := range []struct {
		name, out string
		want      commitConfig
		err       string
	}{
		{"nothing", "user.name\nN\x00", commitConfig{hooks: "/r/.git/hooks"}, ""},
		{"sign", "commit.gpgsign\ntrue\x00", commitConfig{sign: true, hooks: "/r/.git/hooks"}, ""},
		{"sign yes, case", "Commit.GpgSign\nYes\x00", commitConfig{sign: true, hooks: "/r/.git/hooks"}, ""},
		{"no value is true", "commit.gpgsign\x00", commitConfig{sign: true, hooks: "/r/.git/hooks"}, ""},
		{"last wins", "commit.gpgsign\n1\x00commit.gpgsign\noff\x00", commitConfig{hooks: "/r/.git/hooks"}, ""},
		{"hooks relative", "core.hookspath\n.githooks\x00", commitConfig{hooks: "/r/.githooks"}, ""},
		{"hooks absolute", "core.hookspath\n/h\x00", commitConfig{hooks: "/h"}, ""},
		{"hooks home", "core.hookspath\n~/hooks\x00", commitConfig{hooks: filepath.Join(home, "hooks")}, ""},
		{"bad bool", "commit.gpgsign\nmaybe\x00", commitConfig{}, `git config commit.gpgsign: bad boolean value "maybe" (want true or false)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseCommitConfig([]byte(tc.out), "/r", "/r/.git")
			if tc.err != "" {
				require.EqualError(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}
