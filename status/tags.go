package status

import (
	"context"
	"fmt"
	"slices"
	"strings"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"

	"github.com/confidential-containers/release-tools/gomod"
	"github.com/confidential-containers/release-tools/release"
	"github.com/confidential-containers/release-tools/release/config"
	"github.com/confidential-containers/release-tools/tags"
	"github.com/confidential-containers/release-tools/version"
)

// tagFacts are the module tags of the latest version, locally and on
// the remote.
type tagFacts struct {
	remote     map[string]string // the remote's tags; nil when it was not reached
	remoteNote string            // how many the remote listed, or why none
	latest     version.Version   // the highest version tagged; zero for none
	list       []tagAt           // the module tags of latest, in order
}

// tagAt is a module tag and the commits it is on, locally and on the
// remote ("" where it is not).
type tagAt struct{ name, local, remote string }

// readTags reads the tags of the latest version of mods, local and on the
// remote.
func readTags(ctx context.Context, repo *git.Repository, root string, cfg config.Config, mods []gomod.Module) (tagFacts, error) {
	var f tagFacts
	f.remote, f.remoteNote = tags.RemoteNamed(ctx, root, cfg.Remote)
	v, err := latestVersion(repo, mods, cfg, f.remote)
	if err != nil || v.IsZero() {
		return f, err
	}
	f.latest = v
	list, err := tags.Ordered(root, v, cfg.ExcludeModules...)
	if err != nil {
		return f, err
	}
	for _, t := range list {
		local, err := tags.Local(root, t.Name)
		if err != nil {
			return f, err
		}
		f.list = append(f.list, tagAt{t.Name, local, f.remote[t.Name]})
	}
	return f, nil
}

// tags adds the rows and problems of the latest version's module tags,
// local and on the remote, and returns that version and the one commit
// its tags point at ("" if they disagree).
func (r *Report) tags(cfg config.Config, f tagFacts) (latest, tagged string) {
	r.row("remote tags", f.remoteNote)
	v, remote := f.latest, f.remote
	if remote == nil {
		r.Unchecked = append(r.Unchecked, "the tags on "+cfg.Remote+": "+f.remoteNote)
		r.c.Unpushed = true
	}
	if v.IsZero() {
		r.row("tags", "none")
		return "", ""
	}
	latest = v.String()
	commits := map[string]bool{}
	var missing, unpushed, unfetched []string
	for _, t := range f.list {
		local, rem := t.local, t.remote
		switch tags.Classify(local, rem, "") {
		case tags.Absent:
			missing = append(missing, t.name)
		case tags.Conflict:
			r.row("tag "+t.name, fmt.Sprintf("%s locally, %s on %s", local, rem, cfg.Remote))
			r.problem(fmt.Sprintf("tag %s is on %s locally but on %s on %s", t.name, local[:12], rem[:12], cfg.Remote),
				release.Fix{Command: "git fetch --force " + cfg.Remote + " tag " + t.name + " (the remote's tag is the one the world sees; tags never move)"})
			commits[rem] = true
		case tags.LocalOnly:
			if remote == nil { // the remote was not reached: the local tag is all we know
				r.row("tag "+t.name, local)
			} else {
				r.row("tag "+t.name, local+" (not on "+cfg.Remote+")")
				unpushed = append(unpushed, t.name)
			}
			commits[local] = true
		case tags.Pushed:
			if local == "" {
				r.row("tag "+t.name, rem+" (on "+cfg.Remote+" only)")
				unfetched = append(unfetched, t.name)
			} else {
				r.row("tag "+t.name, local)
			}
			commits[rem] = true
		}
	}
	if len(commits) > 1 {
		r.problem("the module tags of "+latest+" are on different commits (tags never move: prepare "+v.Next().String()+")", release.Fix{Action: release.ActionTags, Args: []string{v.Next().String()}})
	} else {
		for c := range commits {
			tagged = c
		}
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

// latestVersion is the highest version of the module tags, local and
// remote, among those that are release versions under cfg.
func latestVersion(repo *git.Repository, mods []gomod.Module, cfg config.Config, remote map[string]string) (version.Version, error) {
	prefixes := map[string]bool{}
	for _, m := range mods {
		if !slices.Contains(cfg.ExcludeModules, m.Dir) {
			prefixes[tags.Prefix(m)] = true
		}
	}
	var latest version.Version
	consider := func(name string) {
		i := strings.LastIndexByte(name, '/') // -1 for the tags of a module at the root
		if !prefixes[name[:i+1]] {
			return
		}
		if v, err := cfg.ParseVersion(name[i+1:]); err == nil && latest.Less(v) {
			latest = v
		}
	}
	for name := range remote {
		consider(name)
	}
	iter, err := repo.Tags()
	if err != nil {
		return version.Version{}, err
	}
	err = iter.ForEach(func(ref *plumbing.Reference) error {
		consider(ref.Name().Short())
		return nil
	})
	return latest, err
}
