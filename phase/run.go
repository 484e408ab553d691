package phase

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/confidential-containers/release-tools/internal/run"
)

// Run runs a command at the repository's root after the steps before it
// are carried out (a generator's check before a [Commit], say): the
// command fails the phase when it exits non-zero or when it changes, adds
// or removes a file, with its output and the files it changed. The plan
// checks that the command's program, and each program of Needs, is
// installed. Args[0] is the program, looked up in PATH; no shell reads the
// arguments. A Run with a Skip reason is not run: the plan says why.
type Run struct {
	Args  []string
	Needs []string // programs the command runs besides its own
	Skip  string
}

func (r Run) String() string { return "run " + strings.Join(r.Args, " ") }
func (Run) step()            {}

// ErrRunFailed is returned, wrapped, by a [Run] that failed or changed
// files.
var ErrRunFailed = errors.New("check failed")

// ErrNotInstalled is returned, wrapped, by a [Run] whose program is not
// installed.
var ErrNotInstalled = errors.New("not installed")

// plan checks that r's program can be found.
func (r Run) plan() error {
	if len(r.Args) == 0 || r.Args[0] == "" {
		return errors.New("no command")
	}
	if r.Skip != "" {
		return nil
	}
	var missing []string
	for _, p := range append([]string{r.Args[0]}, r.Needs...) {
		if _, err := exec.LookPath(p); err != nil && !slices.Contains(missing, p) {
			missing = append(missing, p)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%w: %s (needed by %q; install it, or remove the check)", ErrNotInstalled, strings.Join(missing, ", "), strings.Join(r.Args, " "))
	}
	return nil
}

// run runs r at root and fails if it fails or changes the work tree. The
// error names the files it changed (a [*RunError]): the phase leaves them
// as it wrote them.
func (r Run) run(ctx context.Context, root string) error {
	before, err := workState(ctx, root)
	if err != nil {
		return err
	}
	data, runErr := run.Combined(ctx, root, run.OwnRepo(os.Environ()), r.Args[0], r.Args[1:]...)
	if e := (*run.Error)(nil); errors.As(runErr, &e) {
		runErr = e.Err // its output is Output
	}
	after, err := workState(ctx, root)
	if err != nil {
		return errors.Join(runErr, err)
	}
	var changed []string
	for p, h := range after {
		if before[p] != h {
			changed = append(changed, p)
		}
	}
	for p := range before {
		if _, ok := after[p]; !ok {
			changed = append(changed, p)
		}
	}
	if runErr == nil && len(changed) == 0 {
		return nil
	}
	slices.Sort(changed)
	return &RunError{Run: r, Err: runErr, Changed: changed, Output: string(data)}
}

// RunError is a [Run] that failed or changed, added or removed files:
// the phase leaves those files as the command wrote them (and puts its own
// other files back). It wraps [ErrRunFailed].
type RunError struct {
	Run     Run
	Err     error    // how the command failed; nil if it only changed files
	Changed []string // slash paths relative to the root, sorted
	Output  string   // what the command printed
}

func (e *RunError) Error() string {
	var what []string
	if e.Err != nil {
		what = append(what, e.Err.Error())
	}
	if len(e.Changed) > 0 {
		what = append(what, "changed "+strings.Join(e.Changed, ", ")+": review them and commit them, or fix what they come from")
	}
	return fmt.Sprintf("%v: %s: %s\n%s", ErrRunFailed, e.Run, strings.Join(what, "; "), indent(e.Output))
}

func (e *RunError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrRunFailed}
	}
	return []error{ErrRunFailed, e.Err}
}

// workState maps every file git reports as changed or untracked at root
// to a hash of its content ("" for a deleted file).
func workState(ctx context.Context, root string) (map[string]string, error) {
	out, err := run.Git(ctx, root, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--no-renames")
	if err != nil {
		return nil, err
	}
	state := map[string]string{}
	for _, e := range strings.Split(string(out), "\x00") {
		if len(e) < 4 {
			continue
		}
		p := e[3:]
		data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(p)))
		switch {
		case errors.Is(err, os.ErrNotExist):
			state[p] = ""
		case err != nil:
			state[p] = "unreadable: " + err.Error()
		default:
			state[p] = fmt.Sprintf("%x", sha256.Sum256(data))
		}
	}
	return state, nil
}

func indent(s string) string {
	s = strings.TrimRight(s, "\n")
	if s == "" {
		return "    (no output)"
	}
	return "    " + strings.ReplaceAll(s, "\n", "\n    ")
}
