package gomod

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"

	"github.com/confidential-containers/release-tools/internal/fsutil"
	"github.com/confidential-containers/release-tools/version"
)

// ZeroPseudoVersion is the version a require holds when a replace directive
// supplies the module; such requires are never bumped.
const ZeroPseudoVersion = "v0.0.0-00010101000000-000000000000"

// checkRequireVersion reports whether v, a version to write in a require,
// is a canonical semantic version with a leading "v" and no build
// metadata: semver.Canonical(v) == v, which rejects "v1.2" and
// "v1.2.3+build" that semver.IsValid accepts. The error proposes the
// canonical form where there is one. (A release version is a
// [version.Version], checked when it was parsed.)
func checkRequireVersion(v string) error {
	if semver.Canonical(v) == v && v != "" {
		return nil
	}
	fix := semver.Canonical(v)
	if fix == "" && !strings.HasPrefix(v, "v") {
		fix = semver.Canonical("v" + v)
	}
	if fix != "" {
		return fmt.Errorf("version %q is not canonical semver; did you mean %q?", v, fix)
	}
	return fmt.Errorf("version %q is not a semantic version (vMAJOR.MINOR.PATCH[-PRERELEASE])", v)
}

// Require sets the version of module in the go.mod file, replacing the
// file atomically; see [RequireBytes]. A require already at version leaves
// the file untouched. On error the file is unchanged.
func Require(gomodFile, module, version string) error {
	var edited error // RequireBytes's error, which names the package and the file
	err := fsutil.EditFile(gomodFile, func(src []byte) ([]byte, error) {
		out, err := RequireBytes(gomodFile, src, module, version)
		edited = err
		return out, err
	})
	switch {
	case edited != nil:
		return edited
	case err != nil:
		return fmt.Errorf("gomod: %w", err)
	}
	return nil
}

// RequireBytes returns the go.mod src with module required at version.
// An existing require (in a block or on a single require line) changes its
// version in place, and nothing else changes: comments, "// indirect", the
// order, every replace. A module not required yet is added to the block of
// direct requires, in sorted position. version may be any canonical
// version, pseudo-versions included. file names the go.mod in errors.
func RequireBytes(file string, src []byte, module, version string) ([]byte, error) {
	out, err := requireBytes(file, src, module, version)
	if err != nil {
		return nil, wrap(file, err)
	}
	return out, nil
}

// wrap prefixes err with the package and the file, which modfile's syntax
// errors already name.
func wrap(file string, err error) error {
	var syntax modfile.ErrorList
	if errors.As(err, &syntax) {
		return fmt.Errorf("gomod: %w", err)
	}
	return fmt.Errorf("gomod: %s: %w", file, err)
}

// BumpRequires returns the go.mod src with every require of a module in
// internal (the repository's own modules) set to v, except the requires
// that hold [ZeroPseudoVersion]: those modules come from a replace and are
// never bumped. Nothing else changes.
func BumpRequires(file string, src []byte, internal []string, v version.Version) ([]byte, error) {
	if v.IsZero() {
		return nil, fmt.Errorf("gomod: %s: no version to bump to", file)
	}
	f, err := modfile.Parse(file, src, nil)
	if err != nil {
		return nil, wrap(file, err)
	}
	var edits []*modfile.Require
	for _, r := range f.Require {
		if slices.Contains(internal, r.Mod.Path) && r.Mod.Version != ZeroPseudoVersion && r.Mod.Version != v.String() {
			edits = append(edits, r)
		}
	}
	out, err := setVersions(file, src, f, edits, v.String())
	if err != nil {
		return nil, wrap(file, err)
	}
	return out, nil
}

func requireBytes(file string, src []byte, mod, version string) ([]byte, error) {
	if err := module.Check(mod, version); err != nil {
		return nil, err
	}
	// +incompatible is the one build suffix a go.mod version may carry.
	if v := strings.TrimSuffix(version, "+incompatible"); semver.Canonical(v) != v {
		return nil, checkRequireVersion(version)
	}
	f, err := modfile.Parse(file, src, nil)
	if err != nil {
		return nil, err
	}
	var found []*modfile.Require
	for _, r := range f.Require {
		if r.Mod.Path == mod {
			found = append(found, r)
		}
	}
	switch len(found) {
	case 0:
		return addRequire(file, src, f, mod, version)
	case 1:
		if found[0].Mod.Version == version {
			return src, nil
		}
		return setVersions(file, src, f, found, version)
	}
	return nil, fmt.Errorf("require %q appears %d times (lines %d and %d): keep one", mod, len(found), found[0].Syntax.Start.Line, found[1].Syntax.Start.Line)
}

// setVersions replaces the version token of each require in edits.
func setVersions(file string, src []byte, f *modfile.File, edits []*modfile.Require, version string) ([]byte, error) {
	if len(edits) == 0 {
		return src, nil
	}
	sort.Slice(edits, func(i, j int) bool { return edits[i].Syntax.End.Byte < edits[j].Syntax.End.Byte })
	var out bytes.Buffer
	prev := 0
	want := map[string]string{}
	for _, r := range edits {
		tok := r.Syntax.Token[len(r.Syntax.Token)-1]
		end := r.Syntax.End.Byte
		start := end - len(tok)
		if start < prev || string(src[start:end]) != tok {
			return nil, fmt.Errorf("line %d: cannot find the version of %q", r.Syntax.Start.Line, r.Mod.Path)
		}
		text := version
		if strings.HasPrefix(tok, `"`) {
			text = strconv.Quote(version)
		}
		out.Write(src[prev:start])
		out.WriteString(text)
		prev = end
		want[r.Mod.Path] = version
	}
	out.Write(src[prev:])
	if err := verify(file, f, out.Bytes(), want); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// addRequire inserts a require line for mod: in sorted position in the
// first block that holds a direct require, else after the last single
// direct require line, else after the go (or module) line.
func addRequire(file string, src []byte, f *modfile.File, mod, version string) ([]byte, error) {
	nl := "\n"
	if bytes.Contains(src, []byte("\r\n")) {
		nl = "\r\n"
	}
	var at int
	var line string
	if block := directBlock(f); block != nil {
		var lines []*modfile.Line
		for _, l := range block.Line {
			if len(l.Token) == 2 {
				lines = append(lines, l)
			}
		}
		next := sort.Search(len(lines), func(i int) bool { return lines[i].Token[0] > mod })
		if next < len(lines) {
			at = lineStart(src, lines[next].Start.Byte)
			line = indent(src, at) + mod + " " + version + nl
		} else {
			last := lines[len(lines)-1]
			at = lineEnd(src, last.End.Byte)
			line = indent(src, lineStart(src, last.Start.Byte)) + mod + " " + version + nl
		}
	} else {
		var after *modfile.Line
		for _, r := range f.Require {
			if !r.Indirect && !r.Syntax.InBlock {
				after = r.Syntax
			}
		}
		switch {
		case after != nil:
		case f.Toolchain != nil:
			after = f.Toolchain.Syntax
		case f.Go != nil:
			after = f.Go.Syntax
		case f.Module != nil:
			after = f.Module.Syntax
		default:
			return nil, fmt.Errorf("no module line")
		}
		at = lineEnd(src, after.End.Byte)
		line = "require " + mod + " " + version + nl
		if after.Token[0] != "require" {
			line = nl + line // a blank line between the go line and the requires
		}
		if at == len(src) && !bytes.HasSuffix(src, []byte("\n")) {
			line = nl + line
		}
	}
	out := slices.Concat(src[:at], []byte(line), src[at:])
	if err := verify(file, f, out, map[string]string{mod: version}); err != nil {
		return nil, err
	}
	return out, nil
}

// directBlock returns the first require block that holds a require
// without "// indirect".
func directBlock(f *modfile.File) *modfile.LineBlock {
	for _, stmt := range f.Syntax.Stmt {
		b, ok := stmt.(*modfile.LineBlock)
		if !ok || len(b.Token) == 0 || b.Token[0] != "require" {
			continue
		}
		for _, r := range f.Require {
			if !r.Indirect && slices.Contains(b.Line, r.Syntax) {
				return b
			}
		}
	}
	return nil
}

// lineStart returns the offset of the start of the line holding offset i.
func lineStart(src []byte, i int) int {
	return bytes.LastIndexByte(src[:i], '\n') + 1
}

// lineEnd returns the offset just past the end of line holding offset i.
func lineEnd(src []byte, i int) int {
	if j := bytes.IndexByte(src[i:], '\n'); j >= 0 {
		return i + j + 1
	}
	return len(src)
}

// indent returns the blanks that start the line at offset i.
func indent(src []byte, i int) string {
	j := i
	for j < len(src) && (src[j] == ' ' || src[j] == '\t') {
		j++
	}
	return string(src[i:j])
}

// verify parses out and checks that it says what before says, but for the
// requires in want, which must hold their new versions.
func verify(file string, before *modfile.File, out []byte, want map[string]string) error {
	after, err := modfile.Parse(file, out, nil)
	if err != nil {
		return fmt.Errorf("the edit would not parse (%v); nothing was written", err)
	}
	expect := map[string]string{}
	for _, r := range before.Require {
		expect[r.Mod.Path] = r.Mod.Version
	}
	for p, v := range want {
		expect[p] = v
	}
	got := map[string]string{}
	for _, r := range after.Require {
		got[r.Mod.Path] = r.Mod.Version
	}
	same := func(a, b any) bool { return fmt.Sprint(a) == fmt.Sprint(b) }
	if !same(expect, got) || !same(summary(before), summary(after)) || len(after.Require) != len(expect) {
		return fmt.Errorf("the edit would change more than the requires asked; nothing was written")
	}
	return nil
}

// summary is what a go.mod says besides its requires.
func summary(f *modfile.File) []string {
	var s []string
	if f.Module != nil {
		s = append(s, "module "+f.Module.Mod.Path)
	}
	if f.Go != nil {
		s = append(s, "go "+f.Go.Version)
	}
	if f.Toolchain != nil {
		s = append(s, "toolchain "+f.Toolchain.Name)
	}
	for _, r := range f.Replace {
		s = append(s, "replace "+r.Old.String()+" => "+r.New.String())
	}
	for _, x := range f.Exclude {
		s = append(s, "exclude "+x.Mod.String())
	}
	for _, x := range f.Retract {
		s = append(s, "retract "+x.Low+" "+x.High)
	}
	for _, x := range f.Tool {
		s = append(s, "tool "+x.Path)
	}
	for _, x := range f.Godebug {
		s = append(s, "godebug "+x.Key+"="+x.Value)
	}
	return s
}

// Requirement is a require between the modules of a repository.
type Requirement struct {
	Dir     string // the directory of the module whose go.mod requires
	Module  string // the module path required
	Version string // the version required
}

// OtherRequires returns the requires between mods (the modules of one
// repository) that name another version than v, but for
// [ZeroPseudoVersion] (a module that a replace directive provides),
// sorted by directory, then module: modules tagged v together would not
// build together.
func OtherRequires(mods []Module, v string) []Requirement {
	internal := map[string]bool{}
	for _, m := range mods {
		internal[m.Path] = true
	}
	var bad []Requirement
	for _, m := range mods {
		for r, rv := range m.Requires {
			if internal[r] && rv != v && rv != ZeroPseudoVersion {
				bad = append(bad, Requirement{Dir: m.Dir, Module: r, Version: rv})
			}
		}
	}
	sort.Slice(bad, func(i, j int) bool {
		if bad[i].Dir != bad[j].Dir {
			return bad[i].Dir < bad[j].Dir
		}
		return bad[i].Module < bad[j].Module
	})
	return bad
}
