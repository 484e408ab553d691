package publish_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/caatest"
	"github.com/confidential-containers/release-tools/internal/fixture"
	"github.com/confidential-containers/release-tools/phase"
	"github.com/confidential-containers/release-tools/publish"
	"github.com/confidential-containers/release-tools/release"
	"github.com/confidential-containers/release-tools/tags"
)

func TestTagsAndTaggedCommit(t *testing.T) {
	r := caatest.New(t, fixture.Citation) // go.mod files at v0.13.0
	var out strings.Builder
	require.NoError(t, publish.Tags(context.Background(), release.Repo{Root: r.Root, Config: release.CAA()}, "v0.13.0", publish.TagOptions{}, &out))
	require.Contains(t, out.String(), "planned only; nothing created or pushed")
	_, err := release.Repo{Root: r.Root, Config: release.CAA()}.TaggedCommit("v0.13.0")
	require.ErrorIs(t, err, tags.ErrNoTags)

	require.NoError(t, publish.Tags(context.Background(), release.Repo{Root: r.Root, Config: release.CAA()}, "v0.13.0", publish.TagOptions{Push: true, TopLevel: true}, &out))
	head, err := r.Open(t).Head()
	require.NoError(t, err)
	c, err := release.Repo{Root: r.Root, Config: release.CAA()}.TaggedCommit("v0.13.0")
	require.NoError(t, err)
	require.Equal(t, head.Hash().String(), c)

	// Postrelease cites the tagged commit by default.
	p, err := release.Repo{Root: r.Root, Config: release.CAA()}.Postrelease("v0.13.0", release.Inputs{ReleaseDate: "2025-03-28"})
	caatest.Run(t, p, err, phase.Options{})
	data, err := os.ReadFile(filepath.Join(r.Root, "CITATION.cff"))
	require.NoError(t, err)
	require.Contains(t, string(data), "commit: "+c+"\n")

	// A moved tag makes the tags disagree.
	require.NoError(t, r.Open(t).DeleteTag("src/webhook/v0.13.0"))
	now, err := r.Open(t).Head()
	require.NoError(t, err)
	_, err = r.Open(t).CreateTag("src/webhook/v0.13.0", now.Hash(), nil)
	require.NoError(t, err)
	_, err = release.Repo{Root: r.Root, Config: release.CAA()}.TaggedCommit("v0.13.0")
	require.ErrorContains(t, err, "the module tags of v0.13.0 disagree")
}
