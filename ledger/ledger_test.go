package ledger_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/ledger"
	"github.com/confidential-containers/release-tools/version"
)

var modules = []string{"src/cloud-api-adaptor/", "src/webhook/"}

func parse(s string) (version.Version, error) { return version.Parse(s, nil) }

func v(s string) version.Version {
	out, err := parse(s)
	if err != nil {
		panic(err)
	}
	return out
}

func commit(c byte) string { return strings.Repeat(string(c), 40) }

// tagged returns the tags of every module at version on commit c, and
// the plain tag on plain when it is not "".
func tagged(m map[string]string, version, c, plain string) map[string]string {
	for _, p := range modules {
		m[p+version] = c
	}
	if plain != "" {
		m[version] = plain
	}
	return m
}

// history is CAA's v0.21 shape: v0.20.0 regular, v0.21.0 with its plain
// tag two commits after the module tags, the chart-only v0.21.1.
func history() ledger.Facts {
	tags := map[string]string{}
	tagged(tags, "v0.20.0", commit('1'), commit('1'))
	tagged(tags, "v0.21.0", commit('a'), commit('b'))
	tags["v0.21.1"] = commit('c')
	tags["unrelated"] = commit('9')
	tags["src/other/v9.0.0"] = commit('9') // not a module
	return ledger.Facts{Modules: modules, Local: tags, Remote: tags, Parse: parse, GitHubRead: true, GitHub: []ledger.GitHubRelease{
		{Tag: "v0.21.1", Target: "main"}, {Tag: "v0.21.0", Target: commit('b')}, {Tag: "v0.20.0", Target: "main"},
	}}
}

func TestLedgerKinds(t *testing.T) {
	l := ledger.Read(history())
	require.Len(t, l.Releases(), 3)
	r := l.Latest()
	require.Equal(t, "v0.21.1", r.Version.String())
	require.Equal(t, ledger.ChartOnly, r.Kind)
	require.Equal(t, commit('c'), r.Commit())
	require.Empty(t, r.Disagreements())

	r = l.Find(v("v0.21.0"))
	require.Equal(t, ledger.Full, r.Kind)
	require.Equal(t, commit('a'), r.Commit())
	require.Equal(t, []string{"the tag v0.21.0 is on bbbbbbbbbbbb, not on aaaaaaaaaaaa where the module tags are"}, strs(r.Disagreements()))
	require.Equal(t, []string{commit('a'), commit('b')}, r.Commits())

	require.Empty(t, l.Find(v("v0.20.0")).Disagreements())
	require.Empty(t, l.Unknown())
}

func strs(ds []ledger.Disagreement) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.String())
	}
	return out
}

// TestLedgerUnknown: facts that fit no kind are said, never the latest.
func TestLedgerUnknown(t *testing.T) {
	f := history()
	f.Remote["v0.22.0"] = commit('d') // a plain tag of a minor release, no module tags
	f.Remote["v0.5.0"] = commit('5')  // plain tags from before the modules were tagged
	f.Remote["v0.5.1"] = commit('6')
	f.GitHub = append(f.GitHub, ledger.GitHubRelease{Tag: "v0.21.2", Target: "main", Draft: true}, ledger.GitHubRelease{Tag: "v0.23.0-alpha.1", Target: commit('e')})
	l := ledger.Read(f)
	require.Equal(t, "v0.21.1", l.Latest().Version.String())
	var why []string
	for _, r := range l.Unknown() {
		why = append(why, r.Version.String()+": "+r.Why)
	}
	require.Equal(t, []string{
		"v0.5.0: the tag v0.5.0 on 555555555555, no module tags: a chart-only release is a patch release (vX.Y.Z, Z > 0)",
		"v0.5.1: the tag v0.5.1 on 666666666666, no module tags: no full release of v0.5 before it, as a chart-only patch release has",
		"v0.21.2: a draft GitHub release (target main), no module tags: nothing published",
		"v0.22.0: the tag v0.22.0 on dddddddddddd, no module tags: a chart-only release is a patch release (vX.Y.Z, Z > 0)",
		"v0.23.0-alpha.1: a GitHub release (target eeeeeeeeeeee), no module tags: a pre-release without module tags",
	}, why)
}

// TestLedgerDraft: a draft GitHub release of a tagged version is a
// release whose GitHub release is not published; its target on another
// commit is a disagreement.
func TestLedgerDraft(t *testing.T) {
	f := history()
	tagged(f.Remote, "v0.22.0", commit('d'), "")
	f.GitHub = append(f.GitHub, ledger.GitHubRelease{Tag: "v0.22.0", Target: commit('e'), Draft: true})
	r := ledger.Read(f).Latest()
	require.Equal(t, "v0.22.0", r.Version.String())
	require.True(t, r.Draft())
	require.Equal(t, []string{"the GitHub release v0.22.0's target is on eeeeeeeeeeee, not on dddddddddddd where the module tags are"}, strs(r.Disagreements()))
}

// TestLedgerCheck: versions only go up on their line; the next patch of
// an older line is a maintenance release.
func TestLedgerCheck(t *testing.T) {
	f := history()
	tagged(f.Remote, "v0.22.0", commit('d'), commit('d'))
	l := ledger.Read(f)
	for _, tc := range []struct {
		version     string
		maintenance bool
		existing    bool
		err         string
	}{
		{version: "v0.22.1"},
		{version: "v0.23.0"},
		{version: "v1.0.0"},
		{version: "v0.23.0-alpha.1"},
		{version: "v0.21.2", maintenance: true},
		{version: "v0.22.0", existing: true},
		{version: "v0.21.1", existing: true},
		{version: "v0.20.9", err: "v0.20.9 is below the latest release v0.22.0: versions only go up on their line; valid now: v0.22.1, v0.23.0, v1.0.0, v0.21.2, v0.20.1"},
		{version: "v0.5.0", err: "v0.5.0 is below the latest release v0.22.0"},
		{version: "v0.21.3", err: "valid now: v0.22.1, v0.23.0, v1.0.0, v0.21.2, v0.20.1"},
		{version: "v0.22.0-alpha.1", err: "below the latest release v0.22.0"},
	} {
		t.Run(tc.version, func(t *testing.T) {
			line, err := l.Check(v(tc.version))
			if tc.err != "" {
				require.ErrorIs(t, err, ledger.ErrBackwards)
				require.ErrorContains(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.maintenance, line.Maintenance)
			require.Equal(t, tc.existing, line.Existing != nil)
			require.Equal(t, "v0.22.0", line.Latest.Version.String())
		})
	}
	// No release yet: any version goes.
	line, err := ledger.Read(ledger.Facts{Modules: modules, Parse: parse}).Check(v("v0.1.0"))
	require.NoError(t, err)
	require.Nil(t, line.Latest)
}
