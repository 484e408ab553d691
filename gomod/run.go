package gomod

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/confidential-containers/release-tools/internal/run"
)

// Runner runs the go command on a module.
type Runner struct {
	// Env is the go command's environment; nil means os.Environ(). GOWORK=off
	// is always added, so a go.work around the repository does not change
	// what a module resolves.
	Env []string
}

// Tidy runs `go mod tidy` in dir with the caller's environment.
func Tidy(ctx context.Context, dir string) error { return (&Runner{}).Tidy(ctx, dir) }

// Get runs `go get module@query` in dir with the caller's environment.
func Get(ctx context.Context, dir, module, query string) error {
	return (&Runner{}).Get(ctx, dir, module, query)
}

// Tidy runs `go mod tidy` in dir. A failure is an error holding the command,
// the directory and what the go command printed.
func (r *Runner) Tidy(ctx context.Context, dir string) error {
	return r.goCmd(ctx, dir, "mod", "tidy")
}

// Get runs `go get module@query` in dir. A failure is an error holding the
// command, the directory and what the go command printed.
func (r *Runner) Get(ctx context.Context, dir, module, query string) error {
	if module == "" || query == "" || strings.HasPrefix(module, "-") || strings.HasPrefix(query, "-") || strings.Contains(module, "@") {
		return fmt.Errorf("gomod: go get %q@%q: want a module path and a version query", module, query)
	}
	return r.goCmd(ctx, dir, "get", module+"@"+query)
}

func (r *Runner) goCmd(ctx context.Context, dir string, args ...string) error {
	env := r.Env
	if env == nil {
		env = os.Environ()
	}
	env = append(env[:len(env):len(env)], "GOWORK=off")
	if _, err := run.Cmd(ctx, dir, env, "go", args...); err != nil {
		return fmt.Errorf("gomod: %w", err)
	}
	return nil
}
