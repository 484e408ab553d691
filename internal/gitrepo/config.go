package gitrepo

import (
	"bytes"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
)

// commitConfig is what of git's configuration a commit follows, read once
// for the phase.
type commitConfig struct {
	sign  bool   // commit.gpgsign
	hooks string // the hooks directory: core.hooksPath, or the git directory's hooks
}

// config reads the configuration at the first commit with one `git
// config --list`, as git reads it (includes, `git -c`, the
// GIT_CONFIG_* variables).
func (c *Commits) config() (commitConfig, error) {
	if c.cfg != nil {
		return *c.cfg, nil
	}
	out, err := gitIn(c.root, nil, "config", "--list", "-z")
	if err != nil {
		return commitConfig{}, fmt.Errorf("read git config: %w", err)
	}
	cfg, err := parseCommitConfig(out, c.root, c.dirs.common)
	if err != nil {
		return commitConfig{}, err
	}
	c.cfg = &cfg
	return cfg, nil
}

// parseCommitConfig reads commit.gpgsign and core.hooksPath from the
// output of `git config --list -z` (entries "key\nvalue\x00", or "key\x00"
// for a key without a value), the last value of each winning, as for git.
// A relative hooks path is relative to root, where git runs the hooks;
// without one, the hooks are in the common git directory's hooks.
func parseCommitConfig(out []byte, root, common string) (commitConfig, error) {
	cfg := commitConfig{hooks: filepath.Join(common, "hooks")}
	for _, e := range bytes.Split(out, []byte{0}) {
		key, value, hasValue := strings.Cut(string(e), "\n")
		switch strings.ToLower(key) {
		case "commit.gpgsign":
			b, err := parseBool(value, hasValue)
			if err != nil {
				return commitConfig{}, fmt.Errorf("git config commit.gpgsign: %w", err)
			}
			cfg.sign = b
		case "core.hookspath":
			p, err := expandPath(value)
			if err != nil {
				return commitConfig{}, fmt.Errorf("git config core.hooksPath: %w", err)
			}
			if !filepath.IsAbs(p) {
				p = filepath.Join(root, p)
			}
			cfg.hooks = p
		}
	}
	return cfg, nil
}

// parseBool reads a boolean as git does: true, yes, on or a non-zero
// number; false, no, off, 0 or nothing; a key without a value is true.
func parseBool(v string, hasValue bool) (bool, error) {
	if !hasValue {
		return true, nil
	}
	switch strings.ToLower(v) {
	case "true", "yes", "on":
		return true, nil
	case "false", "no", "off", "":
		return false, nil
	}
	n, err := strconv.ParseInt(v, 0, 64)
	if err != nil {
		return false, fmt.Errorf("bad boolean value %q (want true or false)", v)
	}
	return n != 0, nil
}

// expandPath expands a leading ~/ or ~user/ as git does for a path.
func expandPath(p string) (string, error) {
	rest, ok := strings.CutPrefix(p, "~")
	if !ok {
		return p, nil
	}
	name, tail, _ := strings.Cut(rest, "/")
	var home string
	if name == "" {
		h, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		home = h
	} else {
		u, err := user.Lookup(name)
		if err != nil {
			return "", err
		}
		home = u.HomeDir
	}
	return filepath.Join(home, filepath.FromSlash(tail)), nil
}
