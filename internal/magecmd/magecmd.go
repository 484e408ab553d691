// Package magecmd renders a [release.Fix] as the mage command line that
// carries it out.
package magecmd

import (
	"strings"

	"github.com/confidential-containers/release-tools/kata"
	"github.com/confidential-containers/release-tools/release"
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
	release.ActionPrerelease:     "prerelease",
	release.ActionRelease:        "release",
	release.ActionBumpCharts:     "charts:bump",
	release.ActionPostrelease:    "postrelease",
	release.ActionGitHubRelease:  "github:release",
	release.ActionChartsCheck:    "charts:check",
	release.ActionVerify:         "verify",
	release.ActionWarmProxy:      "proxy:warm",
	release.ActionLockBranch:     "github:lock",
	release.ActionUnlockBranch:   "github:unlock",
	release.ActionStatus:         "status",
}

// Line is the mage command line that carries out f: the one renderer of
// a fix, for the targets and the demo.
func Line(f release.Fix) string {
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
	if f.AllowDowngrade {
		env = append(env, "ALLOW_DOWNGRADE=1")
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
