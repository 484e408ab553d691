package release

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/confidential-containers/release-tools/gomod"
	"github.com/confidential-containers/release-tools/internal/gitrepo"
	"github.com/confidential-containers/release-tools/phase"
	"github.com/confidential-containers/release-tools/tags"
	"github.com/confidential-containers/release-tools/version"
)

// ErrTagged is returned, wrapped, by a phase that prepares a version that
// has tags already.
var ErrTagged = errors.New("version tagged already")

// untaggedCheck is the first step of a phase that prepares version: no
// tag of version may exist yet, locally or on the remote, since tags never
// move. A remote that cannot be reached is reported, and the local tags
// alone decide.
func untaggedCheck(cfg Config, v version.Version, mods []gomod.Module) phase.Check {
	version := v.String()
	return phase.Check{Name: "check that " + version + " is not tagged yet", Run: func(ctx context.Context, t *phase.Tree) (string, error) {
		names := map[string]bool{version: true} // the top-level tag
		for _, m := range mods {
			if !slices.Contains(cfg.ExcludeModules, m.Dir) {
				name, err := tags.Name(m, v)
				if err != nil {
					return "", err
				}
				names[name] = true
			}
		}
		found := map[string]string{} // tag -> where
		for name := range names {
			c, err := tags.Local(t.Root, name)
			if err != nil {
				return "", err
			}
			if c != "" {
				found[name] = "local, " + c[:12]
			}
		}
		t.Waiting("listing the tags of " + cfg.Remote)
		remote, reached := tags.RemoteNamed(ctx, t.Root, cfg.Remote)
		note := "no tag of " + version + " locally or on " + cfg.Remote
		if remote == nil {
			note = "no tag of " + version + " locally; " + reached
		}
		for name, c := range remote {
			if _, ok := found[name]; !ok && names[name] {
				found[name] = cfg.Remote + ", " + c[:12]
			}
		}
		if len(found) == 0 {
			return note, nil
		}
		var list2 []string
		for name, where := range found {
			list2 = append(list2, name+" ("+where+")")
		}
		sort.Strings(list2)
		return "", fmt.Errorf("%w: %s; tags never move, so prepare %s instead",
			ErrTagged, strings.Join(list2, ", "), v.Next())
	}}
}

// ErrTagsNotFetched is returned, wrapped, by [Repo.TaggedCommit] when the
// module tags of the version are complete on the remote but missing
// locally: git fetch --tags puts that right, not the tags step.
var ErrTagsNotFetched = errors.New("tags not fetched")

// TaggedCommit returns the commit the local module tags of version point
// at, the release commit the post-release cites by default. The tags must
// all exist and agree ([tags.VersionCommit]). Some or all missing while
// the remote has them all is an error wrapping [ErrTagsNotFetched] whose
// fix is git fetch --tags (the remote is listed only then); none here or
// there is an error wrapping [tags.ErrNoTags] whose fix is the tags step.
func (rel Repo) TaggedCommit(version string) (string, error) {
	root, cfg := rel.Root, rel.Config
	v, err := cfg.ParseVersion(version)
	if err != nil {
		return "", fmt.Errorf("tags: %w", err)
	}
	repo, err := gitrepo.Open(root)
	if err != nil {
		return "", err
	}
	commit, err := tags.VersionCommit(root, v, cfg.ExcludeModules, func(name string) (string, error) { return tags.Local(root, name) })
	if errors.Is(err, tags.ErrNoTags) {
		if herr := gitrepo.CheckHead(repo, root); errors.Is(herr, gitrepo.ErrNoCommits) {
			return "", herr
		}
	}
	if split := (*tags.SplitError)(nil); errors.Is(err, tags.ErrNoTags) || errors.As(err, &split) && len(split.Commits) == 1 {
		// Missing here: are they on the remote, complete?
		if remote, _ := tags.RemoteNamed(context.Background(), root, cfg.Remote); remote != nil {
			on, rerr := tags.VersionCommit(root, v, cfg.ExcludeModules, func(name string) (string, error) { return remote[name], nil })
			if rerr == nil {
				return "", Fixable(fmt.Errorf("%w: the module tags of %s are on %s, on commit %s, but not all in this repository: fetch them (git fetch --tags %s)",
					ErrTagsNotFetched, version, cfg.Remote, on, cfg.Remote), Fix{Command: "git fetch --tags " + cfg.Remote})
			}
		}
	}
	if errors.Is(err, tags.ErrNoTags) {
		return "", Fixable(fmt.Errorf("%w (or give the release commit)", err), Fix{Action: ActionTags, Args: []string{version}, Push: true})
	}
	return commit, err
}
