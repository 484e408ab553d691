package phase_test

import (
	"testing"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/phase"
)

// TestAuthor: Options.Author is the author and committer of the commits
// and their sign-off, instead of the repository's user (here: none, as on
// a CI runner).
func TestAuthor(t *testing.T) {
	t.Parallel()
	root, _ := repo(t)
	r, err := git.PlainOpen(root)
	require.NoError(t, err)
	cfg, err := r.Config()
	require.NoError(t, err)
	cfg.User.Name, cfg.User.Email = "", ""
	require.NoError(t, r.SetConfig(cfg))
	p := &phase.Phase{Name: "p", Root: root, Git: openRepo(t, root), Steps: []phase.Step{set("b.yaml", "b: 2\n"), phase.Commit{Message: "m"}}}
	bot := &object.Signature{Name: "github-actions[bot]", Email: "41898282+github-actions[bot]@users.noreply.github.com"}
	require.NoError(t, p.Run(t.Context(), phase.Options{Author: bot}))
	c, err := r.CommitObject(branch(t, root))
	require.NoError(t, err)
	require.Equal(t, [2]string{bot.Name, bot.Email}, [2]string{c.Author.Name, c.Author.Email})
	require.Equal(t, [2]string{bot.Name, bot.Email}, [2]string{c.Committer.Name, c.Committer.Email})
	require.False(t, c.Author.When.IsZero())
	require.Equal(t, "m\n\nSigned-off-by: github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>\n", c.Message)
}
