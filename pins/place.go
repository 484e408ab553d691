package pins

import (
	"errors"
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/confidential-containers/release-tools/internal/yamledit"
)

// The kinds of [Place].
const (
	// KindKustomize is an images entry of a kustomization; Key is its name.
	KindKustomize = "kustomize"
	// KindYAML is a scalar of a YAML file; Key is its dotted path ("image.tag").
	KindYAML = "yaml"
	// KindLine is one line of any file; Pattern finds it and captures the tag.
	KindLine = "line"
)

// Place is one place that holds the image tag. A repository's release.yaml
// lists its places with these keys:
//
//	places:
//	  - kind: yaml
//	    file: src/cloud-api-adaptor/install/charts/peerpods/providers/*.yaml
//	    key: image.tag
//	    template: <sha>-dev
//	    optional: true
type Place struct {
	// Kind is KindKustomize, KindYAML or KindLine.
	Kind string `yaml:"kind"`
	// File is the file, a slash path relative to the repository root. It
	// may be a glob in the syntax of [path.Match]: "charts/*/values.yaml".
	File string `yaml:"file"`
	// Key is, for YAML, the dotted path of the value ("image.tag"); for
	// Kustomize, the name of the images entry ("cloud-api-adaptor").
	Key string `yaml:"key,omitempty"`
	// Pattern is, for Line, a Go regexp with exactly one capture group, the
	// tag. It is matched against each line without its line break and must
	// match exactly one.
	Pattern string `yaml:"pattern,omitempty"`
	// Template is the tag a release writes here: TemplateSHA (the default
	// when empty), TemplateSHADev or TemplateDevSHA.
	Template string `yaml:"template,omitempty"`
	// Optional, for a glob File, skips a file that lacks the key, entry or
	// line instead of failing. At least one file must still hold it.
	Optional bool `yaml:"optional,omitempty"`
}

// String names the place for messages: "yaml image.tag in values.yaml".
func (p Place) String() string {
	what := p.Key
	if p.Kind == KindLine {
		what = fmt.Sprintf("%q", p.Pattern)
	}
	return fmt.Sprintf("%s %s in %s", p.Kind, what, p.File)
}

// glob reports whether p.File is a glob rather than one file.
func (p Place) glob() bool { return strings.ContainsAny(p.File, `*?[\`) }

// Validate reports every problem of p at once, each saying what is wrong
// and how to write it. [ReadBytes], [SetBytes], [Files], [Read] and [Set]
// call it first.
func (p Place) Validate() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("pins: place %s: "+format, append([]any{p}, args...)...))
	}
	switch p.Kind {
	case "":
		bad("no kind: write kind: yaml (a dotted key), kustomize (an images entry name) or line (a regexp)")
	case KindYAML, KindKustomize, KindLine:
	default:
		bad("unknown kind %q: write yaml, kustomize or line", p.Kind)
	}
	if msg := checkFile(p.File); msg != "" {
		bad("file: %s", msg)
	}
	switch p.Kind {
	case KindYAML:
		if p.Key == "" {
			bad("no key: write the dotted path of the tag, such as key: image.tag")
		} else if _, err := yamledit.ParsePath(p.Key); err != nil {
			bad("key: %v", err)
		}
	case KindKustomize:
		if p.Key == "" {
			bad("no key: write the name of the images entry, such as key: cloud-api-adaptor")
		}
	case KindLine:
		if p.Key != "" {
			bad("key %q is for yaml and kustomize places: a line place finds its tag with pattern", p.Key)
		}
		if p.Pattern == "" {
			bad(`no pattern: write a regexp with one capture group for the tag, such as pattern: 'tag: \\"(.*)\\"'`)
		} else if re, err := regexp.Compile(p.Pattern); err != nil {
			bad("pattern: %v", err)
		} else if n := re.NumSubexp(); n != 1 {
			bad("pattern %q has %d capture groups: write exactly one, around the tag, and (?:...) for any other group", p.Pattern, n)
		}
	}
	if (p.Kind == KindYAML || p.Kind == KindKustomize) && p.Pattern != "" {
		bad("pattern is for line places: a %s place finds its tag with key", p.Kind)
	}
	switch p.Template {
	case "", TemplateSHA, TemplateSHADev, TemplateDevSHA:
	default:
		bad("unknown template %q: write %s (the default), %s or %s", p.Template, TemplateSHA, TemplateSHADev, TemplateDevSHA)
	}
	if p.Optional && !p.glob() && p.File != "" {
		bad("optional applies to a glob: a single file must hold the tag (drop optional, or the place)")
	}
	return errors.Join(errs...)
}

// checkFile returns what is wrong with a place's file, or "".
func checkFile(f string) string {
	switch {
	case f == "":
		return "empty: write a slash path relative to the repository root, such as src/webhook/chart/values.yaml"
	case strings.HasPrefix(f, "/"):
		return fmt.Sprintf("%q is absolute: write it relative to the repository root", f)
	case path.Clean(f) != f:
		return fmt.Sprintf("%q is not clean: write %q", f, path.Clean(f))
	}
	for _, e := range strings.Split(f, "/") {
		if e == ".." {
			return fmt.Sprintf("%q leaves the repository: remove the '..'", f)
		}
	}
	if f == "." {
		return `"." is the repository, not a file`
	}
	if _, err := path.Match(f, ""); err != nil {
		return fmt.Sprintf("%q is not a valid glob (%v): see Go's path.Match", f, err)
	}
	return ""
}
