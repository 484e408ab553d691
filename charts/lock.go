package charts

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	yamlv2 "go.yaml.in/yaml/v2"
)

// LockFile is the name of the file `helm dependency update` writes beside
// Chart.yaml.
const LockFile = "Chart.lock"

// Lock is a chart's Chart.lock.
type Lock struct {
	Dependencies []LockedDependency
	Digest       string // "sha256:<hex>" over the requested and the locked dependencies
	Generated    time.Time
}

// LockedDependency is one entry of a Chart.lock.
type LockedDependency struct {
	Name       string `yaml:"name"`
	Repository string `yaml:"repository"`
	Version    string `yaml:"version"`
}

// LocalVersion returns the current version of the chart that a file://
// dependency names (dep.Dir says which), for [LockBytes]. The caller
// answers from what it has in memory, edits included; [LocalVersions] builds
// one from discovered charts.
type LocalVersion func(dep Dependency) (string, error)

// LocalVersions returns a [LocalVersion] that answers from charts, by Dir.
func LocalVersions(charts []Chart) LocalVersion {
	byDir := make(map[string]string, len(charts))
	for _, c := range charts {
		byDir[c.Dir] = c.Version
	}
	return func(dep Dependency) (string, error) {
		v, ok := byDir[dep.Dir]
		if !ok {
			return "", fmt.Errorf("%w: no chart in %s", ErrNotAChart, dep.Dir)
		}
		return v, nil
	}
}

// LockBytes returns the Chart.lock that `helm dependency update` writes for
// the Chart.yaml data of the chart in dir (a slash path relative to the
// root, as in [Parse]), generated at the given time, byte for byte.
//
// A file:// dependency locks to the version local reports for it, which
// must equal the version Chart.yaml asks for when that is an exact version
// (a range is not checked). Every other dependency locks to the version
// written in Chart.yaml, which must then be an exact version: helm would
// ask the repository which version a range means, and this package does
// not; check an oci:// version with charts/registry's Client.CheckVersion. helm keeps an
// existing lock whose digest would not change: [UpdateLockBytes] does that.
func LockBytes(dir string, chartYAML []byte, local LocalVersion, generated time.Time) ([]byte, error) {
	l, err := newLock(dir, chartYAML, local, generated)
	if err != nil {
		return nil, err
	}
	return l.Bytes()
}

// UpdateLockBytes is [LockBytes] for a chart that has the Chart.lock old
// (nil for none): like `helm dependency update`, it returns old itself,
// generated time and all, when the new lock's digest equals old's, and the
// new lock otherwise (also when old does not parse).
func UpdateLockBytes(old []byte, dir string, chartYAML []byte, local LocalVersion, generated time.Time) ([]byte, error) {
	l, err := newLock(dir, chartYAML, local, generated)
	if err != nil {
		return nil, err
	}
	if old != nil {
		if prev, err := parseLock(old); err == nil && prev.Digest == l.Digest {
			return old, nil
		}
	}
	return l.Bytes()
}

// newLock is [LockBytes] returning the lock as a value.
func newLock(dir string, chartYAML []byte, local LocalVersion, generated time.Time) (Lock, error) {
	c, err := Parse(dir, chartYAML)
	if err != nil {
		return Lock{}, err
	}
	fail := func(d Dependency, err error) (Lock, error) {
		return Lock{}, fmt.Errorf("charts: lock %s: dependency %s: %w", c.Dir, d.label(), err)
	}
	if len(c.Dependencies) == 0 {
		return Lock{}, fmt.Errorf("charts: lock %s: chart %q has no dependencies", c.Dir, c.Name)
	}
	if err := sameToHelm(chartYAML, c.Dependencies); err != nil {
		return Lock{}, fmt.Errorf("charts: lock %s: %w", c.Dir, err)
	}
	l := Lock{Generated: generated}
	for _, d := range c.Dependencies {
		v := d.Version
		if d.IsLocal() {
			if local == nil {
				return fail(d, errors.New("no way given to read local charts' versions"))
			}
			lv, err := local(d)
			if err != nil {
				return fail(d, err)
			}
			if err := CheckVersion(lv); err != nil {
				return fail(d, fmt.Errorf("the chart in %s: %w", d.Dir, err))
			}
			if d.Version != "" && semverRE.MatchString(d.Version) && d.Version != lv {
				return fail(d, fmt.Errorf("Chart.yaml asks for %q but the chart in %s is %q", d.Version, d.Dir, lv))
			}
			v = lv
		} else if err := CheckVersion(d.Version); err != nil {
			return fail(d, fmt.Errorf("only an exact version can be locked without asking %s: %w", d.Repository, err))
		}
		l.Dependencies = append(l.Dependencies, LockedDependency{Name: d.Name, Repository: d.Repository, Version: v})
	}
	digest, err := digest(chartYAML, l.Dependencies)
	if err != nil {
		return Lock{}, fmt.Errorf("charts: lock %s: %w", c.Dir, err)
	}
	l.Digest = digest
	return l, nil
}

// Bytes returns the lock as helm writes it: sigs.k8s.io/yaml's encoding of
// helm's chart.Lock, that is the JSON form re-encoded by go-yaml v2 (keys
// sorted, list items at column 0, a string quoted only where YAML would
// read it as something else), with Generated in RFC 3339 with fractional
// seconds.
func (l Lock) Bytes() ([]byte, error) {
	deps := make([]*helmDependency, len(l.Dependencies))
	for i, d := range l.Dependencies {
		deps[i] = &helmDependency{Name: d.Name, Version: d.Version, Repository: d.Repository}
	}
	j, err := json.Marshal(helmLock{Generated: l.Generated, Digest: l.Digest, Dependencies: deps})
	if err != nil {
		return nil, fmt.Errorf("charts: encode lock: %w", err)
	}
	var obj any
	if err := yamlv2.Unmarshal(j, &obj); err != nil {
		return nil, fmt.Errorf("charts: encode lock: %w", err)
	}
	out, err := yamlv2.Marshal(obj)
	if err != nil {
		return nil, fmt.Errorf("charts: encode lock: %w", err)
	}
	return out, nil
}

// helmLock and helmDependency mirror helm's chart.Lock and
// chart.Dependency field for field, JSON tags included: the digest and
// the file are computed from their JSON form.
type helmLock struct {
	Generated    time.Time         `json:"generated"`
	Digest       string            `json:"digest"`
	Dependencies []*helmDependency `json:"dependencies"`
}

type helmDependency struct {
	Name         string   `json:"name"`
	Version      string   `json:"version,omitempty"`
	Repository   string   `json:"repository"`
	Condition    string   `json:"condition,omitempty"`
	Tags         []string `json:"tags,omitempty"`
	Enabled      bool     `json:"enabled,omitempty"`
	ImportValues []any    `json:"import-values,omitempty"`
	Alias        string   `json:"alias,omitempty"`
}

// digest is helm's resolver.HashReq: "sha256:" and the hex SHA-256 of the
// JSON of [requested, locked]. The requested dependencies are read from
// chartYAML as helm reads them ([helmRequested]: YAML 1.1, where
// `condition: yes` is "true" and `parent: y` in import-values is true).
func digest(chartYAML []byte, locked []LockedDependency) (string, error) {
	req, err := helmRequested(chartYAML)
	if err != nil {
		return "", err
	}
	lock := make([]*helmDependency, len(locked))
	for i, d := range locked {
		lock[i] = &helmDependency{Name: d.Name, Version: d.Version, Repository: d.Repository}
	}
	data, err := json.Marshal([2][]*helmDependency{req, lock})
	if err != nil {
		return "", fmt.Errorf("digest: %w", err)
	}
	sum := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(sum[:]), nil
}

// jsonable turns the maps yaml.v3 decodes into ones encoding/json takes.
func jsonable(v []any) []any {
	if v == nil {
		return nil
	}
	out := make([]any, len(v))
	for i, x := range v {
		out[i] = jsonValue(x)
	}
	return out
}

func jsonValue(x any) any {
	switch t := x.(type) {
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, v := range t {
			m[k] = jsonValue(v)
		}
		return m
	case map[any]any:
		m := make(map[string]any, len(t))
		for k, v := range t {
			m[fmt.Sprint(k)] = jsonValue(v)
		}
		return m
	case []any:
		return jsonable(t)
	}
	return x
}
