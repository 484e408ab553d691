// Package adoptrun is the frontend of adopt, shared by the mage target and
// the adopt command: it reads the adopt variables (RELEASE_TOOLS_VERSION,
// RELEASE_TOOLS_DIR, DRY_RUN, SKIP_GO), writes the files of package adopt
// and tidies them. It is internal, and imports no target, so that the
// adopt command links neither the targets nor the demo; the adopt target
// is in this repository's own magefile, so that a user's mage, which
// imports the targets alone, does not list it.
package adoptrun

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/semver"

	"github.com/confidential-containers/release-tools/adopt"
	"github.com/confidential-containers/release-tools/gomod"
	"github.com/confidential-containers/release-tools/internal/magevars/near"
	"github.com/confidential-containers/release-tools/internal/run"
)

// Options are the options of adopt from RELEASE_TOOLS_VERSION,
// RELEASE_TOOLS_DIR and the build information of the running binary.
// checkout is the release-tools checkout the running binary was built
// from ([Checkout]; "" for none or unknown): a build of the module itself
// without a version, such as go run in a checkout, replaces the module
// with it when neither variable is set.
func Options(getenv func(string) string, info *debug.BuildInfo, checkout string) (adopt.Options, error) {
	o := adopt.Options{Version: getenv("RELEASE_TOOLS_VERSION"), Replace: getenv("RELEASE_TOOLS_DIR")}
	if o.Version == "" && o.Replace == "" && checkout != "" && info != nil && info.Main.Path == adopt.Module && !isModuleVersion(info.Main.Version) {
		o.Replace = checkout
	}
	if o.Replace != "" {
		dir, err := filepath.Abs(o.Replace)
		if err != nil {
			return o, fmt.Errorf("RELEASE_TOOLS_DIR=%q: %w", o.Replace, err)
		}
		o.Replace = dir
	}
	if o.Version != "" {
		return o, nil
	}
	if info != nil {
		if info.Main.Path == adopt.Module {
			o.Version = info.Main.Version
		}
		for _, d := range info.Deps {
			if d.Path == adopt.Module {
				o.Version = d.Version
			}
		}
	}
	switch {
	case o.Replace != "" && !isModuleVersion(o.Version):
		o.Version = "v0.0.0-00010101000000-000000000000" // what go get writes for a replaced module
	case o.Version == "":
		return o, fmt.Errorf("adopt: no version of %s in this binary's build information: set RELEASE_TOOLS_VERSION=vX.Y.Z", adopt.Module)
	case o.Version == "(devel)":
		return o, fmt.Errorf("%w: set RELEASE_TOOLS_VERSION=vX.Y.Z (a release, or the pseudo-version of a pushed commit), or RELEASE_TOOLS_DIR=<checkout> to try a local checkout", adopt.ErrDevel)
	}
	return o, nil
}

// isModuleVersion reports whether v is a version a go.mod can require: no
// "(devel)", no build suffix such as +dirty.
func isModuleVersion(v string) bool {
	return semver.IsValid(v) && semver.Canonical(v) == v
}

// Checkout is the release-tools checkout that holds the source file file
// (a path runtime.Caller gives): the nearest directory above it whose
// go.mod is the module's; "" when file is not an absolute path (a build
// with -trimpath) or no such directory holds it.
func Checkout(file string) string {
	if !filepath.IsAbs(file) {
		return ""
	}
	for dir := filepath.Dir(file); ; dir = filepath.Dir(dir) {
		if modulePath(dir) == adopt.Module {
			return dir
		}
		if filepath.Dir(dir) == dir {
			return ""
		}
	}
}

// modulePath is the module path of dir's go.mod, "" when it has none.
func modulePath(dir string) string {
	data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		return ""
	}
	return modfile.ModulePath(data)
}

// ErrOwnCheckout is returned when the repository to adopt is a checkout
// of the release tools themselves: the root was not given.
var ErrOwnCheckout = errors.New("adopt: that is the release tools' own checkout, not a repository to adopt them")

// Run is one run of adopt on the repository at Root.
type Run struct {
	Root string
	Out  io.Writer // what was written and what to run next
	// Progress is told what is waiting on the network (go mod tidy); nil
	// tells Out.
	Progress io.Writer
	DryRun   bool // DRY_RUN: print the files, write nothing
	SkipGo   bool // SKIP_GO: do not run go mod tidy
	// Workflows (adopt -workflows) writes the GitHub Actions workflows of
	// [adopt.Workflows] too; in a tree adopted already, them alone.
	Workflows bool
	// Go runs go mod tidy; nil runs it in the process's environment.
	Go Tidier
	// Build compiles the targets once, after the tidy, so that the first
	// run starts warm; nil runs the adopted tool ([ToolBuild]).
	Build Builder
}

// Builder compiles the release targets of the repository adopted at root.
type Builder interface {
	Build(ctx context.Context, root string) error
}

// ToolBuild builds the targets as the first run would: `go -C .mage tool
// mage -w ..` without a target compiles them into the cache the later
// runs read, then lists them.
type ToolBuild struct{}

// Build runs the adopted tool at root; a failure holds what it printed.
func (ToolBuild) Build(ctx context.Context, root string) error {
	_, err := run.Cmd(ctx, root, os.Environ(), "go", strings.Fields(adopt.Command)[1:]...)
	return err
}

// Tidier runs go mod tidy in a module directory (a *gomod.Runner).
type Tidier interface {
	Tidy(ctx context.Context, dir string) error
}

// Adopt writes the adoption files into r.Root (none if one exists),
// runs go mod tidy in them unless SkipGo, and prints the command that runs
// the targets from the root. DryRun prints the files and writes nothing.
func (r Run) Adopt(ctx context.Context, o adopt.Options) error {
	if modulePath(r.Root) == adopt.Module {
		return fmt.Errorf("%w: %s; from the root of the repository to adopt: go -C <release-tools checkout> run ./cmd/adopt \"$PWD\"", ErrOwnCheckout, r.Root)
	}
	if r.Workflows && errors.Is(adopt.Check(r.Root), adopt.ErrExists) {
		return r.workflows() // adopted already: the workflows alone
	}
	files, err := adopt.Files(o)
	if err != nil {
		return err
	}
	names := adopt.Names(files)
	if _, err := os.Stat(filepath.Join(r.Root, "go.mod")); err == nil {
		fmt.Fprintln(r.Out, "adopt: note: the root has a go.mod: a magefile at the root and `go get -tool github.com/magefile/mage` there work too (then `go tool mage <target>`)")
	}
	if r.DryRun {
		if err := adopt.Check(r.Root); err != nil {
			return refused(err)
		}
		for _, name := range names {
			fmt.Fprintf(r.Out, "adopt: would write %s:\n%s\n", name, files[name])
		}
		fmt.Fprintf(r.Out, "adopt: would run go mod tidy in %s (needs the network)\nthen: %s -l\n", adopt.Dir, adopt.Command)
		if r.Workflows {
			return r.workflows()
		}
		fmt.Fprintln(r.Out, "DRY_RUN: nothing written")
		return nil
	}
	if r.Workflows { // refused before anything is written
		if err := adopt.CheckWorkflows(r.Root, adopt.Workflows()); err != nil {
			return err
		}
	}
	if err := adopt.Write(r.Root, files); err != nil {
		return refused(err)
	}
	for _, name := range names {
		fmt.Fprintf(r.Out, "adopt: wrote %s\n", name)
	}
	if r.SkipGo {
		fmt.Fprintf(r.Out, "adopt: SKIP_GO: run `go -C %s mod tidy` before the first use (it needs the network)\n", adopt.Dir)
	} else {
		fmt.Fprintf(r.progress(), "adopt: go mod tidy in %s (needs the network: it downloads %s %s, mage and their requirements)\n", adopt.Dir, adopt.Module, o.Version)
		var gocmd Tidier = &gomod.Runner{}
		if r.Go != nil {
			gocmd = r.Go
		}
		if err := gocmd.Tidy(ctx, filepath.Join(r.Root, adopt.Dir)); err != nil {
			return fmt.Errorf("%w\nthe files are written: run `go -C %s mod tidy` once the module proxy is reachable", err, adopt.Dir)
		}
	}
	if !r.SkipGo {
		r.build(ctx)
	}
	if o.Replace != "" {
		fmt.Fprintf(r.Out, "adopt: %s/go.mod replaces %s with %s: for trying it here, not for committing\n", adopt.Dir, adopt.Module, o.Replace)
	}
	fmt.Fprintf(r.Out, "\nrun the targets from this root (the first run of a target builds them, once: about a minute):\n  %s -l\n  %s status\n", adopt.Command, adopt.Command)
	r.lastWords(o, names)
	if r.Workflows {
		return r.workflows()
	}
	return nil
}

// workflows writes the GitHub Actions workflows (DryRun: prints them),
// never over an existing file, and says how to turn them on.
func (r Run) workflows() error {
	files := adopt.Workflows()
	names := adopt.Names(files)
	if r.DryRun {
		if err := adopt.CheckWorkflows(r.Root, files); err != nil {
			return err
		}
		for _, name := range names {
			fmt.Fprintf(r.Out, "adopt: would write %s:\n%s\n", name, files[name])
		}
		fmt.Fprintln(r.Out, "DRY_RUN: nothing written")
		return nil
	}
	if err := adopt.WriteWorkflows(r.Root, files); err != nil {
		return err
	}
	for _, name := range names {
		fmt.Fprintf(r.Out, "adopt: wrote %s\n", name)
	}
	fmt.Fprintf(r.Out, "commit %s (the repository's Actions settings must allow workflows to create pull requests), and add the secret %s: a token with contents and pull requests write (administration write for github:lock), else the workflows use Actions' own GITHUB_TOKEN, whose pull requests start no CI\n", adopt.WorkflowsDir, adopt.TokenSecret)
	return nil
}

// build compiles the targets once, saying so and how long it took; a
// failure is told, not returned: the files are written, and the first run
// builds the targets and says what is wrong.
func (r Run) build(ctx context.Context) {
	var b Builder = ToolBuild{}
	if r.Build != nil {
		b = r.Build
	}
	fmt.Fprintf(r.progress(), "adopt: building the release targets once, so that the first run starts at once (%s; about a minute)\n", adopt.Command)
	start := time.Now()
	if err := b.Build(ctx, r.Root); err != nil {
		fmt.Fprintf(r.progress(), "adopt: building the targets failed; the first run builds them again and says why: %v\n", err)
		return
	}
	fmt.Fprintf(r.progress(), "adopt: built the targets in %s\n", time.Since(start).Round(time.Second))
}

// lastWords names exactly the files adopt wrote (go.sum when go mod tidy
// wrote it) and what to do with each: commit them all, or, when go.mod
// replaces the module with a local folder, none.
func (r Run) lastWords(o adopt.Options, names []string) {
	sum := adopt.Dir + "/go.sum"
	if _, err := os.Stat(filepath.Join(r.Root, filepath.FromSlash(sum))); err == nil && !slices.Contains(names, sum) {
		names = append(names, sum)
		slices.Sort(names)
	}
	what := map[string]string{
		adopt.Dir + "/go.mod":      "requires " + adopt.Module + " " + o.Version + ", its mage the tool",
		sum:                        "the checksums go mod tidy wrote",
		adopt.Dir + "/magefile.go": "imports the release targets",
		adopt.Dir + "/main.go":     "says how to run them; what go commands on ./... in " + adopt.Dir + " see",
	}
	if o.Replace != "" {
		what[adopt.Dir+"/go.mod"] = "requires " + adopt.Module + ", replaced by " + o.Replace
	}
	switch {
	case o.Replace != "":
		fmt.Fprintf(r.Out, "\nadopt wrote these files, for trying %s here: commit none of them (go.mod names a folder of this machine); remove %s/ when done:\n", o.Replace, adopt.Dir)
	default:
		fmt.Fprintf(r.Out, "\nadopt wrote these files: commit them all (git add %s):\n", adopt.Dir)
	}
	for _, name := range names {
		fmt.Fprintf(r.Out, "  %-18s %s\n", name, what[name])
	}
	if !slices.Contains(names, sum) {
		fmt.Fprintf(r.Out, "then run `go -C %s mod tidy` (it needs the network): it writes %s, to go with them\n", adopt.Dir, sum)
	}
}

func (r Run) progress() io.Writer {
	if r.Progress != nil {
		return r.Progress
	}
	return r.Out
}

// refused adds to adopt's refusal to overwrite what to do instead.
func refused(err error) error {
	if errors.Is(err, adopt.ErrExists) {
		return fmt.Errorf("%w\nnothing written: remove them to write them afresh; another version: go -C %s get %s@<version> && go -C %s mod tidy", err, adopt.Dir, adopt.Module, adopt.Dir)
	}
	return err
}

// Names are the variables adopt reads; a set one whose name is close to
// one of them (DRYRUN) is warned of.
var Names = []string{"DRY_RUN", "SKIP_GO", "RELEASE_TOOLS_VERSION", "RELEASE_TOOLS_DIR"}

// Main runs adopt on the working directory with the variables of getenv
// and the build information of the running binary: the adopt target. It
// prints what it wrote to out, and progress to progress; checkout is as
// for [Options].
func Main(ctx context.Context, getenv func(string) string, out, progress io.Writer, checkout string) error {
	root, err := os.Getwd()
	if err != nil {
		return err
	}
	return MainIn(ctx, root, getenv, out, progress, checkout)
}

// MainIn is [Main] on the repository at root: the adopt command, which
// takes the root as its argument.
func MainIn(ctx context.Context, root string, getenv func(string) string, out, progress io.Writer, checkout string) error {
	return Run{Root: root, Out: out, Progress: progress}.Main(ctx, getenv, checkout)
}

// Main is one run of adopt with the variables of getenv (DRY_RUN,
// SKIP_GO, and those of [Options]).
func (r Run) Main(ctx context.Context, getenv func(string) string, checkout string) error {
	for _, line := range near.Warnings(os.Environ(), Names) {
		fmt.Fprintf(r.progress(), "adopt: warning: %s\n", line)
	}
	for name, dst := range map[string]*bool{"DRY_RUN": &r.DryRun, "SKIP_GO": &r.SkipGo} {
		switch s := getenv(name); s {
		case "", "0", "false":
		case "1", "true":
			*dst = true
		default:
			return fmt.Errorf("%s=%q: use 1 or 0 (true and false work too)", name, s)
		}
	}
	info, _ := debug.ReadBuildInfo()
	o, err := Options(getenv, info, checkout)
	if err != nil {
		return err
	}
	return r.Adopt(ctx, o)
}
