package e2e_test

import (
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	gogithub "github.com/google/go-github/v84/github"
	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/fixture"
	"github.com/confidential-containers/release-tools/internal/ghfake"
	"github.com/confidential-containers/release-tools/internal/ocifake"
)

// platforms are those CAA's workflows build the multi-arch images for.
var platforms = []string{"linux/amd64", "linux/arm64", "linux/ppc64le", "linux/s390x"}

// releasedWorld is the v0.21.0 release tree with its module tags and the
// release's own tag on origin, the GitHub release published, the run of
// its release event with CAA's jobs in state status/conclusion, and every
// artifact CAA's release workflow publishes in the registry but those
// named in without.
func releasedWorld(t *testing.T, status, conclusion string, without ...string) (*world, string) {
	t.Helper()
	w := newWorld(t, fixture.HelmPatch, []string{fixture.HelmKataVersion})
	head := w.rev(t, "HEAD")
	version := fixture.HelmVersion
	repo, _ := w.repos(t)
	var tags []plumbing.ReferenceName
	for _, m := range append(slices.Clone(modules), "") {
		tag := plumbing.NewTagReferenceName(version)
		if m != "" {
			tag = plumbing.NewTagReferenceName(m + "/" + version)
		}
		require.NoError(t, repo.Storer.SetReference(plumbing.NewHashReference(tag, plumbing.NewHash(head))))
		tags = append(tags, tag)
	}
	w.push(t, head, tags...)

	rel := ghfake.Rel(version, false)
	rel.TargetCommitish = gogithub.Ptr(head)
	rel.HTMLURL = gogithub.Ptr("https://github.com/confidential-containers/cloud-api-adaptor/releases/tag/" + version)
	w.gh.Releases = []*gogithub.RepositoryRelease{rel}
	w.gh.Runs = []*ghfake.WorkflowRun{ghfake.NewRun(4242, "Release project images", "release", head, status, conclusion,
		"caa", "peerpod-ctrl", "podvm-images", "podvm-byom-binaries", "webhook", "peerpods-chart")}

	images := map[string][]string{
		quay + "cloud-api-adaptor:" + version:          platforms,
		quay + "cloud-api-adaptor:" + version + "-dev": platforms,
		quay + "peerpod-ctrl:" + version:               platforms,
		quay + "podvm-amd64:" + version:                nil,
		quay + "podvm-s390x:" + version:                nil,
		quay + "podvm-arm64:" + version:                nil,
		quay + "peer-pods-webhook:" + version:          nil,
	}
	for ref, plats := range images {
		if slices.Contains(without, ref) {
			continue
		}
		if plats == nil {
			w.oci.pushImage(t, ref)
			continue
		}
		idx, err := ocifake.Index(plats...)
		require.NoError(t, err)
		r, err := name.ParseReference(ref)
		require.NoError(t, err)
		require.NoError(t, remote.WriteIndex(r, idx, remote.WithTransport(w.oci.client), remote.WithContext(t.Context())))
	}
	w.oci.pushChart(t, peerpods+":0.3.0")
	return w, version
}

// verify runs mage verify and returns its output and exit code.
func (w *world) verify(t *testing.T, vars []string, version string) (string, int) {
	t.Helper()
	out, err := w.try(t, vars, "verify", version)
	if err == nil {
		return out, 0
	}
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit, out)
	return out, exit.ExitCode()
}

// TestVerify drives mage verify through the compiled frontend against the
// fake GitHub (a published release and the run of its release event) and
// the TLS registry, nothing switched off.
func TestVerify(t *testing.T) {
	t.Parallel()
	t.Run("all green: exit 0 and the announcement; PUSH=1 ANNOUNCE posts it once", func(t *testing.T) {
		t.Parallel()
		w, v := releasedWorld(t, "completed", "success")
		out, code := w.verify(t, nil, v)
		require.Equal(t, 0, code, out)
		require.Contains(t, out, "verify: v0.21.0 is complete")
		require.Contains(t, out, "## cloud-api-adaptor v0.21.0 is released")
		require.Contains(t, out, "- Release: https://github.com/confidential-containers/cloud-api-adaptor/releases/tag/v0.21.0")
		require.Contains(t, out, "  - `quay.io/confidential-containers/cloud-api-adaptor:v0.21.0-dev` (linux/amd64, linux/arm64, linux/ppc64le, linux/s390x)")
		require.Contains(t, out, "- Chart: `oci://ghcr.io/confidential-containers/cloud-api-adaptor/charts/peerpods:0.3.0`")
		require.Contains(t, out, "## Components\n\n| Component | Version | Commit |")
		require.Contains(t, out, "| peerpods chart | 0.3.0 |")
		w.gh.Mu.Lock()
		require.Empty(t, w.gh.Comments, "nothing posted without PUSH=1 ANNOUNCE")
		w.gh.Mu.Unlock()

		announce := []string{"PUSH=1", "ANNOUNCE=confidential-containers/confidential-containers#321"}
		out, code = w.verify(t, announce, v)
		require.Equal(t, 0, code, out)
		require.Contains(t, out, "verify: announcement posted on confidential-containers/confidential-containers#321: https://github.com/confidential-containers/confidential-containers/issues/321#issuecomment-1")
		out, code = w.verify(t, announce, v)
		require.Equal(t, 0, code, out)
		require.Contains(t, out, "the announcement is on confidential-containers/confidential-containers#321 already, nothing posted")
		w.gh.Mu.Lock()
		defer w.gh.Mu.Unlock()
		comments := w.gh.Comments["confidential-containers/confidential-containers#321"]
		require.Len(t, comments, 1, "a re-run posts nothing")
		require.Contains(t, comments[0].GetBody(), "## cloud-api-adaptor v0.21.0 is released")
		require.Empty(t, w.gh.Invalid)
	})
	t.Run("a failed job: exit 1 naming the job and its page", func(t *testing.T) {
		t.Parallel()
		w, v := releasedWorld(t, "completed", "success")
		job := w.gh.Runs[0].Jobs[2]
		job.Conclusion = gogithub.Ptr("failure")
		w.gh.Runs[0].Run.Conclusion = gogithub.Ptr("failure")
		out, code := w.verify(t, nil, v)
		require.Equal(t, 1, code, out)
		require.Contains(t, out, "FAILED: job podvm-images of Release project images: failure: https://github.com/o/r/actions/runs/4242/job/424203")
		require.NotContains(t, out, "announcement")

		// status after the release says so too, and what to run once put right.
		out, err := w.try(t, nil, "status")
		require.Error(t, err, out)
		got := strings.Join(strings.Fields(out), " ")
		require.Contains(t, got, "release workflow Release project images: failure https://github.com/o/r/actions/runs/4242")
		require.Contains(t, got, "- the release v0.21.0: job podvm-images of Release project images: failure: https://github.com/o/r/actions/runs/4242/job/424203 fix: mage verify v0.21.0")
	})
	t.Run("a missing -dev image: exit 1 naming the reference", func(t *testing.T) {
		t.Parallel()
		w, v := releasedWorld(t, "completed", "success", quay+"cloud-api-adaptor:v0.21.0-dev")
		out, code := w.verify(t, nil, v)
		require.Equal(t, 1, code, out)
		require.Contains(t, out, "FAILED: quay.io/confidential-containers/cloud-api-adaptor:v0.21.0-dev is missing")
		require.NotContains(t, out, "announcement")
	})
	t.Run("a run in progress: exit 3, and it says so", func(t *testing.T) {
		t.Parallel()
		w, v := releasedWorld(t, "in_progress", "")
		out, code := w.verify(t, nil, v)
		require.Equal(t, 3, code, out)
		require.Contains(t, out, "NOT KNOWN: job caa of Release project images is in progress: https://github.com/o/r/actions/runs/4242/job/424201")
		require.Contains(t, out, "next: mage verify v0.21.0 once the runs finish (WAIT=1 waits for them)")
		require.NotContains(t, out, "announcement")

		out, _ = w.try(t, nil, "status")
		got := strings.Join(strings.Fields(out), " ")
		require.Contains(t, got, "release workflow Release project images: in progress https://github.com/o/r/actions/runs/4242")
		require.Contains(t, got, "- the release v0.21.0: job caa of Release project images is in progress: https://github.com/o/r/actions/runs/4242/job/424201 (then: verify v0.21.0)")
		require.NotContains(t, got, "no inconsistencies found")
	})
}
