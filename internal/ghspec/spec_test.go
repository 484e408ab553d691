package ghspec_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/ghspec"
)

func TestCheckRequest(t *testing.T) {
	for _, tc := range []struct {
		name, method, target, body string
		want                       string // "" for valid
	}{
		{"valid notes", "POST", "/repos/o/r/releases/generate-notes", `{"tag_name":"v1.0.0","previous_tag_name":"v0.9.0"}`, ""},
		{"a required field missing", "POST", "/repos/o/r/releases/generate-notes", `{"previous_tag_name":"v0.9.0"}`, `body lacks the required field "tag_name"`},
		{"a wrong type", "POST", "/repos/o/r/releases", `{"tag_name":"v1","draft":"no"}`, `body.draft is the string "no", want boolean`},
		{"a value outside the enum", "POST", "/repos/o/r/releases", `{"tag_name":"v1","make_latest":"yes"}`, `body.make_latest is yes, not one of`},
		{"a query parameter it does not take", "GET", "/repos/o/r/releases?sort=x", ``, `query parameter "sort" is not one`},
		{"a query value outside the enum", "GET", "/repos/o/r/pulls?state=merged", ``, `query parameter state is merged, not one of`},
		{"an integer parameter that is not", "GET", "/repos/o/r/releases?per_page=many", ``, `per_page is the string "many", want integer`},
		{"an integer parameter that is not JSON's", "GET", "/repos/o/r/releases?per_page=NaN", ``, `per_page is the string "NaN", want integer`},
		{"a fraction without its 0", "GET", "/repos/o/r/releases?per_page=.5", ``, `per_page is the string ".5", want integer`},
		{"a number with a leading 0", "GET", "/repos/o/r/releases?per_page=00", ``, `per_page is the string "00", want integer`},
		{"null for a number", "GET", "/repos/o/r/releases?per_page=null", ``, `per_page is the string "null", want integer`},
		{"an integer parameter", "GET", "/repos/o/r/releases?per_page=100", ``, ""},
		{"null where the schema has none", "PUT", "/repos/o/r/branches/main/protection", `{"required_status_checks":{"strict":true,"checks":[{"context":"e2e","app_id":null}]},"enforce_admins":null,"required_pull_request_reviews":null,"restrictions":null}`, `app_id is null`},
		{"any source is app_id -1", "PUT", "/repos/o/r/branches/main/protection", `{"required_status_checks":{"strict":true,"checks":[{"context":"e2e","app_id":-1}]},"enforce_admins":null,"required_pull_request_reviews":null,"restrictions":null}`, ""},
		{"contexts and checks both", "PUT", "/repos/o/r/branches/main/protection", `{"required_status_checks":{"strict":true,"contexts":[],"checks":[{"context":"e2e"}]},"enforce_admins":null,"required_pull_request_reviews":null,"restrictions":null}`, `gives both of contexts and checks`},
		{"a body where none is taken", "GET", "/repos/o/r/actions/runs", `{"x":1}`, `takes no body`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(tc.method, tc.target, strings.NewReader(tc.body))
			op, params := ghspec.Load().Match(r.Method, r.URL.Path)
			require.NotNil(t, op)
			err := op.CheckRequest(r, params, []byte(tc.body))
			if tc.want == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorContains(t, err, tc.want)
		})
	}
}

func TestMatch(t *testing.T) {
	op, params := ghspec.Load().Match("GET", "/repos/o/r/releases/latest")
	require.Equal(t, "repos/get-latest-release", op.ID, "a literal segment wins over {release_id}")
	op, params = ghspec.Load().Match("GET", "/repos/o/r/actions/runs/42/jobs")
	require.Equal(t, "actions/list-jobs-for-workflow-run", op.ID)
	require.Equal(t, map[string]string{"owner": "o", "repo": "r", "run_id": "42"}, params)
	op, _ = ghspec.Load().Match("POST", "/repos/o/r/merges")
	require.Nil(t, op)
}

func TestCheckResponse(t *testing.T) {
	op, _ := ghspec.Load().Match("GET", "/repos/o/r/actions/runs")
	require.NoError(t, op.CheckResponse(200, []byte(`{"total_count":0,"workflow_runs":[]}`)))
	require.NoError(t, op.CheckResponse(401, []byte(`{"message":"Bad credentials"}`)), "any operation may answer 401")
	require.ErrorContains(t, op.CheckResponse(404, []byte(`{}`)), "status 404 is not one GitHub answers")
	require.ErrorContains(t, op.CheckResponse(200, []byte(`{"total_count":"0","workflow_runs":[]}`)), `total_count is the string "0", want integer`)
}
