package targets

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/kata"
	"github.com/confidential-containers/release-tools/publish"
	"github.com/confidential-containers/release-tools/release"
	"github.com/confidential-containers/release-tools/steps"
)

// TestAdvise: the library's fixes become mage command lines here, and only
// here; every action has a target.
func TestAdvise(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		fix  release.Fix
		want string
	}{
		{release.Fix{Action: release.ActionTags, Args: []string{"v0.13.0"}, Push: true}, "PUSH=1 mage tags v0.13.0"},
		{release.Fix{Action: release.ActionUpdateCitation, Args: []string{"v0.13.0"}, Date: "2025-03-28"}, "RELEASE_DATE=2025-03-28 mage citation:update v0.13.0"},
		{release.Fix{Action: release.ActionDepsSync, Args: []string{"3.15.0"}}, "mage deps:sync 3.15.0"},
		{release.Fix{Action: release.ActionDepsSync, Args: []string{"3.14.0"}, AllowDowngrade: true}, "ALLOW_DOWNGRADE=1 mage deps:sync 3.14.0"},
		{release.Fix{Command: "git fetch --force origin tag x"}, "git fetch --force origin tag x"},
		// The references chosen by hand: the variables that choose them again.
		{release.Fix{Action: release.ActionDepsSync, Args: []string{"3.31.0"}, Choices: []kata.Choice{
			{Ref: kata.RefKata, Value: "bef049d07e34d467b3a0910fdc65f30aa4647a0a", Note: "tagging fix"},
			{Ref: kata.RefGuestComponents, Value: "f1561038b9a58d309a3366cc8e25d8e6162424a0"}, {Ref: kata.RefTrustee, Value: "v0.10.1"}}},
			"KATA_REF=bef049d07e34d467b3a0910fdc65f30aa4647a0a KATA_REF_NOTE='tagging fix' GUEST_COMPONENTS_REF=f1561038b9a58d309a3366cc8e25d8e6162424a0 TRUSTEE_REF=v0.10.1 mage deps:sync 3.31.0"},
		{release.Fix{Action: release.ActionDepsSync, Args: []string{"3.31.0"}, Choices: []kata.Choice{{Ref: kata.RefKata, Value: "bef049d07e34d467b3a0910fdc65f30aa4647a0a", Note: "it's $HOME"}}},
			`KATA_REF=bef049d07e34d467b3a0910fdc65f30aa4647a0a KATA_REF_NOTE='it'\''s $HOME' mage deps:sync 3.31.0`},
		{release.Fix{Action: release.ActionTags, Args: []string{"v0.13.0"}, Commit: "1265e4914a7b5c19cb48ed6ed9d9e138edde4121"}, "TAG_COMMIT=1265e4914a7b5c19cb48ed6ed9d9e138edde4121 mage tags v0.13.0"},
	} {
		require.Equal(t, tc.want, command(tc.fix))
	}
	err := advise(&release.FixableError{Err: errors.New("no module tags"), Fixes: []release.Fix{{Action: release.ActionTags, Args: []string{"v1.0.0"}, Push: true}}})
	require.EqualError(t, err, "no module tags\nfix: PUSH=1 mage tags v1.0.0")
	plain := errors.New("plain")
	require.Equal(t, plain, advise(plain))

	// The release remote or branch missing: the variable that names another.
	err = advise(release.Fixable(fmt.Errorf("%w \"upstream\"", steps.ErrNoRemote), release.Fix{Command: "git remote add upstream <url>"}))
	require.EqualError(t, err, "no such remote \"upstream\"\nfix: git remote add upstream <url>\nor name the release remote: RELEASE_REMOTE=<remote>, or remote: in release.yaml")
	err = advise(fmt.Errorf("%w: origin has no branch trunk", steps.ErrNoBranch))
	require.EqualError(t, err, "no such branch on the remote: origin has no branch trunk\nor name the release branch: RELEASE_BRANCH=<branch>, or branch: in release.yaml")
	err = advise(fmt.Errorf("tags: %w: proxy unreachable; nothing was tagged", publish.ErrProxyNotAsked))
	require.ErrorIs(t, err, publish.ErrProxyNotAsked)
	require.ErrorContains(t, err, "\nto tag without asking the module proxy: GOPROXY=off")
	err = advise(fmt.Errorf("deps:sync 3.31.0: check: %w: registry unreachable", steps.ErrRegistryUnreachable))
	require.ErrorIs(t, err, steps.ErrRegistryUnreachable)
	require.ErrorContains(t, err, "\nto go on without asking the registry: SKIP_REGISTRY=1")
}
