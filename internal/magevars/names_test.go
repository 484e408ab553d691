package magevars

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/adoptrun"
)

// TestNamesComplete: every variable Read reads is one of Names, so that
// a name close to it is warned of.
func TestNamesComplete(t *testing.T) {
	var read []string
	_, err := Read(func(name string) string { read = append(read, name); return "" })
	require.NoError(t, err)
	require.NotEmpty(t, read)
	for _, name := range read {
		require.Contains(t, Names, name)
	}
	for _, name := range adoptrun.Names {
		require.Contains(t, Names, name, "adopt's variables are the frontend's too")
	}
	require.Len(t, Names, len(slices.Compact(slices.Sorted(slices.Values(Names)))), "Names holds each once")
}

// TestTokenOrder: the token is taken as gh takes it, GH_TOKEN first.
func TestTokenOrder(t *testing.T) {
	for env, want := range map[[2]string]string{
		{"gh", "github"}: "gh", {"", "github"}: "github", {"gh", ""}: "gh",
	} {
		v, err := Read(func(name string) string {
			return map[string]string{"GH_TOKEN": env[0], "GITHUB_TOKEN": env[1]}[name]
		})
		require.NoError(t, err)
		require.Equal(t, want, string(v.GitHubToken))
	}
}

func TestWarn(t *testing.T) {
	var b strings.Builder
	Warn(&b, []string{"DRYRUN=1", "SKIPGO=1", "RELEASE_BRANC=x", "PATH=/bin", "PUSH=1", "GONOPROXY=*"})
	require.Equal(t, "release-tools: warning: DRYRUN is set but not read: did you mean DRY_RUN?\n"+
		"release-tools: warning: RELEASE_BRANC is set but not read: did you mean RELEASE_BRANCH?\n"+
		"release-tools: warning: SKIPGO is set but not read: did you mean SKIP_GO?\n", b.String())
}

// TestREADMENamesEveryVariable: the README's table of variables names
// every variable the frontend reads.
func TestREADMENamesEveryVariable(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	require.NoError(t, err)
	for _, name := range Names {
		require.Contains(t, string(readme), "`"+name+"`", "README.md's table of variables lacks %s", name)
	}
}
