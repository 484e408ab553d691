package goproxytest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

// FromGoSum writes below dir a module proxy serving every module version
// the go.sum of the module in modDir names: what `go mod tidy` there, and
// in a module requiring it, asks for, including the modules only the
// tests of its dependencies import. The go command gets them as it gets
// any dependency, with the process's configuration (GOPROXY, GOMODCACHE):
// `go mod download` for the versions whose code go.sum names, `go list -m`
// for those whose go.mod alone it names. The proxy's files link to the
// module cache's.
func FromGoSum(ctx context.Context, dir, modDir string) error {
	data, err := os.ReadFile(filepath.Join(modDir, "go.sum"))
	if err != nil {
		return fmt.Errorf("goproxytest: %w", err)
	}
	code, modOnly := map[string]bool{}, map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != 3 {
			continue
		}
		if v, ok := strings.CutSuffix(f[1], "/go.mod"); ok {
			modOnly[f[0]+"@"+v] = true
		} else {
			code[f[0]+"@"+f[1]] = true
		}
	}
	for mv := range code {
		delete(modOnly, mv)
	}
	var mods []goModule
	for _, q := range []struct {
		args []string
		set  map[string]bool
	}{{[]string{"mod", "download", "-json"}, code}, {[]string{"list", "-m", "-json"}, modOnly}} {
		if len(q.set) == 0 {
			continue
		}
		args := append(q.args, sortedKeys(q.set)...)
		cmd := exec.CommandContext(ctx, "go", args...)
		cmd.Dir, cmd.Env = modDir, append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=readonly")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			return fmt.Errorf("goproxytest: go %s: %v: %s", strings.Join(q.args, " "), err, stderr.Bytes())
		}
		dec := json.NewDecoder(bytes.NewReader(out))
		for {
			var m goModule
			if err := dec.Decode(&m); errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				return fmt.Errorf("goproxytest: go %s: %w", strings.Join(q.args, " "), err)
			}
			if len(m.Error) > 0 && string(m.Error) != "null" {
				return fmt.Errorf("goproxytest: %s@%s: %s", m.Path, m.Version, m.Error)
			}
			mods = append(mods, m)
		}
	}
	versions := map[string][]string{}
	for _, m := range mods {
		if m.GoMod == "" {
			return fmt.Errorf("goproxytest: %s@%s: the go command names no go.mod file", m.Path, m.Version)
		}
		base, escVer, err := versionDir(dir, m.Path, m.Version)
		if err != nil {
			return err
		}
		src := strings.TrimSuffix(m.GoMod, ".mod")
		exts := []string{".info", ".mod"}
		if code[m.Path+"@"+m.Version] {
			exts = append(exts, ".zip")
		}
		for _, ext := range exts {
			if err := os.Symlink(src+ext, filepath.Join(base, escVer+ext)); err != nil {
				return fmt.Errorf("goproxytest: %w", err)
			}
		}
		versions[base] = append(versions[base], m.Version)
	}
	for base, vs := range versions {
		sort.Strings(vs)
		if err := os.WriteFile(filepath.Join(base, "list"), []byte(strings.Join(vs, "\n")+"\n"), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// goModule is what go mod download -json and go list -m -json print of a
// module.
type goModule struct {
	Path, Version, GoMod string
	Error                json.RawMessage // a string from one, an object from the other

}

func sortedKeys(set map[string]bool) []string {
	keys := make([]string, 0, len(set))
	for k := range set {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
