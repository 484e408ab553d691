package gomod

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Order returns mods (the modules of one repository) but those in the
// directories exclude names, dependencies first: a module comes after
// every module of mods that it requires (whatever version it names), ties
// broken by directory (Kahn's algorithm). A require cycle is an error
// naming it; so are a module path declared twice and an excluded
// directory that holds no module.
func Order(mods []Module, exclude []string) ([]Module, error) {
	byPath := map[string]Module{}
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
		if !slices.ContainsFunc(mods, func(m Module) bool { return m.Dir == d }) {
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
	var ready, out []Module
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
	return out, nil
}

// cycle names one require cycle among the modules still waiting.
func cycle(byPath map[string]Module, deps map[string][]string, waiting map[string]int) string {
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
