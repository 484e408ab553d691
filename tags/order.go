package tags

import (
	"errors"
	"fmt"

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

// order names the tags of mods in dependency order ([gomod.Order]),
// leaving out the directories in exclude.
func order(mods []gomod.Module, v version.Version, exclude []string) ([]Tag, error) {
	sorted, err := gomod.Order(mods, exclude)
	if err != nil {
		return nil, err
	}
	tags := make([]Tag, 0, len(sorted))
	for _, m := range sorted {
		name, err := tagName(m, v)
		if err != nil {
			return nil, err
		}
		tags = append(tags, Tag{Name: name, Module: m.Path, Dir: m.Dir})
	}
	return tags, nil
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
