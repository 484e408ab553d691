package phase_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/gitfixture"
	"github.com/confidential-containers/release-tools/internal/slow"
	"github.com/confidential-containers/release-tools/phase"
)

// TestRunInOwnRepo: a Run step and its check of the work tree act on the
// phase's repository even when GIT_DIR names another (a hook, git rebase
// -x): the command that changes a file is caught, its output shown.
func TestRunInOwnRepo(t *testing.T) {
	slow.Git(t)
	root, other := t.TempDir(), t.TempDir()
	_, err := gitfixture.Init(root, map[string][]byte{"a.txt": []byte("a\n")}, "init")
	require.NoError(t, err)
	_, err = gitfixture.Init(other, map[string][]byte{"b.txt": []byte("b\n")}, "init")
	require.NoError(t, err)
	t.Setenv("GIT_DIR", other+"/.git")
	t.Setenv("GIT_WORK_TREE", other)
	p := &phase.Phase{Name: "p", Root: root, Git: openRepo(t, root), Steps: []phase.Step{
		phase.Run{Args: []string{"sh", "-c", "echo generated; echo b > a.txt"}},
	}}
	err = p.Run(context.Background(), phase.Options{})
	require.ErrorIs(t, err, phase.ErrRunFailed)
	require.ErrorContains(t, err, "run sh -c echo generated; echo b > a.txt: changed a.txt: review them")
	require.ErrorContains(t, err, "\n    generated")
}
