package ghspec_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/confidential-containers/release-tools/internal/ghspec"
)

// fuzzChecks are the checks FuzzCheck runs a document through: request
// bodies (status 0) and answers of a few operations of the description.
var fuzzChecks = []struct {
	method, target string
	status         int
}{
	{"POST", "/repos/o/r/releases", 0},
	{"PUT", "/repos/o/r/branches/main/protection", 0},
	{"POST", "/repos/o/r/releases/generate-notes", 0},
	{"PATCH", "/repos/o/r/pulls/1", 0},
	{"GET", "/repos/o/r/actions/runs", 200},
	{"GET", "/repos/o/r/releases/latest", 200},
	{"GET", "/repos/o/r/branches/main/protection", 200},
	{"GET", "/repos/o/r/pulls/1", 200},
}

// FuzzCheck: checking any document as a request body or an answer never
// panics; a document that is not JSON is refused; the verdict names the
// operation, is the same twice over and depends on the value only, not
// on how its JSON is spelled.
func FuzzCheck(f *testing.F) {
	for i, body := range []string{
		`{"tag_name":"v1.0.0","previous_tag_name":"v0.9.0"}`,
		`{"previous_tag_name":"v0.9.0"}`,
		`{"tag_name":"v1","draft":"no"}`,
		`{"tag_name":"v1","make_latest":"yes"}`,
		`{"required_status_checks":{"strict":true,"checks":[{"context":"e2e","app_id":null}]},"enforce_admins":null,"required_pull_request_reviews":null,"restrictions":null}`,
		`{"required_status_checks":{"strict":true,"checks":[{"context":"e2e","app_id":-1}]},"enforce_admins":null,"required_pull_request_reviews":null,"restrictions":null}`,
		`{"required_status_checks":{"strict":true,"contexts":[],"checks":[{"context":"e2e"}]},"enforce_admins":null,"required_pull_request_reviews":null,"restrictions":null}`,
		`{"total_count":0,"workflow_runs":[]}`,
		`{"total_count":"0","workflow_runs":[{"id":1.5,"status":null}]}`,
		`{"message":"Bad credentials"}`,
		`[1, "a", null, true, {"x": [{}]}]`,
		`{"a": 1e400}`,
		``, `null`, `{`, "\ufeff{}",
	} {
		f.Add(uint8(i), []byte(body))
	}
	s := ghspec.Load()
	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		c := fuzzChecks[int(which)%len(fuzzChecks)]
		op, params := s.Match(c.method, strings.SplitN(c.target, "?", 2)[0])
		if op == nil {
			t.Fatalf("no operation for %s %s", c.method, c.target)
		}
		check := func(body []byte) error {
			if c.status != 0 {
				return op.CheckResponse(c.status, body)
			}
			return op.CheckRequest(httptest.NewRequest(c.method, c.target, nil), params, body)
		}
		err := check(body)
		if again := check(body); fmt.Sprint(again) != fmt.Sprint(err) {
			t.Fatalf("%s: %q: two verdicts:\n%v\n%v", op.ID, body, err, again)
		}
		var v any
		if jerr := json.Unmarshal(body, &v); jerr != nil {
			if err == nil && (c.status != 0 || len(bytes.TrimSpace(body)) > 0) {
				t.Fatalf("%s: %q is not JSON (%v), yet it passes", op.ID, body, jerr)
			}
			return
		}
		if err != nil && !strings.Contains(err.Error(), op.ID) {
			t.Fatalf("%s: %v does not name the operation", op.ID, err)
		}
		respelled, merr := json.MarshalIndent(v, "", "  ")
		if merr != nil {
			t.Fatal(merr)
		}
		if other := check(respelled); fmt.Sprint(other) != fmt.Sprint(err) {
			t.Fatalf("%s: %q and %q are the same value, but:\n%v\n%v", op.ID, body, respelled, err, other)
		}
	})
}

// FuzzCheckQuery: checking any value of an integer query parameter never
// panics, and a value it takes is a JSON number without a fraction.
func FuzzCheckQuery(f *testing.F) {
	for _, v := range []string{"1", "100", "many", "1.5", "-1", "1e2", "0x10", ""} {
		f.Add(v)
	}
	s := ghspec.Load()
	op, params := s.Match("GET", "/repos/o/r/releases")
	f.Fuzz(func(t *testing.T, value string) {
		r := httptest.NewRequest("GET", "/repos/o/r/releases", nil)
		r.URL.RawQuery = url.Values{"per_page": {value}}.Encode()
		if op.CheckRequest(r, params, nil) != nil {
			return
		}
		var v any
		_ = json.Unmarshal([]byte(value), &v) // v stays nil when it is not JSON
		if n, ok := v.(float64); !ok || n != math.Trunc(n) {
			t.Fatalf("per_page=%q passes as an integer", value)
		}
	})
}
