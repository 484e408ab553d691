package ghspec

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
)

// deref follows a "$ref" to the description's components.
func (s *Spec) deref(v any) any {
	for i := 0; i < 32; i++ {
		m, ok := v.(map[string]any)
		if !ok {
			return v
		}
		ref, ok := m["$ref"].(string)
		if !ok {
			return v
		}
		var cur any = s.doc
		for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
			cm, _ := cur.(map[string]any)
			cur = cm[part]
		}
		v = cur
	}
	return v
}

// check validates v at where against the subset of JSON schema GitHub's
// description uses: type (with nullable), enum, required, properties,
// additionalProperties, items, allOf, anyOf and oneOf. It returns the
// problems found.
func (s *Spec) check(where string, v any, schema map[string]any) []string {
	return s.checkAs(where, v, schema, false)
}

// checkAs is check; partial skips the required fields (an answer of the
// fake carries the fields the tool reads, each of the documented type).
func (s *Spec) checkAs(where string, v any, schema map[string]any, partial bool) []string {
	schema, _ = s.deref(schema).(map[string]any)
	if schema == nil {
		return nil
	}
	if v == nil {
		if nullable, _ := schema["nullable"].(bool); nullable || schema["type"] == nil && schema["anyOf"] == nil && schema["oneOf"] == nil {
			return nil
		}
		if t, _ := schema["type"].(string); t == "null" {
			return nil
		}
		if alts := alternatives(schema); alts != nil {
			for _, a := range alts {
				sub, _ := s.deref(a).(map[string]any)
				if len(s.checkAs(where, nil, sub, partial)) == 0 {
					return nil
				}
			}
		}
		return []string{fmt.Sprintf("%s is null, which the schema does not allow (want %s)", where, describe(schema))}
	}
	var problems []string
	if all, ok := schema["allOf"].([]any); ok {
		for _, a := range all {
			sub, _ := s.deref(a).(map[string]any)
			problems = append(problems, s.checkAs(where, v, sub, partial)...)
		}
	}
	if alts := alternatives(schema); alts != nil {
		matched := 0
		var first []string
		for _, a := range alts {
			sub, _ := s.deref(a).(map[string]any)
			p := s.checkAs(where, v, sub, partial)
			if len(p) == 0 {
				matched++
			} else if first == nil {
				first = p
			}
		}
		if matched == 0 {
			problems = append(problems, fmt.Sprintf("%s matches none of the schema's alternatives (the first says: %s)", where, strings.Join(first, "; ")))
		}
	}
	if t, ok := schema["type"].(string); ok && !hasType(v, t) {
		return append(problems, fmt.Sprintf("%s is %s, want %s", where, kind(v), t))
	}
	if enum, ok := schema["enum"].([]any); ok && !slices.ContainsFunc(enum, func(e any) bool { return e == v }) {
		problems = append(problems, fmt.Sprintf("%s is %v, not one of %v", where, v, enum))
	}
	switch x := v.(type) {
	case map[string]any:
		props, _ := schema["properties"].(map[string]any)
		if req, ok := schema["required"].([]any); ok && !partial {
			for _, r := range req {
				if _, ok := x[r.(string)]; !ok {
					problems = append(problems, fmt.Sprintf("%s lacks the required field %q", where, r))
				}
			}
		}
		names := make([]string, 0, len(x))
		for k := range x {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			if sub, ok := props[k].(map[string]any); ok {
				problems = append(problems, s.checkAs(where+"."+k, x[k], sub, partial)...)
				continue
			}
			switch ap := schema["additionalProperties"].(type) {
			case bool:
				if !ap {
					problems = append(problems, fmt.Sprintf("%s has the field %q, which the schema does not know", where, k))
				}
			case map[string]any:
				problems = append(problems, s.checkAs(where+"."+k, x[k], ap, partial)...)
			}
		}
	case []any:
		if items, ok := schema["items"].(map[string]any); ok {
			for i, e := range x {
				problems = append(problems, s.checkAs(fmt.Sprintf("%s[%d]", where, i), e, items, partial)...)
			}
		}
	}
	return problems
}

func alternatives(schema map[string]any) []any {
	if a, ok := schema["oneOf"].([]any); ok {
		return a
	}
	if a, ok := schema["anyOf"].([]any); ok {
		return a
	}
	return nil
}

func hasType(v any, t string) bool {
	switch t {
	case "object":
		_, ok := v.(map[string]any)
		return ok
	case "array":
		_, ok := v.([]any)
		return ok
	case "string":
		_, ok := v.(string)
		return ok
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "number":
		_, ok := v.(float64)
		return ok
	case "integer":
		f, ok := v.(float64)
		return ok && f == math.Trunc(f)
	case "null":
		return v == nil
	}
	return true
}

func kind(v any) string {
	switch x := v.(type) {
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case string:
		return fmt.Sprintf("the string %q", x)
	case bool:
		return fmt.Sprintf("the boolean %t", x)
	case float64:
		return fmt.Sprintf("the number %v", x)
	}
	return "null"
}

func describe(schema map[string]any) string {
	if t, ok := schema["type"].(string); ok {
		return t
	}
	return "a value"
}
