package release

import (
	"context"
	"errors"
	"fmt"

	"github.com/confidential-containers/release-tools/ledger"
	"github.com/confidential-containers/release-tools/phase"
	"github.com/confidential-containers/release-tools/steps"
	"github.com/confidential-containers/release-tools/version"
)

// ErrMaintenanceBranch is returned, wrapped, for a maintenance release
// (the next patch of an older minor line, [ledger.Line]) made from the
// main branch ([config.Config.OnMainBranch]): it is made from its line's
// branch.
var ErrMaintenanceBranch = errors.New("a maintenance release is made from its line's branch")

// CheckVersion says where a new release of v stands in the ledger l
// ([ledger.Ledger.Check]): a version below the latest release is a
// [*ledger.BackwardsError]; a maintenance release from the main branch an
// error wrapping [ErrMaintenanceBranch].
func (rel Repo) CheckVersion(l *ledger.Ledger, v version.Version) (ledger.Line, error) {
	line, err := l.Check(v)
	if err != nil {
		return line, err
	}
	if line.Maintenance && rel.Config.OnMainBranch() {
		return line, fmt.Errorf("%w: %s is the next patch of %s, below the latest release %s: make it from %s's branch, not %s",
			ErrMaintenanceBranch, v, line.Of, line.Latest.Version, line.Of, rel.Config.Branch)
	}
	return line, nil
}

// upward is the check, first in a release phase, that v goes up on its
// line and is not released already, read from the ledger of releases
// ([Repo.CheckVersion]).
func (rel Repo) upward(v version.Version) phase.Check {
	return phase.Check{Name: "check that " + v.String() + " goes up on its line (the ledger of releases)", Run: func(ctx context.Context, t *phase.Tree) (string, error) {
		t.Waiting("listing the tags of " + rel.Config.Remote)
		l, note, err := rel.Ledger(ctx, nil)
		if err != nil {
			return "", err
		}
		line, err := rel.CheckVersion(l, v)
		switch {
		case err != nil:
			return "", err
		case line.Existing != nil:
			return "", fmt.Errorf("%w: %s is a %s; tags never move, so prepare %s instead", steps.ErrTagged, v, line.Existing.Describe(), v.Next())
		}
		what := "the first release"
		if line.Latest != nil {
			what = "above the latest release " + line.Latest.Version.String() + " (" + line.Latest.Kind.String() + ")"
		}
		if line.Maintenance {
			what = "the next patch of " + line.Of + " from " + rel.Config.Branch + ", a maintenance release (the latest is " + line.Latest.Version.String() + "): never marked latest"
		}
		if !l.RemoteRead {
			what += "; " + note
		}
		return what, nil
	}}
}

// ErrCiteBackwards is returned, wrapped, for a citation of a release below
// the latest full or chart-only release, on the main branch: it would take
// the citation back.
var ErrCiteBackwards = errors.New("the citation would go back")

// citeLatest refuses, on the main branch, a citation of version below the
// latest full or chart-only release of the ledger (an error wrapping
// [ErrCiteBackwards], fixed by citing the latest). A maintenance release
// is cited on its line's branch.
func (rel Repo) citeLatest(v version.Version) error {
	if !rel.Config.OnMainBranch() {
		return nil
	}
	l, _, err := rel.Ledger(context.Background(), nil)
	if err != nil {
		return err
	}
	if top := l.LatestFull(); top != nil && v.Less(top.Version) {
		return Fixable(fmt.Errorf("%w: %s is below the latest release %s (%s); %s on %s cites the latest release",
			ErrCiteBackwards, v, top.Version, top.Kind, rel.Config.Citation, rel.Config.Branch),
			Fix{Action: ActionUpdateCitation, Args: []string{top.Version.String()}})
	}
	return nil
}
