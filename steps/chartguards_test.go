package steps_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/gitfixture"
	"github.com/confidential-containers/release-tools/internal/gitrepo"
	"github.com/confidential-containers/release-tools/kata"
	"github.com/confidential-containers/release-tools/phase"
	"github.com/confidential-containers/release-tools/steps"
	git "github.com/go-git/go-git/v5"
)

// TestKataDeployPinnedChoices: kata-deploy at its dev version is a
// SyncError for the Kata version versions.yaml holds, carrying the
// references chosen by hand that the history records; a history that
// cannot be read is said, the refusal kept.
func TestKataDeployPinnedChoices(t *testing.T) {
	t.Setenv("GIT_CONFIG_GLOBAL", filepath.Join(t.TempDir(), "gitconfig"))
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	const gc, kataGC = "0123456789abcdef0123456789abcdef01234567", "f1561038b9a58d309a3366cc8e25d8e6162424a0"
	refs := kata.Refs{File: "versions.yaml", Kata: []string{"kata.reference"}, GuestComponents: []string{"gc.reference"}, Trustee: []string{"trustee.reference"}}
	files := map[string][]byte{
		"versions.yaml": []byte("kata:\n  reference: 3.31.0\ngc:\n  reference: " + gc + "\ntrustee:\n  reference: v0.17.0\n"),
		"chart/Chart.yaml": []byte("apiVersion: v2\nname: peerpods\nversion: 0.2.0\ndependencies:\n  - name: kata-deploy\n    version: \"0.0.0-dev\"\n" +
			"    repository: \"oci://ghcr.io/kata-containers/kata-deploy-charts\"\n"),
	}
	choice := kata.Choice{Ref: kata.RefGuestComponents, Value: gc, Kata: "3.31.0", Names: kataGC}
	check := func(dir string) *kata.SyncError {
		p := &phase.Phase{Name: "release", Root: dir, Git: openRepo(t, dir), Steps: []phase.Step{steps.KataDeployPinned("chart", "kata-deploy", "0.0.0-dev", refs)}}
		err := p.Run(context.Background(), phase.Options{DryRun: true})
		require.ErrorIs(t, err, steps.ErrKataDeployDev)
		var se *kata.SyncError
		require.True(t, errors.As(err, &se), err)
		require.Equal(t, "3.31.0", se.Kata)
		return se
	}

	// The choice is a commit of its own (loose objects, not the first
	// commit's pack), so that it can be lost below.
	dir := t.TempDir()
	repo, err := gitfixture.Init(dir, nil, "empty")
	require.NoError(t, err)
	chosen, err := gitfixture.Commit(repo, files, "deps: sync with Kata Containers 3.31.0\n\n"+choice.Trailers()[0]+"\n")
	require.NoError(t, err)
	choice.Commit = chosen.String()
	require.Equal(t, []kata.Choice{choice}, check(dir).Choices)

	// The history cannot be read (the commit of the choice is lost): the
	// refusal stands, and says so.
	lost := chosen.String()
	_, err = gitfixture.Commit(repo, map[string][]byte{"other.txt": []byte("x\n")}, "other")
	require.NoError(t, err)
	require.NoError(t, os.Remove(filepath.Join(dir, ".git", "objects", lost[:2], lost[2:])))
	se := check(dir)
	require.Empty(t, se.Choices)
	require.ErrorContains(t, se, "the choices recorded in the history of versions.yaml")
	require.ErrorContains(t, se, "give the references chosen by hand again")
}

// openRepo is the handle of the repository at root, as release.New opens it.
func openRepo(t testing.TB, root string) *git.Repository {
	t.Helper()
	repo, err := gitrepo.Open(root)
	require.NoError(t, err)
	return repo
}
