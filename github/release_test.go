package github_test

import (
	"context"
	"strings"
	"testing"

	gogithub "github.com/google/go-github/v84/github"
	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/github"
	"github.com/confidential-containers/release-tools/internal/ghfake"
	"github.com/confidential-containers/release-tools/version"
)

// history is a repository's releases, newest first as GitHub lists them:
// a draft, a tag that is not a version, and pre-releases between full ones.
func history() []*gogithub.RepositoryRelease {
	return []*gogithub.RepositoryRelease{
		ghfake.Rel("v0.13.0-rc.1", true),
		ghfake.Rel("v0.13.0-alpha.1", false),
		ghfake.Rel("src/csi-wrapper/v0.1.0", false),
		ghfake.Rel("v0.12.0", false),
		ghfake.Rel("v0.12.0-alpha.1", false),
		ghfake.Rel("v0.11.0", false),
	}
}

// ver parses a version that must be valid.
func ver(t testing.TB, s string) version.Version {
	t.Helper()
	v, err := version.Parse(s, nil)
	require.NoError(t, err)
	return v
}

func TestPlanRelease(t *testing.T) {
	for _, tc := range []struct {
		name, tag string
		pre       bool
		releases  []*gogithub.RepositoryRelease
		previous  string // "" means no previous_tag_name sent
		latest    string
	}{
		{"full release starts at the previous full one", "v0.13.0", false, history(), "v0.12.0", "true"},
		{"pre-release starts at the previous pre-release", "v0.13.0-rc.2", true, history(), "v0.13.0-alpha.1", "false"},
		{"first pre-release of a cycle starts at the last pre-release, not the full release", "v0.14.0-alpha.1", true, []*gogithub.RepositoryRelease{ghfake.Rel("v0.13.0", false), ghfake.Rel("v0.13.0-rc.1", false)}, "v0.13.0-rc.1", "false"},
		{"the first pre-release starts at the last full release: GitHub would pick it anyway", "v0.1.0-alpha.1", true, []*gogithub.RepositoryRelease{ghfake.Rel("v0.0.1", false)}, "v0.0.1", "false"},
		{"the first full release after pre-releases starts at the last one, said", "v0.1.0", false, []*gogithub.RepositoryRelease{ghfake.Rel("v0.1.0-rc.1", false)}, "v0.1.0-rc.1", "true"},
		{"a patch release starts below itself, not at the newest", "v0.12.1", false, history(), "v0.12.0", "true"},
		{"the first release has no previous", "v0.1.0", false, nil, "", "true"},
		{"a patch of an older line is not latest", "v0.11.1", false, history(), "v0.11.0", "false"},
		{"a newer draft or pre-release does not take latest away", "v0.12.1", false, []*gogithub.RepositoryRelease{ghfake.Rel("v0.12.0", false), ghfake.Rel("v0.13.0", true), ghfake.Rel("v0.14.0-rc.1", false)}, "v0.12.0", "true"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := &ghfake.Server{Releases: tc.releases}
			c := newFake(t, f)
			p, err := c.PlanRelease(context.Background(), ver(t, tc.tag), commit)
			require.NoError(t, err)
			require.Nil(t, p.Existing)
			require.Equal(t, tc.previous, p.Previous)
			require.Len(t, f.Notes, 1)
			require.Equal(t, tc.tag, f.Notes[0].TagName)
			require.Equal(t, commit, f.Notes[0].GetTargetCommitish())
			if tc.previous == "" {
				require.Nil(t, f.Notes[0].PreviousTagName)
			} else {
				require.Equal(t, tc.previous, f.Notes[0].GetPreviousTagName())
			}
			require.Empty(t, f.Created, "planning creates nothing")

			var out strings.Builder
			_, err = p.WriteTo(&out)
			require.NoError(t, err)
			require.Contains(t, out.String(), "github: create release "+tc.tag+" on o/r at "+commit)
			require.Contains(t, out.String(), "  | * everything from ")
			if tc.previous == "" {
				require.Contains(t, out.String(), "notes from the beginning (no earlier release)", "said only where GitHub does start there")
			}
			if !tc.pre && tc.latest == "false" {
				require.Contains(t, out.String(), "full release, not marked latest (v0.12.0 is newer)")
			}

			r, outcome, err := p.Apply(context.Background())
			require.NoError(t, err)
			require.Equal(t, github.Created, outcome)
			require.Equal(t, tc.tag, r.Tag)
			require.Len(t, f.Created, 1)
			require.Equal(t, map[string]any{
				"tag_name": tc.tag, "target_commitish": commit, "name": tc.tag,
				"body": p.Notes, "draft": false, "prerelease": tc.pre, "make_latest": tc.latest,
			}, f.Created[0])
			require.Contains(t, p.Notes, "to "+tc.tag)

			// A second run finds it and leaves it alone.
			p, err = c.PlanRelease(context.Background(), ver(t, tc.tag), commit)
			require.NoError(t, err)
			require.NotNil(t, p.Existing)
			_, outcome, err = p.Apply(context.Background())
			require.NoError(t, err)
			require.Equal(t, github.Exists, outcome)
			require.Len(t, f.Created, 1)
		})
	}
}

// TestExistingRelease: a release for the tag, published or draft, is
// reported and left alone: no notes generated, nothing created.
func TestExistingRelease(t *testing.T) {
	for tag, draft := range map[string]bool{"v0.12.0": false, "v0.13.0-rc.1": true, "v0.11.0": false} {
		f := &ghfake.Server{Releases: history()}
		c := newFake(t, f)
		p, err := c.PlanRelease(context.Background(), ver(t, tag), commit)
		require.NoError(t, err, tag)
		require.NotNil(t, p.Existing, tag)
		require.Equal(t, draft, p.Existing.Draft, tag)
		var out strings.Builder
		_, err = p.WriteTo(&out)
		require.NoError(t, err)
		want := "github: release " + tag + " exists on o/r (target main): left alone\n"
		if draft {
			want = "github: draft release " + tag + " exists on o/r (target main): left alone\n"
		}
		require.Equal(t, want+"  https://github.com/o/r/releases/tag/"+tag+"\n", out.String())
		r, outcome, err := p.Apply(context.Background())
		require.NoError(t, err)
		require.Equal(t, github.Exists, outcome)
		require.Equal(t, "exists, left alone", outcome.String())
		require.Equal(t, tag, r.Tag)
		require.Empty(t, f.Notes, tag)
		require.Empty(t, f.Created, tag)
	}
}

// TestReleaseRace: a release created between plan and apply is found
// through GitHub's already_exists answer and left alone.
func TestReleaseRace(t *testing.T) {
	f := &ghfake.Server{Releases: history()}
	c := newFake(t, f)
	p, err := c.PlanRelease(context.Background(), ver(t, "v0.13.0"), commit)
	require.NoError(t, err)
	f.Mu.Lock()
	f.Releases = append(f.Releases, ghfake.Rel("v0.13.0", true))
	f.Mu.Unlock()
	r, outcome, err := p.Apply(context.Background())
	require.NoError(t, err)
	require.Equal(t, github.Exists, outcome)
	require.True(t, r.Draft)
}

func TestPlanReleaseBadInput(t *testing.T) {
	f := &ghfake.Server{Releases: history()}
	c := newFake(t, f)
	for _, tc := range []struct {
		v            version.Version
		commit, want string
	}{
		{version.Version{}, commit, `github: no version to release`},
		{ver(t, "v0.13.0"), "410154b", `commit "410154b" is not a full commit hash`},
		{ver(t, "v0.13.0"), "main", `commit "main" is not a full commit hash`},
	} {
		_, err := c.PlanRelease(context.Background(), tc.v, tc.commit)
		require.ErrorContains(t, err, tc.want)
	}
	require.Empty(t, f.Paths, "bad input asks GitHub nothing")
}

func TestFindRelease(t *testing.T) {
	f := &ghfake.Server{Releases: history()}
	c := newFake(t, f)
	for tag, want := range map[string]bool{"v0.13.0-rc.1": true, "v0.11.0": true, "v0.14.0": false} {
		r, err := c.FindRelease(context.Background(), tag)
		require.NoError(t, err, tag)
		require.Equal(t, want, r != nil, tag)
		if want {
			require.Equal(t, tag, r.Tag)
		}
	}
	require.Empty(t, f.Created)
}

// TestReleaseNotFound: the 404 GitHub answers a token without the
// workflow permission is explained, not printed bare.
func TestReleaseNotFound(t *testing.T) {
	f := &ghfake.Server{Releases: history(), CreateStatus: 404}
	c := newFake(t, f)
	p, err := c.PlanRelease(context.Background(), ver(t, "v0.13.0"), commit)
	require.NoError(t, err)
	_, _, err = p.Apply(context.Background())
	require.ErrorIs(t, err, github.ErrNeedsWorkflow)
	require.ErrorContains(t, err, "github: create the release v0.13.0 on o/r: GitHub answered 404 Not Found: Not Found: the repository's releases were read with this token, so this 404 is most likely GitHub refusing a token without the workflow permission to create the release's tag on a commit that changes .github/workflows")
	require.NotErrorIs(t, err, github.ErrUnavailable)
}

// Without a release below the tag, GitHub starts the notes from its latest
// release, not from the beginning: the plan says which.
func TestPlanReleaseSaysWhereGitHubStarts(t *testing.T) {
	f := &ghfake.Server{Releases: []*gogithub.RepositoryRelease{ghfake.Rel("v0.13.0", false)}}
	p, err := newFake(t, f).PlanRelease(context.Background(), ver(t, "v0.12.5"), commit)
	require.NoError(t, err)
	require.Equal(t, "v0.13.0", p.GitHubPicks)
	var out strings.Builder
	_, err = p.WriteTo(&out)
	require.NoError(t, err)
	require.Contains(t, out.String(), "notes from v0.13.0 (no release below v0.12.5: GitHub starts from its latest release)")
	require.NotContains(t, out.String(), "the beginning")
}
