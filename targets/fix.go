package targets

import (
	"errors"
	"fmt"
	"strings"

	"github.com/confidential-containers/release-tools/goproxy"
	"github.com/confidential-containers/release-tools/kata"
	"github.com/confidential-containers/release-tools/phase"
	"github.com/confidential-containers/release-tools/publish"
	"github.com/confidential-containers/release-tools/release"
	"github.com/confidential-containers/release-tools/release/config"
	"github.com/confidential-containers/release-tools/steps"
)

// targetOf is the mage target of each release action.
var targetOf = map[release.Action]string{
	release.ActionDepsSync:       "deps:sync",
	release.ActionBumpRequires:   "gomod:bump",
	release.ActionPinImage:       "image:pin",
	release.ActionUnpinImage:     "image:unpin",
	release.ActionPinOperator:    "operator:pin",
	release.ActionUnpinOperator:  "operator:unpin",
	release.ActionUpdateCitation: "citation:update",
	release.ActionTags:           "tags",
	release.ActionRelease:        "release",
	release.ActionBumpCharts:     "charts:bump",
	release.ActionPostrelease:    "postrelease",
	release.ActionGitHubRelease:  "github:release",
	release.ActionVerify:         "verify",
	release.ActionWarmProxy:      "proxy:warm",
	release.ActionLockBranch:     "github:lock",
	release.ActionUnlockBranch:   "github:unlock",
	release.ActionStatus:         "status",
}

// command is the mage command line that carries out a fix.
func command(f release.Fix) string {
	if f.Command != "" {
		return f.Command
	}
	target, ok := targetOf[f.Action]
	if !ok {
		return f.String()
	}
	var env []string
	if f.Push {
		env = append(env, "PUSH=1")
	}
	if f.Wait {
		env = append(env, "WAIT=1")
	}
	if f.Date != "" {
		env = append(env, "RELEASE_DATE="+f.Date)
	}
	if f.Commit != "" {
		env = append(env, "TAG_COMMIT="+f.Commit)
	}
	for _, c := range f.Choices {
		switch c.Ref {
		case kata.RefKata:
			env = append(env, "KATA_REF="+c.Value)
			if c.Note != "" {
				env = append(env, "KATA_REF_NOTE="+shellQuote(c.Note))
			}
		case kata.RefGuestComponents:
			env = append(env, "GUEST_COMPONENTS_REF="+c.Value)
		case kata.RefTrustee:
			env = append(env, "TRUSTEE_REF="+c.Value)
		}
	}
	return strings.Join(append(append(env, "mage", target), f.Args...), " ")
}

// shellQuote is s as one word of a POSIX shell: as it is when it holds
// nothing the shell reads, else in single quotes.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._/:@%+,-") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// advise adds to an error of the library the mage commands that fix it.
func advise(err error) error {
	if errors.Is(err, phase.ErrDrops) {
		return fmt.Errorf("%w\nif the drops are right: ALLOW_TIDY_DROPS=1", err)
	}
	if errors.Is(err, goproxy.ErrFileProxy) {
		return fmt.Errorf("%w\nproxy:check asks it whether it knows the versions", err)
	}
	if errors.Is(err, publish.ErrProxyNotAsked) {
		return fmt.Errorf("%w\nto tag without asking the module proxy: GOPROXY=off (a version it knows at another commit can then never be fetched)", err)
	}
	if errors.Is(err, release.ErrMaintenanceBranch) {
		return fmt.Errorf("%w\nname the line's branch: RELEASE_BRANCH=<branch>", err)
	}
	if errors.Is(err, steps.ErrRegistryUnreachable) {
		return fmt.Errorf("%w\nto go on without asking the registry: SKIP_REGISTRY=1 (the plan then says what was not asked)", err)
	}
	also := ""
	switch {
	case errors.Is(err, steps.ErrNoRemote):
		also = "\nor name the release remote: RELEASE_REMOTE=<remote>, or remote: in " + config.ConfigFile
	case errors.Is(err, steps.ErrNoBranch):
		also = "\nor name the release branch: RELEASE_BRANCH=<branch>, or branch: in " + config.ConfigFile
	}
	fixes := release.Fixes(err)
	if len(fixes) == 0 {
		if also != "" {
			return fmt.Errorf("%w%s", err, also)
		}
		return err
	}
	var cmds []string
	for _, f := range fixes {
		cmds = append(cmds, command(f))
	}
	return fmt.Errorf("%w\nfix: %s%s", err, strings.Join(cmds, ", or "), also)
}
