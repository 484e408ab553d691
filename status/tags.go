package status

import (
	"fmt"
	"strings"

	"github.com/confidential-containers/release-tools/ledger"
	"github.com/confidential-containers/release-tools/release"
	"github.com/confidential-containers/release-tools/release/config"
	"github.com/confidential-containers/release-tools/tags"
)

// tags adds the rows and problems of the latest release, read from the
// ledger: its kind, the module tags of a full release or pre-release,
// local and on the remote, and what of it is on another commit (a fact
// of the past, said); then the versions of a kind the ledger does not
// know above it. It returns the latest release's version and its one
// commit ("" if its tags disagree).
func (r *Report) tags(cfg config.Config, f *facts) (latest, tagged string) {
	r.row("remote tags", f.remoteNote)
	l := f.ledger
	if !l.RemoteRead {
		r.Unchecked = append(r.Unchecked, "the tags on "+cfg.Remote+": "+f.remoteNote)
		r.c.Unpushed = true
	}
	rel := l.Latest()
	for _, u := range l.Unknown() {
		if rel != nil && u.Version.Less(rel.Version) {
			continue
		}
		r.row("version "+u.Version.String(), "unknown kind: "+u.Why)
		r.Unchecked = append(r.Unchecked, "the release "+u.Version.String()+": "+u.Why+": a kind of release status does not know, so where the cycle stands is not known")
	}
	if rel == nil {
		r.row("tags", "none")
		return "", ""
	}
	r.c.Release = rel
	latest = rel.Version.String()
	r.row("release "+latest, rel.Describe())
	for _, d := range rel.Disagreements() {
		r.row("release "+latest+" commits", d.What+" is on "+d.Commit+", not on "+d.Modules+" where the module tags are: what was released there is not what the module tags name (a fact of the past: tags never move)")
	}
	if rel.Kind == ledger.ChartOnly {
		r.row("tags", "none for "+latest+": a chart-only release has no module tags")
		return latest, rel.Commit()
	}
	remote := l.RemoteRead
	var missing, unpushed, unfetched []string
	for _, t := range rel.Modules {
		switch tags.Classify(t.Local, t.Remote, "") {
		case tags.Absent:
			missing = append(missing, t.Name)
		case tags.Conflict:
			r.row("tag "+t.Name, fmt.Sprintf("%s locally, %s on %s", t.Local, t.Remote, cfg.Remote))
			r.problem(fmt.Sprintf("tag %s is on %s locally but on %s on %s", t.Name, t.Local[:12], t.Remote[:12], cfg.Remote),
				release.Fix{Command: "git fetch --force " + cfg.Remote + " tag " + t.Name + " (the remote's tag is the one the world sees; tags never move)"})
		case tags.LocalOnly:
			if !remote { // the remote was not reached: the local tag is all we know
				r.row("tag "+t.Name, t.Local)
			} else {
				r.row("tag "+t.Name, t.Local+" (not on "+cfg.Remote+")")
				unpushed = append(unpushed, t.Name)
			}
		case tags.Pushed:
			if t.Local == "" {
				r.row("tag "+t.Name, t.Remote+" (on "+cfg.Remote+" only)")
				unfetched = append(unfetched, t.Name)
			} else {
				r.row("tag "+t.Name, t.Local)
			}
		}
	}
	tagged = rel.ModuleCommit()
	if tagged == "" {
		next := rel.Version.Next().String()
		r.problem("the module tags of "+latest+" are on different commits (tags never move: prepare "+next+")", release.Fix{Action: release.ActionTags, Args: []string{next}})
	}
	if len(missing) > 0 {
		r.problem("tags of "+latest+" missing: "+strings.Join(missing, ", "), release.Fix{Action: release.ActionTags, Args: []string{latest}, Push: true})
	}
	if len(unfetched) > 0 {
		// The remote's tags are the truth, but the steps that read the
		// release commit (postrelease, the proxy and chart checks) read
		// the local ones.
		r.problem("tags of "+latest+" on "+cfg.Remote+" but not in this repository: "+strings.Join(unfetched, ", "),
			release.Fix{Command: "git fetch --tags " + cfg.Remote})
	}
	if len(unpushed) > 0 || len(missing) > 0 {
		r.c.Unpushed = true
	}
	if len(unpushed) > 0 {
		r.problem("tags of "+latest+" not on "+cfg.Remote+": "+strings.Join(unpushed, ", "), release.Fix{Action: release.ActionTags, Args: []string{latest}, Push: true})
	}
	return latest, tagged
}
