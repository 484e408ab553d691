package charts

import (
	"fmt"
	"os"
	"time"

	"go.yaml.in/yaml/v3"
)

// ParseTime parses an RFC 3339 time, fractional seconds kept, as a lock's
// generated time or a RELEASE_TIME setting is written.
func ParseTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("charts: time %q is not RFC 3339 (such as 2026-05-26T10:12:12.893953+01:00): %w", s, err)
	}
	return t, nil
}

// ReadLock reads the Chart.lock file.
func ReadLock(file string) (Lock, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return Lock{}, fmt.Errorf("charts: %w", err)
	}
	l, err := parseLock(data)
	if err != nil {
		return Lock{}, fmt.Errorf("charts: %s: %w", file, err)
	}
	return l, nil
}

// ParseLock reads Chart.lock data.
func ParseLock(data []byte) (Lock, error) {
	l, err := parseLock(data)
	if err != nil {
		return Lock{}, fmt.Errorf("charts: %s: %w", LockFile, err)
	}
	return l, nil
}

func parseLock(data []byte) (Lock, error) {
	var raw struct {
		Dependencies []LockedDependency `yaml:"dependencies"`
		Digest       string             `yaml:"digest"`
		Generated    string             `yaml:"generated"`
	}
	if err := yaml.Unmarshal(data, &raw); err != nil {
		return Lock{}, err
	}
	l := Lock{Dependencies: raw.Dependencies, Digest: raw.Digest}
	if raw.Generated != "" {
		t, err := ParseTime(raw.Generated)
		if err != nil {
			return Lock{}, err
		}
		l.Generated = t
	}
	return l, nil
}

// Matches reports whether the lock's digest agrees with the dependencies
// of the Chart.yaml data, as `helm dependency build` checks before it
// trusts a lock: false means the lock is out of date.
func (l Lock) Matches(chartYAML []byte) (bool, error) {
	if _, err := parseMeta(chartYAML); err != nil {
		return false, fmt.Errorf("charts: %s: %w", ChartFile, err)
	}
	sum, err := digest(chartYAML, l.Dependencies)
	if err != nil {
		return false, fmt.Errorf("charts: %w", err)
	}
	return sum == l.Digest, nil
}
