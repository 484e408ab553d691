package ghfake

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/google/go-github/v84/github"
)

// WorkflowRun is a workflow run of the fake repository with its jobs.
type WorkflowRun struct {
	Run  *github.WorkflowRun
	Jobs []*github.WorkflowJob
}

// NewRun is a workflow run that event started on sha, named name, in
// status (and conclusion, once "completed"), with one job per name in
// jobs, each in the run's status and conclusion; a test changes a job's
// Status and Conclusion for a failed one. Pages are under
// https://github.com/o/r/actions/runs/<id>(/job/<id>).
func NewRun(id int64, name, event, sha, status, conclusion string, jobs ...string) *WorkflowRun {
	page := "https://github.com/o/r/actions/runs/" + strconv.FormatInt(id, 10)
	r := &WorkflowRun{Run: &github.WorkflowRun{
		ID: github.Ptr(id), Name: github.Ptr(name), Event: github.Ptr(event), HeadSHA: github.Ptr(sha),
		Status: github.Ptr(status), HTMLURL: github.Ptr(page), RunAttempt: github.Ptr(1),
	}}
	if conclusion != "" {
		r.Run.Conclusion = github.Ptr(conclusion)
	}
	for i, j := range jobs {
		jid := id*100 + int64(i) + 1
		job := &github.WorkflowJob{
			ID: github.Ptr(jid), RunID: github.Ptr(id), Name: github.Ptr(j), Status: github.Ptr(status), HeadSHA: github.Ptr(sha),
			HTMLURL: github.Ptr(page + "/job/" + strconv.FormatInt(jid, 10)),
		}
		if conclusion != "" {
			job.Conclusion = github.Ptr(conclusion)
		}
		r.Jobs = append(r.Jobs, job)
	}
	return r
}

// serveMore answers the operations of runs, jobs and issue comments; it
// reports false for any other request, which [Server.serve] answers.
func (f *Server) serveMore(w http.ResponseWriter, r *http.Request, op string, params map[string]string) bool {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	switch op {
	case "actions/list-workflow-runs-for-repo", "actions/list-jobs-for-workflow-run", "issues/list-comments", "issues/create-comment":
	default:
		return false
	}
	f.Paths = append(f.Paths, r.Method+" "+r.URL.Path)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	if r.Header.Get("Authorization") != "Bearer "+Token {
		f.fail(w, r, http.StatusUnauthorized, "Bad credentials")
		return true
	}
	if !f.RunsLimitedUntil.IsZero() && time.Now().Before(f.RunsLimitedUntil) {
		w.Header().Set("X-RateLimit-Limit", "5000")
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(f.RunsLimitedUntil.Unix(), 10))
		f.fail(w, r, http.StatusForbidden, "API rate limit exceeded for user ID 1.")
		return true
	}
	if f.SecondaryLimit > 0 {
		f.SecondaryLimit--
		w.Header().Set("Retry-After", "1")
		w.WriteHeader(http.StatusForbidden)
		json.NewEncoder(w).Encode(map[string]string{
			"message":           "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
			"documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
		})
		return true
	}
	q := r.URL.Query()
	switch op {
	case "actions/list-workflow-runs-for-repo":
		out := &github.WorkflowRuns{WorkflowRuns: []*github.WorkflowRun{}}
		for i := len(f.Runs) - 1; i >= 0; i-- {
			run := f.Runs[i].Run
			if (q.Get("event") == "" || run.GetEvent() == q.Get("event")) && (q.Get("head_sha") == "" || run.GetHeadSHA() == q.Get("head_sha")) {
				out.WorkflowRuns = append(out.WorkflowRuns, run)
			}
		}
		out.TotalCount = github.Ptr(len(out.WorkflowRuns))
		json.NewEncoder(w).Encode(out)
	case "actions/list-jobs-for-workflow-run":
		id, _ := strconv.ParseInt(params["run_id"], 10, 64)
		for _, run := range f.Runs {
			if run.Run.GetID() == id {
				json.NewEncoder(w).Encode(&github.Jobs{TotalCount: github.Ptr(len(run.Jobs)), Jobs: append([]*github.WorkflowJob{}, run.Jobs...)})
				return true
			}
		}
		f.fail(w, r, http.StatusNotFound, "Not Found")
	case "issues/list-comments":
		key := params["owner"] + "/" + params["repo"] + "#" + params["issue_number"]
		json.NewEncoder(w).Encode(append([]*github.IssueComment{}, f.Comments[key]...))
	case "issues/create-comment":
		var body struct {
			Body string `json:"body"`
		}
		json.NewDecoder(r.Body).Decode(&body)
		key := params["owner"] + "/" + params["repo"] + "#" + params["issue_number"]
		if f.Comments == nil {
			f.Comments = map[string][]*github.IssueComment{}
		}
		id := int64(len(f.Comments[key]) + 1)
		c := &github.IssueComment{
			ID: github.Ptr(id), Body: github.Ptr(body.Body),
			HTMLURL: github.Ptr("https://github.com/" + strings.Replace(key, "#", "/issues/", 1) + "#issuecomment-" + strconv.FormatInt(id, 10)),
		}
		f.Comments[key] = append(f.Comments[key], c)
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(c)
	}
	return true
}
