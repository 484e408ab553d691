package github_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/github"
	"github.com/confidential-containers/release-tools/internal/ghfake"
)

const (
	token  = ghfake.Token
	commit = "410154b63f1a3a5431de308f9834052b62e7e7d7"
)

// newFake returns a client of repository o/r on the fake f.
func newFake(t *testing.T, f *ghfake.Server) *github.Client {
	t.Helper()
	c, err := github.New(context.Background(), github.Options{Token: token, APIURL: ghfake.Start(t, f), Owner: "o", Repo: "r"})
	require.NoError(t, err)
	return c
}
