package tags

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/confidential-containers/release-tools/gomod"
	"github.com/confidential-containers/release-tools/version"
)

// Tag is one module's tag for a version.
type Tag struct {
	Name   string // "src/cloud-providers/v0.8.0"
	Module string // the module path; "" for the repository's top-level tag
	Dir    string // the module's directory, slash-separated; "." at the root
}

// Ordered returns the tags for v of every module below root but those in
// the directories exclude names, dependencies first: a module comes after every module of the repository that it
// requires (whatever version it names), ties broken by directory. A
// require cycle is an error naming it; so is a module whose major version
// v does not fit ([ErrWrongMajor]). v was checked when it was parsed, with
// the caller's pre-release pattern; Ordered does not check it again.
func Ordered(root string, v version.Version, exclude ...string) ([]Tag, error) {
	if v.IsZero() {
		return nil, errors.New("tags: no version")
	}
	mods, err := gomod.Discover(root)
	if err != nil {
		return nil, err
	}
	out, err := order(mods, v, exclude)
	if err != nil {
		return nil, fmt.Errorf("tags: %w", err)
	}
	return out, nil
}

// order sorts mods topologically (Kahn's algorithm, ready modules taken by
// directory) and names their tags, leaving out the directories in exclude.
func order(mods []gomod.Module, v version.Version, exclude []string) ([]Tag, error) {
	byPath := map[string]gomod.Module{}
	for _, m := range mods {
		if slices.Contains(exclude, m.Dir) {
			continue
		}
		if other, dup := byPath[m.Path]; dup {
			return nil, fmt.Errorf("module %s is declared twice, in %s and %s", m.Path, other.Dir, m.Dir)
		}
		byPath[m.Path] = m
	}
	for _, d := range exclude {
		if !slices.ContainsFunc(mods, func(m gomod.Module) bool { return m.Dir == d }) {
			return nil, fmt.Errorf("excluded module directory %q holds no go.mod", d)
		}
	}
	deps := map[string][]string{} // module path -> internal modules it requires
	users := map[string][]string{}
	for p, m := range byPath {
		for r := range m.Requires {
			if _, ok := byPath[r]; ok && r != p {
				deps[p] = append(deps[p], r)
				users[r] = append(users[r], p)
			}
		}
	}
	var ready, out []gomod.Module
	waiting := map[string]int{}
	for p, m := range byPath {
		waiting[p] = len(deps[p])
		if waiting[p] == 0 {
			ready = append(ready, m)
		}
	}
	for len(ready) > 0 {
		sort.Slice(ready, func(i, j int) bool { return ready[i].Dir < ready[j].Dir })
		m := ready[0]
		ready = ready[1:]
		out = append(out, m)
		for _, u := range users[m.Path] {
			if waiting[u]--; waiting[u] == 0 {
				ready = append(ready, byPath[u])
			}
		}
	}
	if len(out) < len(byPath) {
		return nil, fmt.Errorf("the modules require each other in a cycle: %s", cycle(byPath, deps, waiting))
	}
	tags := make([]Tag, 0, len(out))
	for _, m := range out {
		name, err := tagName(m, v)
		if err != nil {
			return nil, err
		}
		tags = append(tags, Tag{Name: name, Module: m.Path, Dir: m.Dir})
	}
	return tags, nil
}

// cycle names one require cycle among the modules still waiting.
func cycle(byPath map[string]gomod.Module, deps map[string][]string, waiting map[string]int) string {
	var start string
	for p, n := range waiting {
		if n > 0 && (start == "" || byPath[p].Dir < byPath[start].Dir) {
			start = p
		}
	}
	seen := map[string]int{}
	var walk []string
	for p := start; ; {
		if i, ok := seen[p]; ok {
			walk = append(walk[i:], p)
			break
		}
		seen[p] = len(walk)
		walk = append(walk, p)
		next := ""
		for _, d := range deps[p] {
			if waiting[d] > 0 && (next == "" || d < next) {
				next = d
			}
		}
		p = next
	}
	dirs := make([]string, len(walk))
	for i, p := range walk {
		dirs[i] = byPath[p].Dir
	}
	return strings.Join(dirs, " -> ")
}

// Commands returns the git commands that create and push tags on commit by
// hand, in dependency order: `git tag <name> <commit>` then `git push
// <remote> <name>` for each tag, as the project's old helper script printed
// them, but on the resolved commit rather than on main.
func Commands(tags []Tag, commit, remote string) []string {
	return commands(tags, commit, remote, "")
}

// commands is [Commands] with flags ("-s -m v0.13.0") after `git tag`.
func commands(tags []Tag, commit, remote, flags string) []string {
	tag := "git tag "
	if flags != "" {
		tag += flags + " "
	}
	out := make([]string, 0, 2*len(tags))
	for _, t := range tags {
		out = append(out, tag+t.Name+" "+commit, "git push "+remote+" "+t.Name)
	}
	return out
}
