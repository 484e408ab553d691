package ghfake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/confidential-containers/release-tools/internal/ghspec"
)

// ServeHTTP answers r as GitHub would, after checking it against GitHub's
// description (internal/ghspec): a request to an operation GitHub does
// not have, or one its request schema refuses (a required field missing,
// a wrong type, a value outside an enum, a query parameter it does not
// take), is recorded in Invalid and answered as GitHub answers one, 422
// "Invalid request" (404 for an unknown path). Each answer the fake gives
// is checked against the operation's documented status codes and schema,
// and a mismatch recorded in BadAnswers. Ops records the operations
// served, by operationId.
func (f *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	path := strings.TrimPrefix(r.URL.Path, "/api/v3")
	op, params := ghspec.Load().Match(r.Method, path)
	if op == nil {
		f.record(&f.Invalid, fmt.Sprintf("%s %s: no such operation in GitHub's description", r.Method, path))
		f.answer(w, http.StatusNotFound, map[string]string{"message": "Not Found", "documentation_url": "https://docs.github.com/rest"})
		return
	}
	f.record(&f.Ops, op.ID)
	if err := op.CheckRequest(r, params, body); err != nil && r.Header.Get("Authorization") == "Bearer "+Token {
		f.record(&f.Invalid, err.Error())
		f.answer(w, http.StatusUnprocessableEntity, map[string]string{"message": "Invalid request.\n\n" + err.Error(), "documentation_url": "https://docs.github.com/rest"})
		return
	}
	rec := httptest.NewRecorder()
	if !f.serveMore(rec, r, op.ID, params) {
		f.serve(rec, r)
	}
	answer := tidy(rec.Body.Bytes())
	if err := op.CheckResponse(rec.Code, answer); err != nil && f.RateLimitReset.IsZero() {
		f.record(&f.BadAnswers, err.Error())
	}
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.Header().Del("Content-Length")
	w.WriteHeader(rec.Code)
	w.Write(answer)
}

// tidy is a JSON answer of the fake as GitHub writes it: the go-github
// values the fake encodes write an unset field as null and an empty list
// as null, where GitHub leaves the field out and writes []. Anything
// that is not JSON is left as it is.
func tidy(data []byte) []byte {
	var v any
	if len(bytes.TrimSpace(data)) == 0 || json.Unmarshal(data, &v) != nil {
		return data
	}
	if v == nil {
		return []byte("[]\n")
	}
	out, err := json.Marshal(dropNulls(v))
	if err != nil {
		return data
	}
	return append(out, '\n')
}

func dropNulls(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if e == nil {
				delete(x, k)
			} else {
				x[k] = dropNulls(e)
			}
		}
	case []any:
		for i, e := range x {
			x[i] = dropNulls(e)
		}
	}
	return v
}

func (f *Server) record(to *[]string, s string) {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	*to = append(*to, s)
}

func (f *Server) answer(w http.ResponseWriter, code int, body any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(body)
}
