package steps

import (
	"context"
	"errors"
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/confidential-containers/release-tools/gomod"
	"github.com/confidential-containers/release-tools/phase"
	"github.com/confidential-containers/release-tools/tags"
	"github.com/confidential-containers/release-tools/version"
)

// BumpRequires bumps the requires between the modules mods (a
// repository's, [gomod.Discover]) to v, then tidies each module it
// bumped. Modules whose internal requires are all the zero pseudo-version
// have nothing to bump.
func BumpRequires(mods []gomod.Module, v version.Version) []phase.Step {
	var internal []string
	for _, m := range mods {
		internal = append(internal, m.Path)
	}
	var bumped []string
	keep := map[string]map[string]string{} // module dir -> the internal requires its tidy must keep, at v
	for _, m := range mods {
		for r, rv := range m.Requires {
			if slices.Contains(internal, r) && rv != gomod.ZeroPseudoVersion {
				if keep[m.Dir] == nil {
					bumped = append(bumped, m.Dir)
					keep[m.Dir] = map[string]string{}
				}
				keep[m.Dir][r] = v.String()
			}
		}
	}
	sort.Strings(bumped)
	steps := []phase.Step{phase.Edit{Name: "bump the requires between the repository's modules to " + v.String(), Plan: func(_ context.Context, t *phase.Tree) (string, error) {
		if len(bumped) == 0 {
			return "every internal require is the zero pseudo-version (a replace supplies it)", nil
		}
		for _, dir := range bumped {
			file := path.Join(dir, "go.mod")
			if _, err := t.Edit(file, func(src []byte) ([]byte, error) {
				return gomod.BumpRequires(file, src, internal, v)
			}); err != nil {
				return "", err
			}
		}
		return "", nil
	}}}
	for _, dir := range bumped {
		steps = append(steps, phase.Go{Dir: dir, Keep: keep[dir]})
	}
	return steps
}

// ErrTagged is returned, wrapped, by [Untagged] for a version that has
// tags already.
var ErrTagged = errors.New("version tagged already")

// Untagged is the first step of a phase that prepares v: no tag of v (the
// top-level tag, and that of each module of mods but those in the
// directories exclude) may exist yet, locally or on the remote named
// remote, since tags never move. A remote that cannot be reached is
// reported, and the local tags alone decide.
func Untagged(v version.Version, mods []gomod.Module, exclude []string, remote string) phase.Check {
	version := v.String()
	return phase.Check{Name: "check that " + version + " is not tagged yet", Run: func(ctx context.Context, t *phase.Tree) (string, error) {
		names := map[string]bool{version: true} // the top-level tag
		for _, m := range mods {
			if !slices.Contains(exclude, m.Dir) {
				name, err := tags.Name(m, v)
				if err != nil {
					return "", err
				}
				names[name] = true
			}
		}
		repo, err := t.Repository()
		if err != nil {
			return "", err
		}
		found := map[string]string{} // tag -> where
		for name := range names {
			c, err := tags.Local(repo, name)
			if err != nil {
				return "", err
			}
			if c != "" {
				found[name] = "local, " + c[:12]
			}
		}
		t.Waiting("listing the tags of " + remote)
		on, reached := tags.RemoteNamed(ctx, repo, remote)
		note := "no tag of " + version + " locally or on " + remote
		if on == nil {
			note = "no tag of " + version + " locally; " + reached
		}
		for name, c := range on {
			if _, ok := found[name]; !ok && names[name] {
				found[name] = remote + ", " + c[:12]
			}
		}
		if len(found) == 0 {
			return note, nil
		}
		var list []string
		for name, where := range found {
			list = append(list, name+" ("+where+")")
		}
		sort.Strings(list)
		return "", fmt.Errorf("%w: %s; tags never move, so prepare %s instead",
			ErrTagged, strings.Join(list, ", "), v.Next())
	}}
}
