package gitfixture

import (
	"os/exec"
	"strings"
)

// T is what [Git] needs of a *testing.T; an interface, so that the demo,
// which builds its repositories with this package, does not link testing.
type T interface {
	Helper()
	Fatalf(format string, args ...any)
}

// Git runs git with args in dir, in the process's environment, and
// returns what it printed (standard output and error), trimmed; a git
// that fails fails the test, with what it printed.
func Git(t T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}
