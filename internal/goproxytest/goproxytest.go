// Package goproxytest writes a Go module proxy to disk, for tests that run
// the go command offline: GOPROXY=file://<dir> serves it.
package goproxytest

import (
	"archive/zip"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/mod/module"
)

// Module is one module version the proxy serves.
type Module struct {
	Path, Version string
	// Files maps a file's path inside the module to its content. A go.mod
	// saying "module <Path>" is added when Files has none.
	Files map[string]string
}

// Write writes mods as a module proxy below dir.
func Write(dir string, mods ...Module) error {
	versions := map[string][]string{}
	for _, m := range mods {
		files := map[string]string{"go.mod": "module " + m.Path + "\n"}
		for name, data := range m.Files {
			files[name] = data
		}
		base, escVer, err := versionDir(dir, m.Path, m.Version)
		if err != nil {
			return err
		}
		info := fmt.Sprintf(`{"Version":%q,"Time":"2025-01-01T00:00:00Z"}`, m.Version)
		if err := os.WriteFile(filepath.Join(base, escVer+".info"), []byte(info), 0o644); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(base, escVer+".mod"), []byte(files["go.mod"]), 0o644); err != nil {
			return err
		}
		if err := writeZip(filepath.Join(base, escVer+".zip"), m.Path+"@"+m.Version, files); err != nil {
			return err
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

func writeZip(name, prefix string, files map[string]string) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(f)
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		w, err := zw.Create(prefix + "/" + n)
		if err != nil {
			f.Close()
			return err
		}
		if _, err := w.Write([]byte(files[n])); err != nil {
			f.Close()
			return err
		}
	}
	if err := zw.Close(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// Env returns the environment for a go command that must use only the
// proxy in proxyDir and a module cache in cacheDir: os.Environ() with
// GOPROXY, GOSUMDB, GOFLAGS, GOMODCACHE, GOWORK and GOTOOLCHAIN set.
func Env(proxyDir, cacheDir string) []string {
	env := os.Environ()
	return append(env[:len(env):len(env)],
		"GOPROXY=file://"+filepath.ToSlash(proxyDir),
		"GOSUMDB=off",
		"GONOSUMDB=*",
		"GOFLAGS=-modcacherw",
		"GOMODCACHE="+cacheDir,
		"GOWORK=off",
		"GOTOOLCHAIN=local",
	)
}

// Alias makes the proxy in dir answer the query (a tag without "v", such
// as Kata's 3.31.0) of module path with version, as a proxy answers a
// query for a commit's tag with its pseudo-version: path@query's .info
// names version.
func Alias(dir, path, query, version string) error {
	escPath, err := module.EscapePath(path)
	if err != nil {
		return err
	}
	info := fmt.Sprintf(`{"Version":%q,"Time":"2025-01-01T00:00:00Z"}`, version)
	return os.WriteFile(filepath.Join(dir, filepath.FromSlash(escPath), "@v", query+".info"), []byte(info), 0o644)
}

// versionDir makes the @v folder of the module path below dir and gives it
// with the escaped version, the stem of the version's files there.
func versionDir(dir, path, version string) (base, escVer string, err error) {
	escPath, err := module.EscapePath(path)
	if err != nil {
		return "", "", err
	}
	if escVer, err = module.EscapeVersion(version); err != nil {
		return "", "", err
	}
	base = filepath.Join(dir, filepath.FromSlash(escPath), "@v")
	return base, escVer, os.MkdirAll(base, 0o755)
}
