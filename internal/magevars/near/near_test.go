package near

import (
	"testing"

	"github.com/stretchr/testify/require"
)

var known = []string{"TAG_COMMIT", "DRY_RUN", "SKIP_GO", "RELEASE_BRANCH", "RELEASE_REMOTE", "PR", "PUSH", "SIGN",
	"GOPROXY", "KATA_REF", "KATA_REPO", "GH_TOKEN", "GITHUB_TOKEN", "GITHUB_REPOSITORY", "FORMAT"}

func TestClosest(t *testing.T) {
	for name, want := range map[string]string{
		// The same letters without underscores, in any case.
		"DRYRUN": "DRY_RUN", "dry_run": "DRY_RUN", "SKIPGO": "SKIP_GO", "push": "PUSH", "P_R": "PR",
		// One slip from a name of 6 or more.
		"DRY_RUNN": "DRY_RUN", "DRY_RNU": "DRY_RUN", "SKIP_G0": "SKIP_GO", "GOPROX": "GOPROXY", "FORMATS": "FORMAT",
		// Two from one of 8 or more.
		"RELEASE_BRANC": "RELEASE_BRANCH", "RELEASE_BRNC": "RELEASE_BRANCH", "RELASE_REMOTE": "RELEASE_REMOTE",
		"GITHUB_TOKN": "GITHUB_TOKEN", "KATA_REFF": "KATA_REF", "GITHUB_REPO": "",
		// Names of their own, never taken for ours.
		"DRY_RUN": "", "PATH": "", "PWD": "", "PS1": "", "HOME": "", "GONOPROXY": "", "GOFLAGS": "",
		"GITHUB_REPOSITORY_ID": "", "GITHUB_REF": "", "GH_HOST": "", "SHELL": "", "TERM": "", "USER": "",
		"PUSHD": "", "SIGNAL": "", "KATA": "", "GITLAB_TOKEN": "", "HF_TOKEN": "", "GIT_COMMIT": "",
	} {
		require.Equal(t, want, Closest(name, known), name)
	}
}

func TestWarnings(t *testing.T) {
	env := []string{"PATH=/bin", "DRYRUN=1", "RELEASE_BRANC=rel", "DRY_RUN=1", "GOPROX=off", "=weird", "dry_run=1"}
	require.Equal(t, []string{
		"DRYRUN is set but not read: did you mean DRY_RUN?",
		"GOPROX is set but not read: did you mean GOPROXY?",
		"RELEASE_BRANC is set but not read: did you mean RELEASE_BRANCH?",
		"dry_run is set but not read: did you mean DRY_RUN?",
	}, Warnings(env, known))
	require.Empty(t, Warnings([]string{"HOME=/root", "GOFLAGS=-mod=mod"}, known))
}
