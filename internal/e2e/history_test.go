package e2e_test

import (
	"strings"
	"testing"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	gogithub "github.com/google/go-github/v84/github"
	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/fixture"
	"github.com/confidential-containers/release-tools/internal/ghfake"
	"github.com/confidential-containers/release-tools/internal/gitfixture"
)

// TestRealHistory drives status through a history of CAA's real shape,
// built from the v0.21 stages, and at each state runs the next command
// status prints, as printed, through the compiled frontend with nothing
// switched off (issue 22): v0.21.0 released with its plain tag two commits
// after the module tags (as b11022ec and 7a8b043f were) and no
// post-release; the chart-only v0.21.1 (plain tag and GitHub release, no
// module tags); its post-release; v0.22.0's deps sync; the v0.22.0
// release, its tags, its GitHub release found as a draft, its
// post-release. Then a version going backwards is refused, and tags on a
// version tagged already has nothing to do.
func TestRealHistory(t *testing.T) {
	t.Parallel()
	w := newCheckedWorld(t, fixture.HelmDepsSync, []string{fixture.HelmKataVersion})
	sha := fixture.HelmImageSHA
	for _, ref := range fixture.HelmImages {
		w.oci.pushImage(t, ref)
	}
	w.oci.pushChart(t, kataDeploy+":"+fixture.HelmKataVersion)
	repo, err := git.PlainOpen(w.root)
	require.NoError(t, err)
	commit := func(files map[string][]byte, msg string) string {
		h, err := gitfixture.Commit(repo, files, msg)
		require.NoError(t, err)
		return h.String()
	}
	// v0.20.0, released as every release before v0.21.0 was.
	base := w.rev(t, "HEAD")
	w.tagModules(t, "v0.20.0", base)
	w.remoteTag(t, "v0.20.0", base)
	w.release(t, "v0.20.0", base, false)

	// v0.21.0: the deps sync, the release's commits and the module tags
	// on 7a8b043f's stand-in; two commits later GitHub made the tag
	// v0.21.0 on main's head of that day, b11022ec's stand-in. Its
	// post-release was never made.
	commit(after(t, fixture.HelmDepsSync), "deps: sync with Kata Containers 3.31.0")
	modules := commit(after(t, fixture.HelmRelease), "release: v0.21.0: the charts to 0.3.0")
	w.tagModules(t, "v0.21.0", modules)
	commit(map[string][]byte{"docs/a.md": []byte("a\n")}, "docs: one")
	plain := commit(map[string][]byte{"docs/b.md": []byte("b\n")}, "docs: two")
	w.merge(t)
	w.remoteTag(t, "v0.21.0", plain)
	w.release(t, "v0.21.0", plain, false)
	w.oci.pushChart(t, peerpods+":0.3.0")

	out := w.status(t, "released", "v0.21.0 is tagged; its post-release is not done (the image is pinned to "+sha[:12]+")")
	require.Contains(t, out, "the tag v0.21.0 is on "+plain+", not on "+modules+" where the module tags are", "issue 22.2: said, naming both commits")
	require.Contains(t, out, "(a fact of the past: tags never move)")
	require.Contains(t, flat(out), "published chart peerpods 0.3.0 is published")
	require.Contains(t, out, "no inconsistencies found")
	w.runNext(t, out, "mage postrelease v0.21.0")
	w.git(t, "reset", "--hard", "origin/main") // the real history made none

	// v0.21.1: one commit of the charts, the plain tag and the GitHub
	// release; no module tags.
	patch := commit(after(t, fixture.HelmPatch), "release: Update charts to reflect 0.21.1 release")
	w.merge(t)
	w.remoteTag(t, "v0.21.1", patch)
	w.release(t, "v0.21.1", patch, false)
	w.oci.pushChart(t, peerpods+":0.3.1")
	out = w.status(t, "released", "v0.21.1 is released (chart-only patch release, tag v0.21.1 on "+patch[:12]+", no module tags, GitHub release published); its post-release is not done")
	require.NotContains(t, out, "mage release v0.21.1", "issue 22.1: no release of a released version")
	require.Contains(t, flat(out), "published chart peerpods 0.3.1 is published", "issue 22.1: the chart of v0.21.1")
	require.Contains(t, out, "no inconsistencies found")
	w.runNext(t, out, "mage postrelease v0.21.1")
	require.Contains(t, w.git(t, "show", "HEAD:CITATION.cff"), "commit: "+patch, "the chart-only release's commit is cited")
	w.merge(t)

	// Its post-release done: between releases, CITATION at 0.21.1 right.
	out = w.status(t, "development", "between releases; the latest is v0.21.1 (chart-only patch release), its post-release done; kata-deploy at its dev version")
	require.NotContains(t, out, "never released", "issue 22.1: CITATION at 0.21.1 is right")
	require.Contains(t, out, "no inconsistencies found")
	w.runNext(t, out, "mage deps:sync <kataVersion>", "<kataVersion>", fixture.HelmKataVersion)
	w.merge(t)

	out = w.status(t, "deps synced", "kata-deploy is pinned to 3.31.0; the image is not pinned")
	w.runNext(t, out, "mage release v0.22.0 <imageSHA>", "<imageSHA>", sha)
	w.merge(t)

	out = w.status(t, "release committed", "v0.22.0 is committed (image pinned to "+sha[:12]+"), not tagged")
	w.runNext(t, out, "mage tags v0.22.0")
	require.Contains(t, out, "  then  PUSH=1 mage tags v0.22.0  ")
	w.mage(t, []string{"PUSH=1"}, "tags", "v0.22.0")
	released := w.rev(t, "HEAD")
	requireTags(t, w, "v0.22.0", released)

	// The release workflow made a draft: status says so and does not
	// exit 0; its next step publishes it (issue 22.6).
	w.gh.Mu.Lock()
	draft := ghfake.Rel("v0.22.0", true)
	draft.ID, draft.TargetCommitish = gogithub.Ptr(int64(99)), gogithub.Ptr(released)
	w.gh.Releases = append([]*gogithub.RepositoryRelease{draft}, w.gh.Releases...)
	w.gh.Mu.Unlock()
	out = w.status(t, "released", "v0.22.0 is tagged; its post-release is not done")
	require.Contains(t, out, "the GitHub release v0.22.0 is a draft: it is not published")
	w.runNext(t, out, "PUSH=1 mage github:release v0.22.0")
	w.gh.Mu.Lock()
	require.Empty(t, w.gh.Created)
	require.Equal(t, []map[string]any{{"draft": false, "make_latest": "true"}}, w.gh.Edited)
	w.gh.Mu.Unlock()
	w.oci.pushChart(t, peerpods+":0.4.0")

	out = w.status(t, "released", "v0.22.0 is tagged; its post-release is not done")
	require.Contains(t, out, "no inconsistencies found")
	w.runNext(t, out, "mage postrelease v0.22.0")
	w.merge(t)

	final := w.status(t, "development", "between releases; the latest is v0.22.0, its post-release done")
	require.Contains(t, final, "no inconsistencies found")

	// tags on a version tagged already: nothing to do, exit 0 (22.7).
	out = w.mage(t, []string{"PUSH=1"}, "tags", "v0.22.0")
	require.Contains(t, out, "tags: every module tag of v0.22.0 is on origin, on commit "+released+": nothing to do")
	require.NotContains(t, out, "mage release")
	// Versions only go up on their line (22.5).
	out, err = w.try(t, nil, "release", "v0.20.9", sha)
	require.Error(t, err, out)
	require.Contains(t, out, "v0.20.9 is below the latest release v0.22.0: versions only go up on their line; valid now: v0.22.1, v0.23.0, v1.0.0, v0.21.2, v0.20.1")
	out, err = w.try(t, []string{"PUSH=1"}, "tags", "v0.5.0")
	require.Error(t, err, out)
	require.Contains(t, out, "v0.5.0 is below the latest release v0.22.0")
	out, err = w.try(t, nil, "release", "v0.21.2", sha)
	require.Error(t, err, out)
	require.Contains(t, out, "v0.21.2 is the next patch of v0.21, below the latest release v0.22.0: make it from v0.21's branch, not main\nname the line's branch: RELEASE_BRANCH=<branch>")
	require.Equal(t, map[string]string{}, w.remoteTags(t, "/v0.5.0"))

	// The next cycle starts as status says.
	w.runNext(t, final, "mage deps:sync <kataVersion>", "<kataVersion>", fixture.HelmKataVersion)
}

// tagModules tags every module at version on commit and pushes the tags
// (in the process: see push).
func (w *world) tagModules(t *testing.T, version, commit string) {
	t.Helper()
	repo, _ := w.repos(t)
	var tags []plumbing.ReferenceName
	for _, m := range modules {
		tag := plumbing.NewTagReferenceName(m + "/" + version)
		require.NoError(t, repo.Storer.SetReference(plumbing.NewHashReference(tag, plumbing.NewHash(commit))))
		tags = append(tags, tag)
	}
	w.push(t, commit, tags...)
}

// remoteTag makes the tag name on commit on origin only, as GitHub does
// when it publishes a release.
func (w *world) remoteTag(t *testing.T, name, commit string) {
	t.Helper()
	w.push(t, commit, plumbing.NewTagReferenceName(name))
}

// release adds a GitHub release of tag targeting commit.
func (w *world) release(t *testing.T, tag, commit string, draft bool) {
	t.Helper()
	w.gh.Mu.Lock()
	defer w.gh.Mu.Unlock()
	r := ghfake.Rel(tag, draft)
	r.ID, r.TargetCommitish = gogithub.Ptr(int64(len(w.gh.Releases)+100)), gogithub.Ptr(commit)
	w.gh.Releases = append([]*gogithub.RepositoryRelease{r}, w.gh.Releases...)
}

// status runs status and checks the phase and summary it names.
func (w *world) status(t *testing.T, phase, summary string) string {
	t.Helper()
	out, _ := w.try(t, nil, "status")
	require.Contains(t, out, "cycle: "+phase+": "+summary, out)
	return out
}

// runNext checks that the next command status printed in out is want and
// runs it as printed, with its placeholders given their value (pairs of
// placeholder and value); it must succeed.
func (w *world) runNext(t *testing.T, out, want string, values ...string) {
	t.Helper()
	var next string
	for _, l := range strings.Split(out, "\n") {
		if rest, ok := strings.CutPrefix(l, "  next: "); ok {
			next, _, _ = strings.Cut(strings.TrimSpace(rest), "  ")
			break
		}
	}
	require.Equal(t, want, next, out)
	var vars, args []string
	fields := strings.Fields(next)
	for len(fields) > 0 && strings.Contains(fields[0], "=") {
		vars, fields = append(vars, fields[0]), fields[1:]
	}
	require.Equal(t, "mage", fields[0])
	for _, a := range fields[1:] {
		for i := 0; i+1 < len(values); i += 2 {
			a = strings.ReplaceAll(a, values[i], values[i+1])
		}
		args = append(args, a)
	}
	w.mage(t, vars, args...)
}

// flat is out with every run of white space one space.
func flat(out string) string { return strings.Join(strings.Fields(out), " ") }
