package tags_test

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/gitfixture"
	"github.com/confidential-containers/release-tools/internal/run"
	"github.com/confidential-containers/release-tools/tags"
)

// unadvertisedCommit makes a commit on main, then another on top, and
// pushes main: the first is on origin's main, but no reference of the
// remote names it (a commit given to tag that is not the branch head). It
// returns that commit and the one before it.
func unadvertisedCommit(t *testing.T, r fixtureRepo) (c, parent plumbing.Hash) {
	t.Helper()
	parent = plumbing.NewHash(r.head(t))
	c, err := gitfixture.Commit(r.repo, map[string][]byte{"NOTES": []byte("to tag\n")}, "the commit to tag")
	require.NoError(t, err)
	_, err = gitfixture.Commit(r.repo, map[string][]byte{"NOTES": []byte("later\n")}, "merged later")
	require.NoError(t, err)
	require.NoError(t, gitfixture.Push(r.repo, "origin", "refs/heads/main:refs/heads/main"))
	return c, parent
}

func TestPushUnadvertisedCommit(t *testing.T) {
	r := newRepo(t)
	c, _ := unadvertisedCommit(t, r)
	p := plan(t, r.dir, "v0.13.0", tags.Options{Exclude: []string{podvm}, Commit: c.String(), Annotated: true, Message: "v0.13.0"})
	require.Equal(t, "given", p.From)
	require.NoError(t, p.Apply(context.Background()))

	remote := tagsOf(t, r.remote)
	require.Len(t, remote, len(caaOrder))
	for _, name := range caaOrder {
		require.Equal(t, c.String(), remote[name], name)
	}
	obj := tagObject(t, r.remote, caaOrder[0])
	require.Equal(t, "v0.13.0\n", obj.Message, "the annotated tag objects were sent")

	again := plan(t, r.dir, "v0.13.0", tags.Options{Exclude: []string{podvm}, Commit: c.String()})
	for _, pt := range again.Tags {
		require.Equal(t, tags.Pushed, pt.State, pt.Name)
	}
	require.NoError(t, again.Apply(context.Background()), "nothing to push")
}

// TestPushUnadvertisedCommitRefused: a tag that appears on the remote
// between the plan and the push stops the push: no tag moves (go-git's
// push moved it here, the new commit descending from the old one), none
// of the others lands, and the local tags made are deleted again.
func TestPushUnadvertisedCommitRefused(t *testing.T) {
	r := newRepo(t)
	c, parent := unadvertisedCommit(t, r)
	p := plan(t, r.dir, "v0.13.0", tags.Options{Exclude: []string{podvm}, Commit: c.String()})
	remote := openRemote(t, r)
	_, err := remote.CreateTag(caaOrder[2], parent, nil) // someone else, meanwhile
	require.NoError(t, err)

	err = p.Apply(context.Background())
	require.ErrorIs(t, err, tags.ErrTagConflict)
	require.ErrorContains(t, err, "tags: push 5 tags to origin")
	require.ErrorContains(t, err, caaOrder[2]+" appeared on origin at "+parent.String()[:12]+" while tagging")
	require.ErrorContains(t, err, "the 5 tags made now were deleted")
	require.Equal(t, map[string]string{caaOrder[2]: parent.String()}, tagsOf(t, r.remote), "none of the others landed")
	require.Empty(t, tagsOf(t, r.dir))
}

func openRemote(t *testing.T, r fixtureRepo) *git.Repository {
	t.Helper()
	g, err := git.PlainOpen(r.remote)
	require.NoError(t, err)
	return g
}

// hook installs a pre-receive hook in the bare remote.
func hook(t *testing.T, r fixtureRepo, script string) {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Join(r.remote, "hooks"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(r.remote, "hooks", "pre-receive"), []byte("#!/bin/sh\n"+script), 0o755))
}

// TestPushRefused: a remote that refuses the push (a pre-receive hook)
// takes no tag, and the error says why.
func TestPushRefused(t *testing.T) {
	for _, commit := range []string{"advertised", "unadvertised"} {
		t.Run(commit, func(t *testing.T) {
			r := newRepo(t)
			o := tags.Options{Exclude: []string{podvm}}
			if commit == "unadvertised" {
				c, _ := unadvertisedCommit(t, r)
				o.Commit = c.String()
			}
			p := plan(t, r.dir, "v0.13.0", o)
			hook(t, r, "echo 'test hook: tags are frozen' >&2; exit 1\n")
			err := p.Apply(context.Background())
			require.ErrorContains(t, err, "tags: push 5 tags to origin (none of them is on origin; locally, the 5 tags made now were deleted)")
			require.ErrorContains(t, err, "pre-receive hook declined")
			require.Empty(t, tagsOf(t, r.remote))
			require.Empty(t, tagsOf(t, r.dir))
		})
	}
}

// TestPushCreateOnly: a tag made on the remote after it advertised its
// refs (here by its pre-receive hook) is not overwritten: each tag is
// pushed as a create, which the remote refuses for an existing ref.
func TestPushCreateOnly(t *testing.T) {
	r := newRepo(t)
	c, _ := unadvertisedCommit(t, r)
	p := plan(t, r.dir, "v0.13.0", tags.Options{Exclude: []string{podvm}, Commit: c.String()})
	base := openRemote(t, r)
	main, err := base.Head()
	require.NoError(t, err)
	// git forbids ref updates in the quarantine of a push's objects.
	hook(t, r, "unset GIT_QUARANTINE_PATH; git update-ref refs/tags/"+caaOrder[2]+" "+main.Hash().String()+" || exit 3\n")
	err = p.Apply(context.Background())
	require.Error(t, err)
	require.NotContains(t, err.Error(), "hook declined", "the hook made the tag")
	require.Equal(t, map[string]string{caaOrder[2]: main.Hash().String()}, tagsOf(t, r.remote), "the other's tag stays, and nothing else landed")
}

// TestPushCancelled: a push cancelled while the remote works (Ctrl-C
// during a slow git-receive-pack) stops within mage's 5 s of cleanup, the
// remote's receive-pack with it (nothing lands later), and the error says
// exactly what is on the remote and what is local.
func TestPushCancelled(t *testing.T) {
	r := newRepo(t)
	p := plan(t, r.dir, "v0.13.0", tags.Options{Exclude: []string{podvm}})
	hook(t, r, "sleep 1; exit 0\n")
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel)
	began := time.Now()
	err := p.Apply(ctx)
	require.Less(t, time.Since(began), 3*time.Second)
	require.ErrorIs(t, err, context.Canceled)
	require.ErrorContains(t, err, "tags: push 5 tags to origin (none of them is on origin; locally, the 5 tags made now were deleted)")
	require.Empty(t, tagsOf(t, r.dir))
	require.Empty(t, tagsOf(t, r.remote))
	time.Sleep(1500 * time.Millisecond) // the hook's time, were it still running
	require.Empty(t, tagsOf(t, r.remote), "the push was stopped, not left to land")
}

// TestPushStalled: Ctrl-C while the remote accepts the connection and
// never answers (an http server that stalls): Apply returns well within
// mage's 5 s of cleanup, the local tags it made are deleted, and the
// error says that what the remote has could not be told, and how to ask.
func TestPushStalled(t *testing.T) {
	r := newRepo(t)
	p := plan(t, r.dir, "v0.13.0", tags.Options{Exclude: []string{podvm}})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var held []net.Conn
	var mu sync.Mutex
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			held = append(held, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range held {
			c.Close()
		}
	})
	_, err = run.Git(context.Background(), r.dir, "remote", "set-url", "origin", "http://"+ln.Addr().String()+"/r.git")
	require.NoError(t, err)

	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(500*time.Millisecond, cancel)
	began := time.Now()
	err = p.Apply(ctx)
	took := time.Since(began)
	require.Less(t, took, 4*time.Second, "mage gives a cancelled target 5 s")
	require.ErrorIs(t, err, context.Canceled)
	require.ErrorContains(t, err, "tags: push 5 tags to origin (what origin has now is unknown (")
	require.ErrorContains(t, err, "): run git ls-remote --tags origin; locally, the 5 tags made now were deleted)")
	require.Empty(t, tagsOf(t, r.dir))
	require.Empty(t, tagsOf(t, r.remote))
}
