// Command adopt writes .mage/ into a repository without a go.mod at its
// root, such as cloud-api-adaptor, so that the release targets run from
// its root with "go -C .mage tool mage -w .. <target>". It adopts the
// working directory, or the directory given as its argument:
//
//	go run github.com/confidential-containers/release-tools/cmd/adopt@latest
//
// requires the version it was run at, and, from the root of the
// repository to adopt, with a local checkout of the release tools (for
// trying an unreleased version; .mage/go.mod then replaces the module with
// the checkout):
//
//	go -C <release-tools checkout> run ./cmd/adopt "$PWD"
//
// The variables are adopt's: RELEASE_TOOLS_VERSION, RELEASE_TOOLS_DIR,
// DRY_RUN, SKIP_GO. -workflows writes the GitHub Actions workflows too
// (in a tree adopted already, them alone). -h or --help prints the usage.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"

	"github.com/confidential-containers/release-tools/internal/adoptrun"
)

const usage = `usage: adopt [-workflows] [dir]

Writes .mage/ (a go.mod requiring the release tools, with their mage as its
tool, and a magefile importing the release targets) into the repository at
dir (default: the working directory), runs go mod tidy there, and prints the
command that runs the targets from its root: go -C .mage tool mage -w .. <target>.
It never overwrites: with .mage/ files there it writes nothing.

  -workflows  also writes .github/workflows/release-tools.yaml (a target run
              by hand from the Actions tab, PR=1) and kata-deps-sync.yaml
              (deps:sync latest every day, PR=1); in a tree adopted already,
              them alone; never over an existing file

  go run github.com/confidential-containers/release-tools/cmd/adopt@latest
      adopts the working directory, requiring the version it ran at
  go -C <release-tools checkout> run ./cmd/adopt "$PWD"
      from the root of the repository to adopt: .mage/go.mod replaces the
      release tools with the checkout (to try an unreleased version; do not
      commit that go.mod)

Variables:
  RELEASE_TOOLS_VERSION  the version to require (default: the one adopt was built at)
  RELEASE_TOOLS_DIR      an absolute path: a checkout that replaces the release tools
  DRY_RUN=1              print the files, write nothing
  SKIP_GO=1              do not run go mod tidy (it needs the network)
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is the command with its arguments; it returns the exit code: 0, 1
// when adopt failed, 2 for bad arguments.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("adopt", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	workflows := fs.Bool("workflows", false, "")
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(stdout, usage)
		return 0
	case err != nil:
		fmt.Fprintf(stderr, "Error: %v\n\n%s", err, usage)
		return 2
	case fs.NArg() > 1:
		fmt.Fprintf(stderr, "Error: one directory at most, got %q\n\n%s", fs.Args(), usage)
		return 2
	}
	root, err := os.Getwd()
	if err == nil && fs.NArg() == 1 {
		root, err = filepath.Abs(fs.Arg(0))
	}
	if err == nil {
		err = isDir(root)
	}
	if err == nil {
		r := adoptrun.Run{Root: root, Out: stdout, Progress: stderr, Workflows: *workflows}
		err = r.Main(context.Background(), os.Getenv, checkout())
	}
	if err != nil {
		fmt.Fprintln(stderr, "Error:", err)
		return 1
	}
	return 0
}

func isDir(dir string) error {
	info, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if !info.IsDir() {
		return fmt.Errorf("%s is not a directory: give the root of the repository to adopt", dir)
	}
	return nil
}

// checkout is the release-tools folder this command was built from ("" with
// -trimpath); [adoptrun.Options] uses it only for a build without a
// version, such as go run in a checkout.
func checkout() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return ""
	}
	return adoptrun.Checkout(file)
}
