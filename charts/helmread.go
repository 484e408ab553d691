package charts

import (
	"fmt"
	"strconv"

	yamlv2 "go.yaml.in/yaml/v2"
)

// helmRequested reads the dependencies of chartYAML as helm reads them
// for its lock's digest: sigs.k8s.io/yaml over go-yaml v2, that is YAML
// 1.1, where an unquoted yes, on or y is the boolean true and 0.10 the
// number 0.1, each then turned into the string a string field takes
// ("true", "0.1"; a float with 32-bit precision, as sigs.k8s.io/yaml
// does), and sanitized as helm's loader sanitizes it.
func helmRequested(chartYAML []byte) ([]*helmDependency, error) {
	var meta struct {
		Dependencies []map[string]any `yaml:"dependencies"`
	}
	if err := yamlv2.Unmarshal(chartYAML, &meta); err != nil {
		return nil, fmt.Errorf("read %s as helm does (YAML 1.1): %w", ChartFile, err)
	}
	out := make([]*helmDependency, len(meta.Dependencies))
	for i, m := range meta.Dependencies {
		d := &helmDependency{}
		var err error
		str := func(key string) string {
			s, serr := helmString(m[key])
			if serr != nil && err == nil {
				err = fmt.Errorf("dependency %d: %s: %w", i, key, serr)
			}
			return s
		}
		d.Name, d.Version, d.Repository = sanitize(str("name")), sanitize(str("version")), sanitize(str("repository"))
		d.Condition, d.Alias = sanitize(str("condition")), str("alias")
		if tags, ok := m["tags"].([]any); ok {
			for j, t := range tags {
				s, serr := helmString(t)
				if serr != nil && err == nil {
					err = fmt.Errorf("dependency %d: tags[%d]: %w", i, j, serr)
				}
				d.Tags = append(d.Tags, sanitize(s))
			}
		} else if m["tags"] != nil && err == nil {
			err = fmt.Errorf("dependency %d: tags: want a list", i)
		}
		switch e := m["enabled"].(type) {
		case nil:
		case bool:
			d.Enabled = e
		default:
			if err == nil {
				err = fmt.Errorf("dependency %d: enabled: want true or false, not %v", i, e)
			}
		}
		if iv, ok := m["import-values"].([]any); ok {
			d.ImportValues = jsonable(iv)
		}
		if err != nil {
			return nil, fmt.Errorf("read %s as helm does (YAML 1.1): %w", ChartFile, err)
		}
		out[i] = d
	}
	return out, nil
}

// helmString is the string sigs.k8s.io/yaml gives a string field for a
// YAML 1.1 scalar.
func helmString(v any) (string, error) {
	switch t := v.(type) {
	case nil:
		return "", nil
	case string:
		return t, nil
	case bool:
		return strconv.FormatBool(t), nil
	case int:
		return strconv.Itoa(t), nil
	case int64:
		return strconv.FormatInt(t, 10), nil
	case uint64:
		return strconv.FormatUint(t, 10), nil
	case float64:
		return strconv.FormatFloat(t, 'g', -1, 32), nil
	}
	return "", fmt.Errorf("want a string, not %T", v)
}

// sameToHelm refuses dependencies whose name, version, repository or
// alias helm reads otherwise than as written (YAML 1.1: an unquoted
// `version: 0.10` is 0.1 to helm, which it rejects or resolves to another
// chart): a lock written for what the file says would not be helm's.
func sameToHelm(chartYAML []byte, deps []Dependency) error {
	helm, err := helmRequested(chartYAML)
	if err != nil {
		return err
	}
	if len(helm) != len(deps) {
		return fmt.Errorf("read %s as helm does (YAML 1.1): %d dependencies, not %d", ChartFile, len(helm), len(deps))
	}
	for i, d := range deps {
		h := helm[i]
		for _, f := range []struct{ key, written, read string }{
			{"name", d.Name, h.Name}, {"version", d.Version, h.Version}, {"repository", d.Repository, h.Repository}, {"alias", d.Alias, h.Alias},
		} {
			if f.written != f.read {
				return fmt.Errorf("dependency %s: helm reads %s: %s as %q (YAML 1.1 reads it unquoted as a number or a boolean): quote it, %s: %q",
					d.label(), f.key, f.written, f.read, f.key, f.written)
			}
		}
	}
	return nil
}
