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
// checks that the command's program is installed. Args[0] is the program,
// looked up in PATH; no shell reads the arguments.
type Run struct {
	Args []string
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
	if _, err := exec.LookPath(r.Args[0]); err != nil {
		return fmt.Errorf("%w: %s (needed by %q; install it, or remove the check)", ErrNotInstalled, r.Args[0], strings.Join(r.Args, " "))
	}
	return nil
}

// run runs r at root and fails if it fails or changes the work tree.
func (r Run) run(ctx context.Context, root string) error {
	before, err := workState(ctx, root)
	if err != nil {
		return err
	}
	data, err := run.Combined(ctx, root, run.OwnRepo(os.Environ()), r.Args[0], r.Args[1:]...)
	out := string(data)
	if err != nil {
		var e *run.Error
		if errors.As(err, &e) {
			err = e.Err
		}
		return fmt.Errorf("%w: %s: %v\n%s", ErrRunFailed, r, err, indent(out))
	}
	after, err := workState(ctx, root)
	if err != nil {
		return err
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
	if len(changed) > 0 {
		slices.Sort(changed)
		return fmt.Errorf("%w: %s changed %s (left as it wrote them: review and commit them, or fix what they come from)\n%s",
			ErrRunFailed, r, strings.Join(changed, ", "), indent(out))
	}
	return nil
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
