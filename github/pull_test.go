package github_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/github"
	"github.com/confidential-containers/release-tools/internal/ghfake"
)

func TestPulls(t *testing.T) {
	ctx := context.Background()
	f := &ghfake.Server{}
	c := newFake(t, f)

	found, err := c.FindPulls(ctx, "o:release/v0.21.0", "main")
	require.NoError(t, err)
	require.Empty(t, found)

	p, err := c.CreatePull(ctx, github.NewPull{Title: "release v0.21.0", Body: "body", Head: "release/v0.21.0", Base: "main", Draft: true})
	require.NoError(t, err)
	require.Equal(t, github.Pull{Number: 1, Title: "release v0.21.0", Body: "body", Head: "o:release/v0.21.0", Base: "main",
		Open: true, Draft: true, URL: "https://github.com/o/r/pull/1"}, *p)

	_, err = c.CreatePull(ctx, github.NewPull{Title: "again", Head: "release/v0.21.0", Base: "main"})
	require.ErrorContains(t, err, "A pull request already exists for o:release/v0.21.0")
	require.ErrorIs(t, err, github.ErrPullExists)

	fork, err := c.CreatePull(ctx, github.NewPull{Title: "from a fork", Head: "someone:release/v0.21.0", Base: "main"})
	require.NoError(t, err)
	require.Equal(t, "someone:release/v0.21.0", fork.Head)

	found, err = c.FindPulls(ctx, "o:release/v0.21.0", "main")
	require.NoError(t, err)
	require.Len(t, found, 1)
	require.Equal(t, 1, found[0].Number)

	edited, err := c.EditPullBody(ctx, 1, "new body")
	require.NoError(t, err)
	require.Equal(t, "new body", edited.Body)
	require.Equal(t, "release v0.21.0", edited.Title)

	f.Merge(1, commit)
	found, err = c.FindPulls(ctx, "o:release/v0.21.0", "main")
	require.NoError(t, err)
	require.True(t, found[0].Merged)
	require.False(t, found[0].Open)
	require.Equal(t, commit, found[0].HeadSHA)

	_, err = c.FindPulls(ctx, "release/v0.21.0", "main")
	require.ErrorContains(t, err, "not owner:branch")
}

func TestPullsUnavailable(t *testing.T) {
	f := &ghfake.Server{}
	c, err := github.New(context.Background(), github.Options{Token: "wrong", APIURL: ghfake.Start(t, f), Owner: "o", Repo: "r"})
	require.NoError(t, err)
	_, err = c.FindPulls(context.Background(), "o:b", "main")
	require.True(t, errors.Is(err, github.ErrUnavailable), "%v", err)
}
