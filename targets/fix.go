package targets

import (
	"errors"
	"fmt"
	"strings"

	"github.com/confidential-containers/release-tools/goproxy"
	"github.com/confidential-containers/release-tools/internal/magecmd"
	"github.com/confidential-containers/release-tools/phase"
	"github.com/confidential-containers/release-tools/publish"
	"github.com/confidential-containers/release-tools/release"
	"github.com/confidential-containers/release-tools/release/config"
	"github.com/confidential-containers/release-tools/steps"
)

// command is the mage command line that carries out a fix
// ([magecmd.Line], the one renderer).
func command(f release.Fix) string { return magecmd.Line(f) }

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
