package gitfixture

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Config is the global git configuration [Isolate] gives git: the fixture
// identity, branch main for a new repository, no signing, no automatic
// gc (nor after a push: receive.autoGC), and no global ignore or
// attributes file.
const Config = `[user]
	name = ` + Name + `
	email = ` + Email + `
[init]
	defaultBranch = main
[commit]
	gpgSign = false
[tag]
	gpgSign = false
	forceSignAnnotated = false
[core]
	excludesFile = %[1]s
	attributesFile = %[1]s
[gc]
	auto = 0
[maintenance]
	auto = false
[receive]
	autoGC = false
`

// Isolate keeps every git the process starts from now on away from the
// machine's configuration: it writes [Config] to dir/gitconfig, removes
// every GIT_* variable from the process's environment (GIT_DIR from a
// hook, GIT_CONFIG_PARAMETERS, an author's name or date) and sets
// GIT_CONFIG_GLOBAL to that file, GIT_CONFIG_NOSYSTEM=1 and
// GIT_TERMINAL_PROMPT=0. A user's signing (commit.gpgSign with a key on a
// token not plugged in), hooks (core.hooksPath), init.defaultBranch and
// identity then change nothing, and git never waits on a prompt. It
// returns a function that restores the environment as it was.
func Isolate(dir string) (restore func(), err error) {
	global := filepath.Join(dir, "gitconfig")
	none := filepath.ToSlash(filepath.Join(dir, "none"))
	if err := os.WriteFile(global, []byte(fmt.Sprintf(Config, none)), 0o644); err != nil {
		return nil, fmt.Errorf("gitfixture: %w", err)
	}
	var removed []string
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "GIT_") {
			removed = append(removed, kv)
			os.Unsetenv(k)
		}
	}
	set := map[string]string{"GIT_CONFIG_GLOBAL": global, "GIT_CONFIG_NOSYSTEM": "1", "GIT_TERMINAL_PROMPT": "0"}
	for k, v := range set {
		os.Setenv(k, v)
	}
	return func() {
		for k := range set {
			os.Unsetenv(k)
		}
		for _, kv := range removed {
			k, v, _ := strings.Cut(kv, "=")
			os.Setenv(k, v)
		}
	}, nil
}

// Main runs a package's tests ([testing.M]) with git isolated ([Isolate])
// in a temporary folder, and exits with their status. A package whose
// tests start git (directly or through the library) has
//
//	func TestMain(m *testing.M) { gitfixture.Main(m) }
func Main(m interface{ Run() int }) {
	dir, err := os.MkdirTemp("", "release-tools-git-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	mainDir = dir
	if _, err := Isolate(dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// mainDir is the folder [Main] made, "" outside Main.
var mainDir string

// MainDir is a folder for what the tests of the binary share, built once
// and then only read (a compiled command, a repository they only fetch
// from): the folder [Main] made, removed when the tests end; "" when the tests do not run under
// Main, and each test must build its own.
func MainDir() string { return mainDir }
