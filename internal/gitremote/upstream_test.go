package gitremote

import (
	"net/http/cgi"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"testing"

	git "github.com/go-git/go-git/v5"
	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/gitfixture"
	"github.com/confidential-containers/release-tools/internal/gitrepo"
	"github.com/confidential-containers/release-tools/internal/run"
	"github.com/confidential-containers/release-tools/internal/slow"
)

// upstreamWorld is a repository with its bare remote "origin" (in sync),
// and another clone of the remote that pushes to it.
type upstreamWorld struct {
	root, remote, url string
	other             *git.Repository
}

func newUpstreamWorld(t *testing.T) upstreamWorld {
	t.Helper()
	slow.Git(t)
	w := upstreamWorld{root: t.TempDir(), remote: filepath.Join(t.TempDir(), "r.git")}
	_, err := gitfixture.WithRemote(w.root, w.remote, map[string][]byte{"a": []byte("a\n")}, "init")
	require.NoError(t, err)
	w.url = "file://" + filepath.ToSlash(w.remote)
	w.other, err = git.PlainClone(t.TempDir(), false, &git.CloneOptions{URL: w.url})
	require.NoError(t, err)
	return w
}

// commitHere commits n commits on the local main.
func (w upstreamWorld) commitHere(t *testing.T, subjects ...string) {
	t.Helper()
	repo, err := git.PlainOpen(w.root)
	require.NoError(t, err)
	for _, s := range subjects {
		_, err := gitfixture.Commit(repo, map[string][]byte{"here": []byte(s + "\n")}, s)
		require.NoError(t, err)
	}
}

// commitThere commits on the other clone and pushes its main to the remote.
func (w upstreamWorld) commitThere(t *testing.T, subjects ...string) {
	t.Helper()
	for _, s := range subjects {
		_, err := gitfixture.Commit(w.other, map[string][]byte{"there": []byte(s + "\n")}, s)
		require.NoError(t, err)
	}
	require.NoError(t, gitfixture.Push(w.other, "origin", "refs/heads/main:refs/heads/main"))
}

func subjects(ls []Line) []string {
	var out []string
	for _, l := range ls {
		out = append(out, l.Subject)
	}
	return out
}

// TestUpstream: HEAD against the remote's main, read in place from the
// local remote: equal, ahead, behind and diverged, with the commits of
// each side newest first, whether or not the remote's commits were
// fetched; .git is left byte-identical.
func TestUpstream(t *testing.T) {
	ctx := t.Context()
	for _, tc := range []struct {
		name          string
		here, there   []string
		fetch         bool
		ahead, behind []string
	}{
		{name: "equal"},
		{name: "ahead", here: []string{"h1", "h2"}, ahead: []string{"h2", "h1"}},
		{name: "behind", there: []string{"t1"}, behind: []string{"t1"}},
		{name: "behind, fetched", there: []string{"t1", "t2"}, fetch: true, behind: []string{"t2", "t1"}},
		{name: "diverged", here: []string{"h1"}, there: []string{"t1", "t2"}, ahead: []string{"h1"}, behind: []string{"t2", "t1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newUpstreamWorld(t)
			w.commitThere(t, tc.there...)
			w.commitHere(t, tc.here...)
			if tc.fetch {
				_, err := run.Git(ctx, w.root, "fetch", "--quiet", "origin")
				require.NoError(t, err)
			}
			before := hashDir(t, filepath.Join(w.root, ".git"))
			waited := false
			s, err := Upstream(ctx, openRepo(t, w.root), w.root, "origin", "main", func(string) { waited = true })
			require.NoError(t, err)
			require.Equal(t, before, hashDir(t, filepath.Join(w.root, ".git")))
			require.False(t, waited, "a local remote is read in place")
			require.True(t, s.Known)
			require.Equal(t, "main", s.Branch)
			require.Equal(t, "origin/main", s.Tracking())
			require.Equal(t, tc.ahead, subjects(s.Ahead))
			require.Equal(t, tc.behind, subjects(s.Behind))
			head, err := gitfixture.Head(w.root)
			require.NoError(t, err)
			require.Equal(t, head, s.Head)
		})
	}
}

// TestUpstreamOverHTTP: a remote reached over the network (git's own
// http-backend on loopback) is listed, said so first; a head this
// repository has not fetched is reported as not known, and once fetched
// it is counted. A remote that does not answer is a *RemoteError.
func TestUpstreamOverHTTP(t *testing.T) {
	ctx := t.Context()
	gitBin, err := exec.LookPath("git")
	require.NoError(t, err)
	w := newUpstreamWorld(t)
	srv := httptest.NewServer(&cgi.Handler{Path: gitBin, Args: []string{"http-backend"},
		Env: []string{"GIT_PROJECT_ROOT=" + filepath.Dir(w.remote), "GIT_HTTP_EXPORT_ALL=1"}})
	defer srv.Close()
	_, err = run.Git(ctx, w.root, "remote", "set-url", "origin", srv.URL+"/r.git")
	require.NoError(t, err)

	var waited []string
	s, err := Upstream(ctx, openRepo(t, w.root), w.root, "origin", "main", func(what string) { waited = append(waited, what) })
	require.NoError(t, err)
	require.True(t, s.Known)
	require.Empty(t, s.Ahead)
	require.Empty(t, s.Behind)
	require.Equal(t, []string{"reading branch main of origin (" + srv.URL + "/r.git)"}, waited)

	w.commitThere(t, "t1")
	w.commitHere(t, "h1")
	s, err = Upstream(ctx, openRepo(t, w.root), w.root, "origin", "main", nil)
	require.NoError(t, err)
	require.False(t, s.Known, "the remote's head is not here")
	require.Empty(t, s.Behind)
	remoteHead, err := gitfixture.Head(w.remote)
	require.NoError(t, err)
	require.Equal(t, remoteHead, s.RemoteHead)

	_, err = run.Git(ctx, w.root, "fetch", "--quiet", "origin")
	require.NoError(t, err)
	s, err = Upstream(ctx, openRepo(t, w.root), w.root, "origin", "main", nil)
	require.NoError(t, err)
	require.True(t, s.Known)
	require.Equal(t, []string{"h1"}, subjects(s.Ahead))
	require.Equal(t, []string{"t1"}, subjects(s.Behind))

	_, err = Upstream(ctx, openRepo(t, w.root), w.root, "origin", "release", nil)
	require.ErrorIs(t, err, ErrNoRemoteBranch)
	require.ErrorContains(t, err, "origin ("+srv.URL+"/r.git) has no branch release")

	srv.Close()
	_, err = Upstream(ctx, openRepo(t, w.root), w.root, "origin", "main", nil)
	var re *RemoteError
	require.ErrorAs(t, err, &re)
	require.Equal(t, "origin", re.Remote)
	require.ErrorContains(t, err, "list the branches of origin ("+srv.URL+"/r.git)")
}

// TestUpstreamRefuses: no such remote, a remote without the branch.
func TestUpstreamRefuses(t *testing.T) {
	ctx := t.Context()
	w := newUpstreamWorld(t)
	_, err := Upstream(ctx, openRepo(t, w.root), w.root, "upstream", "main", nil)
	require.ErrorIs(t, err, ErrNoRemote)
	require.ErrorContains(t, err, `no such remote "upstream" in `+w.root)
	_, err = Upstream(ctx, openRepo(t, w.root), w.root, "origin", "release", nil)
	require.ErrorIs(t, err, ErrNoRemoteBranch)
	require.ErrorContains(t, err, "origin ("+w.url+") has no branch release")
}

// TestAheadBehindMerges: a merge on each side; commits reachable from both
// through a merge are on neither side.
func TestAheadBehindMerges(t *testing.T) {
	ctx := t.Context()
	w := newUpstreamWorld(t)
	w.commitThere(t, "t1")
	_, err := run.Git(ctx, w.root, "fetch", "--quiet", "origin")
	require.NoError(t, err)
	w.commitHere(t, "h1")
	_, err = run.Git(ctx, w.root, "-c", "user.name=n", "-c", "user.email=n@example.com", "merge", "--quiet", "--no-edit", "origin/main")
	require.NoError(t, err)
	w.commitThere(t, "t2")
	s, err := Upstream(ctx, openRepo(t, w.root), w.root, "origin", "main", nil)
	require.NoError(t, err)
	require.Len(t, s.Ahead, 2, "h1 and the merge")
	require.Equal(t, []string{"t2"}, subjects(s.Behind))
}

// hashDir hashes the names, modes and contents of everything below dir.
func hashDir(t *testing.T, dir string) string {
	t.Helper()
	h, err := gitfixture.HashTree(dir, false)
	require.NoError(t, err)
	return h
}

// openRepo is the handle of the repository at root, as release.New opens it.
func openRepo(t *testing.T, root string) *git.Repository {
	t.Helper()
	repo, err := gitrepo.Open(root)
	require.NoError(t, err)
	return repo
}
