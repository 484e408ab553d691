package status_test

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/caatest"
	"github.com/confidential-containers/release-tools/internal/fixture"
	"github.com/confidential-containers/release-tools/internal/gitfixture"
	"github.com/confidential-containers/release-tools/release"
	"github.com/confidential-containers/release-tools/release/config"
	"github.com/confidential-containers/release-tools/status"
	"github.com/confidential-containers/release-tools/status/statusjson"
)

// TestStatusChecks: each fact status checks beyond the working tree's
// consistency, broken one at a time on a v0.21 tree with a bare origin
// and a local Kata repository, is found and names its file.
func TestStatusChecks(t *testing.T) {
	t.Parallel()
	const (
		webhook  = "src/webhook/chart/values.yaml"
		versions = "src/cloud-api-adaptor/versions.yaml"
		csi      = "src/csi-wrapper/go.mod"
	)
	for _, tc := range []struct {
		name   string
		stage  string
		file   string
		old    string
		new    string
		tag    string // tag every module at this version first
		want   []string
		reason error
	}{
		{name: "an image tag misspelt", stage: fixture.HelmDepsSync, file: webhook, old: "tag: latest", new: "tag: latets",
			want: []string{webhook + `: the image tag "latets" is neither latest nor a pin in its template <sha>`, "1 inconsistency:\n", "fix: unpin-image, or pin-image <imageSHA>"}},
		{name: "an image tag of a version", stage: fixture.HelmDepsSync, file: webhook, old: "tag: latest", new: "tag: v0.21.1",
			want: []string{webhook + `: the image tag "v0.21.1" is neither latest nor a pin`}},
		{name: "guest-components not Kata's", stage: fixture.HelmPostrelease, file: versions, old: fixture.HelmGuestComponents, new: strings.Repeat("a", 40),
			want: []string{versions + ": oci.guest-components.reference is " + strings.Repeat("a", 40) + ", but Kata 3.31.0's versions.yaml names " + fixture.HelmGuestComponents, "fix: deps-sync 3.31.0"}},
		{name: "kata-deploy at another Kata version", stage: fixture.HelmPostrelease, file: versions, old: "# v3.31.0", new: "# v3.15.0",
			want: []string{"kata-deploy is pinned to 3.31.0, but " + versions + "'s Kata reference is at 3.15.0"}},
		{name: "a go.mod requiring another Kata runtime", stage: fixture.HelmPostrelease, file: csi, old: "src/runtime v0.0.0-20260519201048-cec98e0d976b", new: "src/runtime v0.0.0-20260101000000-aaaaaaaaaaaa",
			want: []string{"the modules require different versions of github.com/kata-containers/kata-containers/src/runtime: v0.0.0-20260101000000-aaaaaaaaaaaa: " + csi + "; "}},
		{name: "CITATION at a version never released", stage: fixture.HelmDepsSync, file: "CITATION.cff", old: "version: 0.20.0", new: "version: 0.21.0", tag: "v0.20.0",
			want: []string{"CITATION.cff cites 0.21.0, a version never released: the latest is v0.20.0", "fix: update-citation v0.20.0"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := caatest.New(t, tc.stage)
			repo := r.Open(t)
			data := fixture.MustFile(tc.stage, "before", tc.file)
			require.True(t, bytes.Contains(data, []byte(tc.old)), tc.file+" holds "+tc.old)
			_, err := gitfixture.Commit(repo, map[string][]byte{tc.file: bytes.Replace(data, []byte(tc.old), []byte(tc.new), 1)}, tc.name)
			require.NoError(t, err)
			if tc.tag != "" {
				var names []string
				for _, m := range []string{"cloud-api-adaptor", "cloud-providers", "csi-wrapper", "peerpod-ctrl", "webhook"} {
					names = append(names, "src/"+m+"/"+tc.tag)
				}
				caatest.Tag(t, r.Root, names...)
			}
			rep, err := status.Read(context.Background(), newRepo(t, r.Root, config.CAA()), status.Options{KataRepo: "file://" + r.Kata})
			require.NoError(t, err)
			var out strings.Builder
			_, err = rep.WriteTo(&out)
			require.NoError(t, err)
			require.ErrorIs(t, rep.Err(), status.ErrInconsistent, out.String())
			for _, want := range tc.want {
				require.Contains(t, out.String(), want)
			}
		})
	}
}

// TestStatusUnreachable: an origin that cannot be reached is a check not
// made: never "no inconsistencies found", and the error says so.
func TestStatusUnreachable(t *testing.T) {
	t.Parallel()
	r := caatest.New(t, fixture.HelmDepsSync)
	require.NoError(t, os.RemoveAll(r.Remote))
	rep, out := report(t, r.Root)
	require.ErrorIs(t, rep.Err(), status.ErrUnchecked, out)
	require.Equal(t, status.OutcomeUnchecked, rep.Outcome())
	require.NotContains(t, out, "no inconsistencies")
	require.Contains(t, out, "2 checks not made (so the state is not known to be clean):\n  - the branch against origin/main: ")
	require.Contains(t, out, "  - the tags on origin: origin not reached")

	// A Kata repository that cannot be read is a check not made too.
	r = caatest.New(t, fixture.HelmPostrelease)
	rep, err := status.Read(context.Background(), newRepo(t, r.Root, config.CAA()), status.Options{KataRepo: "file://" + t.TempDir()})
	require.NoError(t, err)
	require.ErrorIs(t, rep.Err(), status.ErrUnchecked)
	require.Contains(t, rep.Unchecked[0], "guest-components and trustee against Kata 3.31.0's versions.yaml: ")
}

// TestStatusJSON: FORMAT=json's report is the text report's content.
func TestStatusJSON(t *testing.T) {
	t.Parallel()
	r := caatest.New(t, fixture.HelmDepsSync)
	rep, _ := report(t, r.Root)
	var b strings.Builder
	require.NoError(t, statusjson.Write(&b, rep, release.Fix.String))
	for _, want := range []string{`"outcome": "clean"`, `"phase": "development"`, `"command": "deps-sync \u003ckataVersion\u003e"`,
		`"name": "layout",` + "\n" + `      "value": "Helm charts"`, `"unchecked": []`} {
		require.Contains(t, b.String(), want)
	}
}

// TestStatusChoices: a guest-components reference chosen by hand, as the
// deps-sync commit's trailer records it, is a choice, not a problem; a
// deps sync that a problem's fix suggests carries it.
func TestStatusChoices(t *testing.T) {
	t.Parallel()
	const versions, csi = "src/cloud-api-adaptor/versions.yaml", "src/csi-wrapper/go.mod"
	r := caatest.New(t, fixture.HelmPostrelease)
	repo := r.Open(t)
	chosen := strings.Repeat("a", 40)
	data := fixture.MustFile(fixture.HelmPostrelease, "before", versions)
	sync, err := gitfixture.Commit(repo, map[string][]byte{versions: bytes.Replace(data, []byte(fixture.HelmGuestComponents), []byte(chosen), 1)},
		"deps: sync with Kata Containers 3.31.0\n\nGuest-Components-Ref: "+chosen+" (Kata 3.31.0 names "+fixture.HelmGuestComponents+")\nSigned-off-by: A <a@example.com>\n")
	require.NoError(t, err)
	data = fixture.MustFile(fixture.HelmPostrelease, "before", csi)
	_, err = gitfixture.Commit(repo, map[string][]byte{csi: bytes.Replace(data, []byte("src/runtime v0.0.0-20260519201048-cec98e0d976b"), []byte("src/runtime v0.0.0-20260101000000-aaaaaaaaaaaa"), 1)}, "another Kata runtime")
	require.NoError(t, err)

	rep, err := status.Read(context.Background(), newRepo(t, r.Root, config.CAA()), status.Options{KataRepo: "file://" + r.Kata})
	require.NoError(t, err)
	var out strings.Builder
	_, err = rep.WriteTo(&out)
	require.NoError(t, err)
	require.ErrorIs(t, rep.Err(), status.ErrInconsistent, out.String())
	require.Contains(t, strings.Join(strings.Fields(out.String()), " "), "chosen guest-components "+chosen+" by hand in "+sync.String()[:12]+" (Kata 3.31.0 names "+fixture.HelmGuestComponents+")")
	require.NotContains(t, out.String(), "oci.guest-components.reference is")
	require.Contains(t, out.String(), "1 inconsistency:\n")
	require.Contains(t, out.String(), "fix: deps-sync 3.31.0 (choosing guest-components "+chosen+" (Kata 3.31.0 names "+fixture.HelmGuestComponents+"))")
}
