// Package fixturemods lets the go command run offline on the fixtures: it
// puts small modules in place of the fixture's go.mod files that the go
// command reads, and writes the module proxy (GOPROXY=file://...) they
// resolve from. A real go.mod requires hundreds of modules no test proxy
// has; a small one keeps what a release phase changes (the Kata runtime
// module, logrus that moves with it, the requires and replaces between the
// repository's modules) and a Go package that imports them, so that go get
// and go mod tidy keep them.
package fixturemods

import (
	"bytes"
	"fmt"
	"path"
	"sort"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/semver"

	"github.com/confidential-containers/release-tools/internal/fixture"
	"github.com/confidential-containers/release-tools/internal/goproxytest"
)

// The modules from outside the repository that the small modules keep.
const (
	KataRuntime = "github.com/kata-containers/kata-containers/src/runtime"
	Logrus      = "github.com/sirupsen/logrus"
)

// MaxGo is the highest go directive of a small module: the release tools'
// own, so that every go command that builds them runs the small modules
// with GOTOOLCHAIN=local (v0.21's go.mod files say go 1.25.10).
const MaxGo = "1.25.0"

// APIPackage is the package, below each small module, that the other
// modules import: it imports nothing, so that a module importing another
// needs none of the other's requires (as in the real repository, where
// csi-wrapper imports a cloud-api-adaptor package without cloud-providers).
const APIPackage = "api"

// Small returns files (a repository's files by slash-separated path) with
// a small module in place of every go.mod that requires anything: the go
// command reads those that require the Kata runtime module or another of
// the repository's modules and those required, and the others hold
// requires that moved between the fixture's stages by commits that were
// no release step. A go.mod without requires (the podvm placeholder) and
// the other files are kept.
func Small(files map[string][]byte) (map[string][]byte, error) {
	mods := map[string]*modfile.File{} // by go.mod path
	internal := map[string]string{}    // module path -> its directory
	for name, data := range files {
		if path.Base(name) != "go.mod" {
			continue
		}
		f, err := modfile.Parse(name, data, nil)
		if err != nil {
			return nil, fmt.Errorf("fixturemods: %w", err)
		}
		internal[f.Module.Mod.Path] = path.Dir(name)
		if len(f.Require) > 0 {
			mods[name] = f
		}
	}
	out := make(map[string][]byte, len(files)+2*len(mods))
	for name, data := range files {
		out[name] = data
	}
	for name := range mods {
		mod, lib := small(mods[name], internal)
		dir := path.Dir(name)
		out[name] = mod
		out[dir+"/lib.go"] = lib
		out[dir+"/"+APIPackage+"/"+APIPackage+".go"] = []byte("// Package " + APIPackage + " is what the other modules of the repository import.\npackage " + APIPackage + "\n")
	}
	return out, nil
}

// small is the small go.mod of f (its go directive at most [MaxGo]), as go
// mod tidy writes it (the direct
// requires, then the indirect ones, each sorted, a block of one a line), and its package
// importing the direct requires.
func small(f *modfile.File, internal map[string]string) (mod, lib []byte) {
	var direct, indirect, imports, replaces []string
	for _, r := range f.Require {
		_, in := internal[r.Mod.Path]
		if !in && r.Mod.Path != KataRuntime && r.Mod.Path != Logrus {
			continue
		}
		line := "\t" + r.Mod.Path + " " + r.Mod.Version
		if r.Indirect {
			indirect = append(indirect, line+" // indirect")
			continue
		}
		direct = append(direct, line)
		switch {
		case in:
			imports = append(imports, r.Mod.Path+"/"+APIPackage)
		case r.Mod.Path == KataRuntime:
			imports = append(imports, KataRuntime+"/pkg")
		default:
			imports = append(imports, r.Mod.Path)
		}
	}
	for _, r := range f.Replace {
		if _, ok := internal[r.Old.Path]; ok && r.New.Version == "" {
			replaces = append(replaces, "replace "+r.Old.Path+" => "+r.New.Path)
		}
	}
	for _, s := range [][]string{direct, indirect, imports, replaces} {
		sort.Strings(s)
	}
	var b bytes.Buffer
	goVersion := f.Go.Version
	if semver.Compare("v"+goVersion, "v"+MaxGo) > 0 {
		goVersion = MaxGo
	}
	fmt.Fprintf(&b, "module %s\n\ngo %s\n", f.Module.Mod.Path, goVersion)
	for _, block := range [][]string{direct, indirect} {
		switch len(block) {
		case 0:
		case 1:
			fmt.Fprintf(&b, "\nrequire %s\n", strings.TrimPrefix(block[0], "\t"))
		default:
			fmt.Fprintf(&b, "\nrequire (\n%s\n)\n", strings.Join(block, "\n"))
		}
	}
	if len(replaces) > 0 {
		fmt.Fprintf(&b, "\n%s\n", strings.Join(replaces, "\n\n"))
	}
	var l bytes.Buffer
	l.WriteString("// Package lib stands in for the module's packages: it imports what its\n// go.mod requires directly.\npackage lib\n")
	if len(imports) > 0 {
		l.WriteString("\nimport (\n")
		for _, i := range imports {
			fmt.Fprintf(&l, "\t_ %q\n", i)
		}
		l.WriteString(")\n")
	}
	return b.Bytes(), l.Bytes()
}

// stages are every fixture stage whose go.mod files name the versions the
// proxy must serve.
var stages = []string{
	fixture.KataSync, fixture.PinOperator, fixture.PinImage, fixture.GomodBump, fixture.RevertImagePin,
	fixture.RevertOperator, fixture.Citation, fixture.ReleaseAggr, fixture.PostReleaseAggr,
	fixture.HelmDepsSync, fixture.HelmRelease, fixture.HelmPatch, fixture.HelmPostrelease,
}

// WriteProxy writes below dir a Go module proxy (GOPROXY=file://<dir>)
// serving every version of the Kata runtime module and of logrus that the
// fixtures' go.mod files name, the Kata runtime requiring the lowest
// logrus found beside it; and the Kata releases whose deps sync the
// fixtures hold (3.15.0, 3.31.0): Kata's tags have no "v", so the proxy
// answers such a query with the pseudo-version the deps sync moved to.
func WriteProxy(dir string) error {
	logrusOf := map[string]string{} // Kata runtime version -> the lowest logrus beside it
	logrus := map[string]bool{}
	for _, stage := range stages {
		for _, side := range []string{"before", "after"} {
			files, err := fixture.Files(stage, side)
			if err != nil {
				return err
			}
			for name, data := range files {
				if path.Base(name) != "go.mod" {
					continue
				}
				kata, l, err := versions(name, data)
				if err != nil {
					return err
				}
				if l != "" {
					logrus[l] = true
				}
				if kata != "" && l != "" && (logrusOf[kata] == "" || semver.Compare(l, logrusOf[kata]) < 0) {
					logrusOf[kata] = l
				}
			}
		}
	}
	var mods []goproxytest.Module
	for l := range logrus {
		mods = append(mods, goproxytest.Module{Path: Logrus, Version: l, Files: map[string]string{
			"go.mod": "module " + Logrus + "\n\ngo 1.13\n", "logrus.go": "package logrus\n"}})
	}
	for k, l := range logrusOf {
		mods = append(mods, goproxytest.Module{Path: KataRuntime, Version: k, Files: map[string]string{
			"go.mod":     "module " + KataRuntime + "\n\ngo 1.23\n\nrequire " + Logrus + " " + l + "\n",
			"pkg/pkg.go": "package pkg\n\nimport _ \"" + Logrus + "\"\n"}})
	}
	if err := goproxytest.Write(dir, mods...); err != nil {
		return err
	}
	for release, stage := range map[string]string{fixture.KataVersion: fixture.KataSync, fixture.HelmKataVersion: fixture.HelmDepsSync} {
		data, err := fixture.File(stage, "after", "src/cloud-api-adaptor/go.mod")
		if err != nil {
			return err
		}
		kata, _, err := versions("go.mod", data)
		if err != nil {
			return err
		}
		if err := goproxytest.Alias(dir, KataRuntime, release, kata); err != nil {
			return err
		}
	}
	return nil
}

// versions returns the Kata runtime and logrus versions a go.mod requires.
func versions(name string, data []byte) (kata, logrus string, err error) {
	f, err := modfile.ParseLax(name, data, nil)
	if err != nil {
		return "", "", fmt.Errorf("fixturemods: %w", err)
	}
	for _, r := range f.Require {
		switch r.Mod.Path {
		case KataRuntime:
			kata = r.Mod.Version
		case Logrus:
			logrus = r.Mod.Version
		}
	}
	return kata, logrus, nil
}
