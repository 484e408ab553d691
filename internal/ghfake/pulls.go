package ghfake

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/go-github/v84/github"
)

// NewPull is the body of a request to open a pull request.
type NewPull struct {
	Title, Head, Base, Body string
	Draft                   bool
}

// pulls serves GET pulls (filtered by state, head and base, newest
// first), POST pulls (refused while an open one has the same head and
// base, as GitHub does) and PATCH pulls/<number>.
func (f *Server) pulls(w http.ResponseWriter, r *http.Request, repo, number string) {
	owner, _, _ := strings.Cut(repo, "/")
	switch {
	case r.Method == "GET" && number == "":
		q := r.URL.Query()
		state := q.Get("state")
		if state == "" {
			state = "open"
		}
		out := []*github.PullRequest{}
		for _, p := range slices.Backward(f.Pulls) {
			switch {
			case state != "all" && p.GetState() != state:
			case q.Get("head") != "" && p.GetHead().GetLabel() != q.Get("head"):
			case q.Get("base") != "" && p.GetBase().GetRef() != q.Get("base"):
			default:
				out = append(out, p)
			}
		}
		json.NewEncoder(w).Encode(out)
		if f.Race != nil {
			f.Pulls, f.Race = append(f.Pulls, f.Race), nil
		}
	case r.Method == "POST" && number == "":
		var body NewPull
		json.NewDecoder(r.Body).Decode(&body)
		f.CreatedPulls = append(f.CreatedPulls, body)
		label := body.Head
		if !strings.Contains(label, ":") {
			label = owner + ":" + label
		}
		for _, p := range f.Pulls {
			if p.GetState() == "open" && p.GetHead().GetLabel() == label && p.GetBase().GetRef() == body.Base {
				w.WriteHeader(http.StatusUnprocessableEntity)
				json.NewEncoder(w).Encode(map[string]any{"message": "Validation Failed", "errors": []map[string]string{
					{"resource": "PullRequest", "code": "custom", "message": "A pull request already exists for " + label + "."}}})
				return
			}
		}
		n := len(f.Pulls) + 1
		_, branch, _ := strings.Cut(label, ":")
		p := &github.PullRequest{
			Number: github.Ptr(n), State: github.Ptr("open"), Title: github.Ptr(body.Title), Body: github.Ptr(body.Body),
			Draft: github.Ptr(body.Draft), Merged: github.Ptr(false),
			Head:    &github.PullRequestBranch{Label: github.Ptr(label), Ref: github.Ptr(branch)},
			Base:    &github.PullRequestBranch{Label: github.Ptr(owner + ":" + body.Base), Ref: github.Ptr(body.Base)},
			HTMLURL: github.Ptr("https://github.com/" + repo + "/pull/" + strconv.Itoa(n)),
		}
		f.Pulls = append(f.Pulls, p)
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(p)
	case r.Method == "PATCH":
		n, _ := strconv.Atoi(number)
		if n < 1 || n > len(f.Pulls) {
			f.fail(w, r, http.StatusNotFound, "Not Found")
			return
		}
		var body map[string]any
		json.NewDecoder(r.Body).Decode(&body)
		f.EditedPulls = append(f.EditedPulls, body)
		p := f.Pulls[n-1]
		if s, ok := body["body"].(string); ok {
			p.Body = github.Ptr(s)
		}
		if s, ok := body["title"].(string); ok {
			p.Title = github.Ptr(s)
		}
		json.NewEncoder(w).Encode(p)
	default:
		f.fail(w, r, http.StatusNotFound, "Not Found")
	}
}

// Merge marks pull request number merged at the commit sha, as merging
// it on GitHub would; it holds Mu itself.
func (f *Server) Merge(number int, sha string) {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	p := f.Pulls[number-1]
	p.State, p.Merged, p.MergedAt = github.Ptr("closed"), github.Ptr(true), &github.Timestamp{Time: time.Now()}
	p.Head.SHA = github.Ptr(sha)
}
