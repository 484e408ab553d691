package charts

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/confidential-containers/release-tools/internal/yamledit"
)

// SetVersionBytes returns the Chart.yaml src with the chart's version set
// to version, which must be SemVer 2 without a leading v (an error
// wrapping [ErrInvalidVersion] otherwise). Only the value's bytes change
// and its quoting stays; setting the version src holds returns src.
func SetVersionBytes(src []byte, version string) ([]byte, error) {
	return prefix(setVersion(src, version))
}

func setVersion(src []byte, version string) ([]byte, error) {
	if err := CheckVersion(version); err != nil {
		return nil, fmt.Errorf("set version: %w", err)
	}
	return setBytes(src, []string{"version"}, version, "version")
}

// SetAppVersionBytes returns the Chart.yaml src with appVersion set to
// appVersion, which helm does not constrain beyond being non-empty. Only
// the value's bytes change; setting the value src holds returns src.
func SetAppVersionBytes(src []byte, appVersion string) ([]byte, error) {
	return prefix(setAppVersion(src, appVersion))
}

func setAppVersion(src []byte, appVersion string) ([]byte, error) {
	if appVersion == "" {
		return nil, errors.New("set appVersion: empty value")
	}
	return setBytes(src, []string{"appVersion"}, appVersion, "appVersion")
}

// SetDependencyVersionBytes returns the Chart.yaml src with the version of
// the dependency named, or aliased, nameOrAlias set to version (a version
// or a range, as helm reads it). An unknown name is an error wrapping
// [ErrNoDependency] that lists the dependencies there; a name that matches
// two entries is an error too. Only the value's bytes change; setting the
// value src holds returns src.
func SetDependencyVersionBytes(src []byte, nameOrAlias, version string) ([]byte, error) {
	return prefix(setDependencyVersion(src, nameOrAlias, version))
}

func setDependencyVersion(src []byte, nameOrAlias, version string) ([]byte, error) {
	if strings.TrimSpace(version) == "" {
		return nil, fmt.Errorf("set dependency %q version: empty value", nameOrAlias)
	}
	m, err := parseMeta(src)
	if err != nil {
		return nil, err
	}
	idx := -1
	var have []string
	for i, d := range m.Dependencies {
		dep := Dependency{Name: d.Name, Alias: d.Alias}
		have = append(have, dep.label())
		if d.Name != nameOrAlias && d.Alias != nameOrAlias {
			continue
		}
		if idx >= 0 {
			return nil, fmt.Errorf("set dependency %q version: entries %d and %d both match; name it by alias", nameOrAlias, idx, i)
		}
		idx = i
	}
	if idx < 0 {
		if len(have) == 0 {
			return nil, fmt.Errorf("set dependency %q version: %w: the chart has no dependencies", nameOrAlias, ErrNoDependency)
		}
		return nil, fmt.Errorf("set dependency %q version: %w: the chart has %s", nameOrAlias, ErrNoDependency, strings.Join(have, ", "))
	}
	return setBytes(src, []string{"dependencies", strconv.Itoa(idx), "version"}, version, fmt.Sprintf("dependency %q version", nameOrAlias))
}

// setBytes sets one scalar through yamledit, which splices only its bytes
// and checks the output's tree, then reads the output back as a chart.
func setBytes(src []byte, keys []string, value, what string) ([]byte, error) {
	out, err := yamledit.Set(src, keys, value)
	if err != nil {
		return nil, fmt.Errorf("set %s: %w", what, err)
	}
	if _, err := parseMeta(out); err != nil {
		return nil, fmt.Errorf("set %s: the output does not read as a chart (%w); nothing was written", what, err)
	}
	return out, nil
}

func prefix(out []byte, err error) ([]byte, error) {
	if err != nil {
		return nil, fmt.Errorf("charts: %w", err)
	}
	return out, nil
}
