package release

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"golang.org/x/mod/semver"

	"github.com/confidential-containers/release-tools/gomod"
	"github.com/confidential-containers/release-tools/internal/gitrepo"
	"github.com/confidential-containers/release-tools/tags"
)

// tags adds the rows and problems of the latest version's module tags,
// local and on the remote, and returns that version and the one commit
// its tags point at ("" if they disagree).
func (r *Report) tags(ctx context.Context, root string, cfg Config, mods []gomod.Module) (latest, tagged string, err error) {
	repo, err := git.PlainOpen(root)
	if err != nil {
		return "", "", err
	}
	remote, note := remoteTags(ctx, repo, cfg.Remote)
	r.row("remote tags", note)
	latest, err = latestVersion(repo, mods, cfg, remote)
	if err != nil || latest == "" {
		r.row("tags", "none")
		return "", "", err
	}
	list, err := tags.Ordered(root, latest)
	if err != nil {
		return "", "", err
	}
	commits := map[string]bool{}
	var missing, unpushed []string
	for _, t := range list {
		if slices.Contains(cfg.ExcludeModules, t.Dir) {
			continue
		}
		local := localTag(repo, t.Name)
		rem, onRemote := remote[t.Name]
		switch {
		case local == "" && !onRemote:
			missing = append(missing, t.Name)
			continue
		case local != "" && onRemote && rem != local:
			r.row("tag "+t.Name, fmt.Sprintf("%s locally, %s on %s", local, rem, cfg.Remote))
			r.problem(fmt.Sprintf("tag %s is on %s locally but on %s on %s", t.Name, local[:12], rem[:12], cfg.Remote),
				Fix{Command: "git fetch --force " + cfg.Remote + " tag " + t.Name + " (the remote's tag is the one the world sees; tags never move)"})
			commits[rem] = true
			continue
		case local != "" && remote != nil && !onRemote:
			r.row("tag "+t.Name, local+" (not on "+cfg.Remote+")")
			unpushed = append(unpushed, t.Name)
			commits[local] = true
			continue
		case local == "":
			r.row("tag "+t.Name, rem+" (on "+cfg.Remote+" only)")
			commits[rem] = true
			continue
		}
		r.row("tag "+t.Name, local)
		commits[local] = true
	}
	if len(commits) > 1 {
		r.problem("the module tags of "+latest+" are on different commits (tags never move: prepare "+tags.NextVersion(latest)+")", Fix{Action: ActionTags, Args: []string{tags.NextVersion(latest)}})
	} else {
		for c := range commits {
			tagged = c
		}
	}
	if len(missing) > 0 {
		r.problem("tags of "+latest+" missing: "+strings.Join(missing, ", "), Fix{Action: ActionTags, Args: []string{latest}, Push: true})
	}
	if len(unpushed) > 0 {
		r.problem("tags of "+latest+" not on "+cfg.Remote+": "+strings.Join(unpushed, ", "), Fix{Action: ActionTags, Args: []string{latest}, Push: true})
	}
	return latest, tagged, nil
}

// remoteTags lists the remote's tags and the commits they point at; nil,
// with a note that says why, when there is no such remote or it cannot be
// reached.
func remoteTags(ctx context.Context, repo *git.Repository, name string) (map[string]string, string) {
	remote, err := repo.Remote(name)
	if errors.Is(err, git.ErrRemoteNotFound) {
		return nil, fmt.Sprintf("no remote %q: local tags only", name)
	}
	if err != nil {
		return nil, fmt.Sprintf("remote %q: %v: local tags only", name, err)
	}
	urls := remote.Config().URLs
	if len(urls) == 0 {
		return nil, fmt.Sprintf("remote %q has no URL: local tags only", name)
	}
	refs, err := gitrepo.ListRefs(ctx, urls[0])
	if err != nil {
		return nil, fmt.Sprintf("%s not reached (%v): local tags only", name, err)
	}
	out := map[string]string{}
	for _, ref := range refs {
		if !ref.Name().IsTag() {
			continue
		}
		short := ref.Name().Short()
		if base, ok := strings.CutSuffix(short, "^{}"); ok {
			out[base] = ref.Hash().String() // an annotated tag's commit
			continue
		}
		if _, ok := out[short]; !ok {
			out[short] = ref.Hash().String()
		}
	}
	return out, fmt.Sprintf("%s listed (%d tags)", name, len(out))
}

// localTag is the commit a local tag points at, "" if there is no such tag.
func localTag(repo *git.Repository, name string) string {
	ref, err := repo.Reference(plumbing.NewTagReferenceName(name), true)
	if err != nil {
		return ""
	}
	h := ref.Hash()
	if tag, err := repo.TagObject(h); err == nil {
		h = tag.Target
	}
	return h.String()
}

// latestVersion is the highest version of the module tags, local and remote.
func latestVersion(repo *git.Repository, mods []gomod.Module, cfg Config, remote map[string]string) (string, error) {
	prefixes := map[string]bool{}
	for _, m := range mods {
		if !contains(cfg.ExcludeModules, m.Dir) {
			prefixes[strings.TrimPrefix(m.Dir+"/", "./")] = true
		}
	}
	latest := ""
	consider := func(name string) {
		i := strings.LastIndex(name, "/v")
		if i < 0 || !prefixes[name[:i+1]] {
			return
		}
		if v := name[i+1:]; semver.IsValid(v) && (latest == "" || semver.Compare(v, latest) > 0) {
			latest = v
		}
	}
	for name := range remote {
		consider(name)
	}
	iter, err := repo.Tags()
	if err != nil {
		return "", err
	}
	err = iter.ForEach(func(ref *plumbing.Reference) error {
		consider(ref.Name().Short())
		return nil
	})
	return latest, err
}
