package gitrepo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/confidential-containers/release-tools/internal/run"
)

// ErrHook is returned, wrapped in a [*HookError], when a commit hook
// exits non-zero: git commit would not have committed.
var ErrHook = errors.New("commit hook failed")

// HookError is a commit hook (pre-commit, prepare-commit-msg,
// commit-msg) that refused a commit, with what it printed. It wraps
// [ErrHook].
type HookError struct {
	Hook   string // "pre-commit"
	Path   string // the hook's file
	Output string // what it printed, standard output and error together
	Err    error  // how it ended
}

func (e *HookError) Error() string {
	msg := fmt.Sprintf("%v: the %s hook (%s) refused the commit: %v", ErrHook, e.Hook, e.Path, e.Err)
	if s := strings.TrimRight(e.Output, "\n"); s != "" {
		msg += "; it said:\n" + s
	}
	return msg
}

func (e *HookError) Unwrap() error { return ErrHook }

// runHooks runs the hooks git commit runs before it commits, as it runs
// them: pre-commit, with GIT_INDEX_FILE naming the phase's index (what it
// stages is committed), then prepare-commit-msg and commit-msg on a file
// holding msg, which they may change. It returns the message they leave,
// trailing blank lines and spaces removed; an empty one is refused. A hook
// that is missing or not executable is not run (git says "hint: The ...
// hook was ignored because it's not set as executable"; so does Out).
func (c *Commits) runHooks(cfg commitConfig, msg string) (string, error) {
	env := []string{"GIT_INDEX_FILE=" + c.index, "GIT_EDITOR=:"}
	if err := c.hook(cfg, env, "pre-commit"); err != nil {
		return "", err
	}
	file := filepath.Join(c.tmp, "COMMIT_EDITMSG")
	if !c.hasHook(cfg, "prepare-commit-msg") && !c.hasHook(cfg, "commit-msg") {
		return msg, nil
	}
	if err := os.WriteFile(file, []byte(msg), 0o644); err != nil {
		return "", err
	}
	if err := c.hook(cfg, env, "prepare-commit-msg", file, "message"); err != nil {
		return "", err
	}
	if err := c.hook(cfg, env, "commit-msg", file); err != nil {
		return "", err
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return "", fmt.Errorf("read the message the hooks left: %w", err)
	}
	out := cleanMessage(string(data))
	if out == "" {
		return "", &HookError{Hook: "commit-msg", Path: filepath.Join(cfg.hooks, "commit-msg"), Err: errors.New("the message is empty")}
	}
	return out, nil
}

// cleanMessage removes trailing spaces from every line and blank lines
// from the start and the end, and collapses runs of blank lines, as git
// commit does with a message it did not open an editor for.
func cleanMessage(s string) string {
	var lines []string
	blank := false
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimRight(l, " \t\r")
		if l == "" {
			blank = len(lines) > 0
			continue
		}
		if blank {
			lines = append(lines, "")
			blank = false
		}
		lines = append(lines, l)
	}
	if len(lines) == 0 {
		return ""
	}
	return strings.Join(lines, "\n") + "\n"
}

// hookFile is the hook's file, and whether git would run it; a file that
// is there but not executable is noted on Out, as git notes it.
func (c *Commits) hookFile(cfg commitConfig, name string, note bool) (string, bool) {
	p := filepath.Join(cfg.hooks, name)
	info, err := os.Stat(p)
	if err != nil || info.IsDir() {
		return p, false
	}
	if info.Mode()&0o111 == 0 {
		if note && c.Out != nil {
			fmt.Fprintf(c.Out, "hint: The '%s' hook was ignored because it's not set as executable.\n", p)
		}
		return p, false
	}
	return p, true
}

func (c *Commits) hasHook(cfg commitConfig, name string) bool {
	_, ok := c.hookFile(cfg, name, false)
	return ok
}

// hook runs the hook name with args at the root, if git would: standard
// input empty, what it prints to Out, a failure a [*HookError] with it.
func (c *Commits) hook(cfg commitConfig, env []string, name string, args ...string) error {
	p, ok := c.hookFile(cfg, name, true)
	if !ok {
		return nil
	}
	out, err := run.Combined(context.Background(), c.root, append(run.OwnRepo(os.Environ()), env...), p, args...)
	if err != nil {
		var e *run.Error
		if errors.As(err, &e) {
			err = e.Err
		}
		return &HookError{Hook: name, Path: p, Output: string(out), Err: err}
	}
	if c.Out != nil {
		_, _ = io.Copy(c.Out, bytes.NewReader(out))
	}
	return nil
}
