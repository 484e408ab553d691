// Package ghspec is the part of GitHub's published REST description
// (OpenAPI 3, from @octokit/openapi, MIT: see LICENSE beside it) that the
// release tools speak, and a small validator of its JSON-schema subset:
// a request is checked against its operation's parameters and request
// body ([Operation.CheckRequest]), an answer against its documented
// status codes and schema ([Operation.CheckResponse]). The fake GitHub
// (internal/ghfake) checks every request it serves with it, so that
// "passes the fake" means "speaks GitHub" as far as GitHub's description
// says.
package ghspec

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
)

//go:embed github-rest-subset.json
var raw []byte

// Spec is GitHub's description: its operations, by method and path.
type Spec struct {
	doc map[string]any
	ops []*Operation
}

// Operation is one method on one path.
type Operation struct {
	ID, Method, Path string
	segs             []string
	op               map[string]any
	spec             *Spec
	extra            func(body any) []string // a rule of GitHub's the description lacks
}

var (
	once   sync.Once
	loaded *Spec
)

// Load returns the description embedded in the package (parsed once).
func Load() *Spec {
	once.Do(func() {
		var doc map[string]any
		if err := json.Unmarshal(raw, &doc); err != nil {
			panic("ghspec: the embedded description does not parse: " + err.Error())
		}
		s := &Spec{doc: doc}
		for path, v := range doc["paths"].(map[string]any) {
			for method, o := range v.(map[string]any) {
				m, ok := o.(map[string]any)
				if !ok || method == "parameters" {
					continue
				}
				id, _ := m["operationId"].(string)
				s.ops = append(s.ops, &Operation{ID: id, Method: strings.ToUpper(method), Path: path, segs: strings.Split(strings.Trim(path, "/"), "/"), op: m, spec: s})
			}
		}
		sort.Slice(s.ops, func(i, j int) bool { return s.ops[i].Path+s.ops[i].Method < s.ops[j].Path+s.ops[j].Method })
		s.divergences()
		loaded = s
	})
	return loaded
}

// Operations are every operation the description holds.
func (s *Spec) Operations() []*Operation { return s.ops }

// Match returns the operation of method on path ("/repos/o/r/releases",
// without the /api/v3 prefix of GitHub Enterprise) and the path's
// parameters; nil when GitHub's description has none. A literal segment
// wins over a parameter ("releases/latest" over "releases/{release_id}").
func (s *Spec) Match(method, path string) (*Operation, map[string]string) {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	var best *Operation
	var bestParams map[string]string
	bestLiterals := -1
	for _, o := range s.ops {
		if o.Method != method || len(o.segs) != len(segs) {
			continue
		}
		params, literals, ok := map[string]string{}, 0, true
		for i, seg := range o.segs {
			switch {
			case strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}"):
				params[seg[1:len(seg)-1]] = segs[i]
			case seg == segs[i]:
				literals++
			default:
				ok = false
			}
			if !ok {
				break
			}
		}
		if ok && literals > bestLiterals {
			best, bestParams, bestLiterals = o, params, literals
		}
	}
	return best, bestParams
}

// CheckRequest checks a request to o: its path and query parameters
// against their schemas (a required one missing, a wrong type, a value
// outside an enum, a query parameter the operation does not take) and
// its JSON body against the request body's schema. It returns every
// problem found, joined; nil when there is none.
func (o *Operation) CheckRequest(r *http.Request, pathParams map[string]string, body []byte) error {
	var problems []string
	known := map[string]bool{}
	for _, p := range o.params() {
		name, _ := p["name"].(string)
		in, _ := p["in"].(string)
		required, _ := p["required"].(bool)
		schema, _ := p["schema"].(map[string]any)
		var value string
		var present bool
		switch in {
		case "path":
			value, present = pathParams[name]
		case "query":
			known[name] = true
			present = r.URL.Query().Has(name)
			value = r.URL.Query().Get(name)
		default:
			continue
		}
		if !present {
			if required {
				problems = append(problems, fmt.Sprintf("%s parameter %q is required", in, name))
			}
			continue
		}
		problems = append(problems, o.spec.check(in+" parameter "+name, param(value, schema, o.spec), schema)...)
	}
	for name := range r.URL.Query() {
		if !known[name] {
			problems = append(problems, fmt.Sprintf("query parameter %q is not one %s takes", name, o.ID))
		}
	}
	rb, _ := o.spec.deref(o.op["requestBody"]).(map[string]any)
	schema := jsonSchema(o.spec, rb)
	switch {
	case rb == nil && len(strings.TrimSpace(string(body))) > 0:
		problems = append(problems, fmt.Sprintf("%s takes no body, got %d bytes", o.ID, len(body)))
	case rb != nil && len(strings.TrimSpace(string(body))) == 0:
		if req, _ := rb["required"].(bool); req {
			problems = append(problems, fmt.Sprintf("%s needs a JSON body", o.ID))
		}
	case rb != nil:
		var v any
		if err := json.Unmarshal(body, &v); err != nil {
			problems = append(problems, fmt.Sprintf("the body is not JSON: %v", err))
			break
		}
		problems = append(problems, o.spec.check("body", v, schema)...)
		if o.extra != nil {
			problems = append(problems, o.extra(v)...)
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("ghspec: %s %s (%s): %s", o.Method, o.Path, o.ID, strings.Join(problems, "; "))
	}
	return nil
}

// CheckResponse checks an answer of o: its status code is one GitHub
// documents for it, and a JSON body matches the documented schema.
func (o *Operation) CheckResponse(status int, body []byte) error {
	responses, _ := o.op["responses"].(map[string]any)
	resp, ok := responses[fmt.Sprint(status)]
	if !ok && anyOperation(status) {
		return nil
	}
	if !ok {
		var codes []string
		for c := range responses {
			codes = append(codes, c)
		}
		sort.Strings(codes)
		return fmt.Errorf("ghspec: %s %s (%s): status %d is not one GitHub answers (%s)", o.Method, o.Path, o.ID, status, strings.Join(codes, ", "))
	}
	schema := jsonSchema(o.spec, o.spec.deref(resp).(map[string]any))
	if schema == nil {
		return nil
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return fmt.Errorf("ghspec: %s %s (%s): the %d answer is not JSON: %v", o.Method, o.Path, o.ID, status, err)
	}
	if problems := o.spec.checkAs("answer", v, schema, true); len(problems) > 0 {
		return fmt.Errorf("ghspec: %s %s (%s): the %d answer: %s", o.Method, o.Path, o.ID, status, strings.Join(problems, "; "))
	}
	return nil
}

// anyOperation reports whether GitHub may answer status to any
// operation, documented there or not: bad credentials (401), a rate
// limit (403, 429) or a server error (5xx).
func anyOperation(status int) bool {
	return status == http.StatusUnauthorized || status == http.StatusForbidden || status == http.StatusTooManyRequests || status >= 500
}

func (o *Operation) params() []map[string]any {
	var out []map[string]any
	list, _ := o.op["parameters"].([]any)
	for _, p := range list {
		if m, ok := o.spec.deref(p).(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// jsonSchema is the application/json schema of a request body or
// response object; nil when it has none.
func jsonSchema(s *Spec, obj map[string]any) map[string]any {
	content, _ := obj["content"].(map[string]any)
	for mt, c := range content {
		if mt == "application/json" || strings.HasSuffix(mt, "+json") {
			cm, _ := c.(map[string]any)
			schema, _ := s.deref(cm["schema"]).(map[string]any)
			return schema
		}
	}
	return nil
}

// param is a parameter's string value as its schema's type reads it.
func param(value string, schema map[string]any, s *Spec) any {
	schema, _ = s.deref(schema).(map[string]any)
	switch schema["type"] {
	case "integer", "number":
		var v any // a JSON number: not NaN, Inf, 00, .5 or null
		if json.Unmarshal([]byte(value), &v) == nil {
			if f, ok := v.(float64); ok {
				return f
			}
		}
	case "boolean":
		switch value {
		case "true":
			return true
		case "false":
			return false
		}
	}
	return value
}
