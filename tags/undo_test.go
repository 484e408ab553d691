package tags_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/tags"
)

var errLocked = errors.New("test: ref locked")

func localNames(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	for name := range tagsOf(t, dir) {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// TestApplyPushFailsUndoFails: when the push fails and some of the local
// tags Apply made cannot be deleted again, the error names exactly those.
func TestApplyPushFailsUndoFails(t *testing.T) {
	r := newRepo(t)
	p := plan(t, r.dir, "v0.13.0", opts)
	tags.FailDelete(p, errLocked, caaOrder[1], caaOrder[3])
	require.NoError(t, os.RemoveAll(r.remote)) // the push fails
	err := p.Apply(context.Background())
	require.ErrorIs(t, err, errLocked)
	require.ErrorContains(t, err, "tags: push 5 tags to origin")
	require.ErrorContains(t, err, "2 of the 5 tags made now could not be deleted: "+caaOrder[1]+", "+caaOrder[3]+" remain locally (git tag -d "+caaOrder[1]+" "+caaOrder[3]+")")
	require.NotContains(t, err.Error(), "were removed")
	require.ElementsMatch(t, []string{caaOrder[1], caaOrder[3]}, localNames(t, r.dir))
}

// TestApplyPushFails: the local tags made are deleted, and the error says so.
func TestApplyPushFails(t *testing.T) {
	r := newRepo(t)
	p := plan(t, r.dir, "v0.13.0", opts)
	require.NoError(t, os.RemoveAll(r.remote))
	err := p.Apply(context.Background())
	require.ErrorContains(t, err, "the 5 tags made now were deleted")
	require.Empty(t, localNames(t, r.dir))
}

// TestSignUndoFails: a tag git made unsigned that cannot be deleted, and
// tags made before a failing one that cannot be deleted, are named as
// left behind, never reported deleted.
func TestSignUndoFails(t *testing.T) {
	t.Run("unsigned tag", func(t *testing.T) {
		global := isolateGit(t)
		sshSigning(t, global)
		gitConfig(t, global, "gpg.ssh.program", signer(t, `for last; do :; done
echo "not a signature" >"$last.sig"
`))
		r := newRepo(t)
		p := plan(t, r.dir, "v0.13.0", signOpts)
		tags.FailDelete(p, errLocked, caaOrder[0])
		err := p.Apply(context.Background())
		require.ErrorIs(t, err, tags.ErrUnsignedTag)
		require.ErrorIs(t, err, errLocked)
		require.ErrorContains(t, err, "exited 0 but made it without a signature, and it could not be deleted: "+caaOrder[0]+" remains locally unsigned (git tag -d "+caaOrder[0]+")")
		require.NotContains(t, err.Error(), "so it was deleted")
		require.Equal(t, []string{caaOrder[0]}, localNames(t, r.dir))
		require.Empty(t, tagsOf(t, r.remote))
	})
	t.Run("tags made before", func(t *testing.T) {
		global := isolateGit(t)
		sshSigning(t, global)
		count := t.TempDir() + "/count"
		gitConfig(t, global, "gpg.ssh.program", signer(t, `n=$(cat `+count+` 2>/dev/null || echo 0)
echo $((n+1)) >`+count+`
if [ "$n" -ge 2 ]; then echo "test signer: no more signatures" >&2; exit 1; fi
exec ssh-keygen "$@"
`))
		r := newRepo(t)
		p := plan(t, r.dir, "v0.13.0", signOpts)
		tags.FailDelete(p, errLocked, caaOrder[1])
		err := p.Apply(context.Background())
		require.ErrorIs(t, err, errLocked)
		require.ErrorContains(t, err, "tags: create "+caaOrder[2]+" (nothing was pushed, and 1 of the 2 tags made before it could not be deleted: "+caaOrder[1]+" remain locally (git tag -d "+caaOrder[1]+"))")
		require.Equal(t, []string{caaOrder[1]}, localNames(t, r.dir))
		require.Empty(t, tagsOf(t, r.remote))
	})
}

// TestApplyBatchRefused: when git refuses one of the tags made in one
// transaction (a reference-transaction hook, here), none is made; Apply
// then makes them one at a time, so that its error names the tag refused
// and why, and deletes the tags it made before it.
func TestApplyBatchRefused(t *testing.T) {
	r := newRepo(t)
	p := plan(t, r.dir, "v0.13.0", opts)
	refused := "refs/tags/" + caaOrder[2]
	script := "#!/bin/sh\n[ \"$1\" = prepared ] || exit 0\n" +
		"while read old new ref; do\n" +
		"  if [ \"$ref\" = " + refused + " ] && [ \"$new\" != 0000000000000000000000000000000000000000 ]; then echo \"no $ref today\" >&2; exit 1; fi\n" +
		"done\n"
	require.NoError(t, os.MkdirAll(filepath.Join(r.dir, ".git", "hooks"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(r.dir, ".git", "hooks", "reference-transaction"), []byte(script), 0o755))
	err := p.Apply(context.Background())
	require.ErrorContains(t, err, "tags: create "+caaOrder[2]+" (nothing was pushed, and the 2 tags made before it were deleted)")
	require.ErrorContains(t, err, "no "+refused+" today")
	require.Empty(t, tagsOf(t, r.dir))
	require.Empty(t, tagsOf(t, r.remote))
}
