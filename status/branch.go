package status

import (
	"errors"
	"fmt"

	"github.com/confidential-containers/release-tools/gomod"
	"github.com/confidential-containers/release-tools/internal/gitremote"
	"github.com/confidential-containers/release-tools/pins"
	"github.com/confidential-containers/release-tools/status/cycle"
)

// branch adds where HEAD stands against the remote's release branch, read
// fresh: up to date, ahead (commits to merge), behind or diverged (the
// tree read here is not the remote's). A remote that could not be read is
// a check not made.
func (r *Report) branch(f *facts) {
	s, err := f.standing, f.standingErr
	cfg := f.cfg
	if err != nil {
		r.row("branch", "unknown")
		what := "the branch against " + cfg.Remote + "/" + cfg.Branch + ": "
		if re := (*gitremote.RemoteError)(nil); errors.As(err, &re) {
			r.Unchecked = append(r.Unchecked, what+re.Error())
		} else {
			r.Unchecked = append(r.Unchecked, what+err.Error())
		}
		return
	}
	r.c.Standing = s
	var v string
	switch {
	case !s.Known:
		v = fmt.Sprintf("%s lacks %s's head %s: behind or diverged (git fetch %s tells)", s.Branch, s.Tracking(), short(s.RemoteHead), s.Remote)
	case len(s.Ahead) > 0 && len(s.Behind) > 0:
		v = fmt.Sprintf("%s has diverged from %s: %s ahead, %s behind", s.Branch, s.Tracking(), count(len(s.Ahead), "commit", "commits"), count(len(s.Behind), "commit", "commits"))
	case len(s.Behind) > 0:
		v = fmt.Sprintf("%s is behind %s by %s", s.Branch, s.Tracking(), count(len(s.Behind), "commit", "commits"))
	case len(s.Ahead) > 0:
		v = fmt.Sprintf("%s is ahead of %s by %s (not merged)", s.Branch, s.Tracking(), count(len(s.Ahead), "commit", "commits"))
	default:
		v = fmt.Sprintf("%s is at %s (%s)", s.Branch, s.Tracking(), short(s.Head))
	}
	r.row("branch", v)
}

// inProgress finds the version a release in progress has given the
// charts (their appVersion) or, on the overlay layout, the requires
// between the modules: one above the latest version tagged.
func (r *Report) inProgress(f *facts) {
	var candidates []string
	if len(f.charts) > 0 {
		for _, cf := range f.charts {
			candidates = append(candidates, cf.chart.AppVersion)
		}
	} else {
		internal := map[string]bool{}
		for _, m := range f.mods {
			internal[m.Path] = true
		}
		for _, m := range f.mods {
			for dep, v := range m.Requires {
				if internal[dep] && v != gomod.ZeroPseudoVersion {
					candidates = append(candidates, v)
				}
			}
		}
	}
	r.c.InProgress = cycle.InProgress(f.cfg, candidates, r.c.Image, r.c.Latest)
}

func short(commit string) string {
	if pins.IsCommit(commit) {
		return commit[:12]
	}
	return commit
}
