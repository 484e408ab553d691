package publish_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/goproxy"
	"github.com/confidential-containers/release-tools/internal/caatest"
	"github.com/confidential-containers/release-tools/internal/fixture"
	"github.com/confidential-containers/release-tools/internal/gitfixture"
	"github.com/confidential-containers/release-tools/publish"
	"github.com/confidential-containers/release-tools/release/config"
)

// TestTagsProxyConflict: a version the module proxy remembers at another
// commit (its git tag long deleted) stops tags before anything is created.
func TestTagsProxyConflict(t *testing.T) {
	r := caatest.New(t, fixture.Citation)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if strings.Contains(req.URL.Path, "/src/peerpod-ctrl/@v/v0.13.0.info") {
			fmt.Fprintf(w, `{"Version":"v0.13.0","Origin":{"VCS":"git","Hash":%q}}`, fixture.ReleaseCommit)
			return
		}
		http.NotFound(w, req)
	}))
	defer srv.Close()
	var out strings.Builder
	err := publish.Tags(context.Background(), newRepo(t, r.Root, config.CAA()), "v0.13.0", publish.TagOptions{Push: true, Proxy: &goproxy.Client{URL: srv.URL}}, &out)
	require.ErrorContains(t, err, "src/peerpod-ctrl@v0.13.0 is at 410154b63f1a")
	require.Contains(t, out.String(), "proxy CONFLICT")
	for _, dir := range []string{r.Root, r.Remote} {
		found, err := gitfixture.Tags(dir)
		require.NoError(t, err)
		require.Empty(t, found, "no tag in %s", dir)
	}

	// An unreachable proxy stops the tags too: its answer decides whether
	// the versions are free. (It used to be skipped, the git checks alone
	// deciding.) With the check off (no proxy), the git checks decide.
	srv.Close()
	out.Reset()
	err = publish.Tags(context.Background(), newRepo(t, r.Root, config.CAA()), "v0.13.0", publish.TagOptions{Push: true, Proxy: &goproxy.Client{URL: srv.URL}}, &out)
	require.ErrorIs(t, err, publish.ErrProxyNotAsked)
	require.ErrorIs(t, err, goproxy.ErrUnreachable)
	require.ErrorContains(t, err, "nothing was tagged")
	for _, dir := range []string{r.Root, r.Remote} {
		found, err := gitfixture.Tags(dir)
		require.NoError(t, err)
		require.Empty(t, found, "no tag in %s", dir)
	}
	out.Reset()
	require.NoError(t, publish.Tags(context.Background(), newRepo(t, r.Root, config.CAA()), "v0.13.0", publish.TagOptions{Push: true}, &out), out.String())
	mods, err := publish.ModuleVersions(newRepo(t, r.Root, config.CAA()), "v0.13.0")
	require.NoError(t, err)
	require.Len(t, mods, 5)
	require.Equal(t, "github.com/confidential-containers/cloud-api-adaptor/src/cloud-providers", mods[0].Path)
}
