// Package ghfake is a fake GitHub REST API served in the process, for the
// tests and the demo.
package ghfake

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/go-github/v84/github"
)

// Token is the only token the fake accepts.
const Token = "ghp_TESTTOKEN0123456789abcdefghijklmnopqr"

// Server serves the few GitHub endpoints the release tools use, under
// /api/v3/repos/<owner>/<repo>/ as GitHub Enterprise does: the release
// list (two per page, to exercise paging), generate-notes, create, edit
// (its draft flag), the
// branch protection get and update, and the pull requests' list (by head,
// base and state), create and edit. It records the requests' bodies. Hold
// Mu to read or change its fields while it serves.
type Server struct {
	Mu         sync.Mutex
	Releases   []*github.RepositoryRelease
	Protection map[string]*github.Protection // by branch; absent: not protected
	Admin      bool                          // else protection answers 403
	Echo       bool                          // errors quote the Authorization header, as a hostile server might
	DropSigs   bool                          // an update drops required signatures
	FailCreate bool                          // creating a release fails
	// CreateStatus, when set, is the status creating a release answers:
	// 404 is GitHub's to a token without the workflow permission whose
	// release would tag a commit that changes .github/workflows.
	CreateStatus int
	// RateLimitReset, when set, makes every request fail as GitHub does
	// when the rate limit is exhausted: 403, X-RateLimit-Remaining: 0 and
	// X-RateLimit-Reset this time.
	RateLimitReset time.Time

	// Pulls are the pull requests, oldest first; a test marks one merged
	// by setting its State "closed", Merged and MergedAt.
	Pulls []*github.PullRequest
	// Race, when set, is a pull request another run opens right after the
	// next list of pull requests is answered: it joins Pulls then.
	Race *github.PullRequest

	Notes   []github.GenerateNotesOptions
	Created []map[string]any
	// Edited are the bodies of the edits of releases (PATCH
	// releases/<id>), which publish a draft.
	Edited []map[string]any
	Puts   []map[string]any
	// CreatedPulls are the pull requests asked for; EditedPulls the edits'
	// bodies.
	CreatedPulls []NewPull
	EditedPulls  []map[string]any
	Paths        []string
	// Runs are the workflow runs with their jobs, oldest first; Comments
	// the issue comments by "owner/repo#number", oldest first.
	Runs     []*WorkflowRun
	Comments map[string][]*github.IssueComment
	// SecondaryLimit is how many of the next requests for runs, jobs or
	// comments are answered as GitHub's secondary rate limit (403 with
	// Retry-After: 1).
	SecondaryLimit int
	// RunsLimitedUntil, when set, answers requests for runs, jobs or
	// comments as GitHub's exhausted primary rate limit until that time
	// (403, X-RateLimit-Remaining: 0, X-RateLimit-Reset), then as usual.
	RunsLimitedUntil time.Time

	// Ops are the operations served (GitHub's operationId, such as
	// "repos/create-release"), in order; Invalid the requests GitHub's
	// description refuses, and BadAnswers the fake's answers it does not
	// describe, each with why ([Server.ServeHTTP]).
	Ops, Invalid, BadAnswers []string
}

// Start serves f until the test ends and returns its URL, the API URL to
// give the client. t is a testing.TB (the package does not import testing:
// the demo serves the fake too).
func Start(t interface {
	Helper()
	Cleanup(func())
}, f *Server) string {
	t.Helper()
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	if e, ok := t.(interface{ Errorf(string, ...any) }); ok {
		t.Cleanup(func() {
			f.Mu.Lock()
			defer f.Mu.Unlock()
			for _, s := range f.Invalid {
				e.Errorf("ghfake: a request GitHub would refuse: %s", s)
			}
			for _, s := range f.BadAnswers {
				e.Errorf("ghfake: an answer GitHub would not give: %s", s)
			}
		})
	}
	return srv.URL
}

func (f *Server) fail(w http.ResponseWriter, r *http.Request, code int, msg string) {
	if f.Echo {
		msg += " (you sent " + r.Header.Get("Authorization") + ")"
	}
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(map[string]string{"message": msg, "documentation_url": "https://docs.github.com/rest"})
}

// serve answers r; [Server.ServeHTTP] checks it against GitHub's
// description first.
func (f *Server) serve(w http.ResponseWriter, r *http.Request) {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	f.Paths = append(f.Paths, r.Method+" "+r.URL.Path)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	if !f.RateLimitReset.IsZero() {
		w.Header().Set("X-RateLimit-Limit", "5000")
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(f.RateLimitReset.Unix(), 10))
		f.fail(w, r, http.StatusForbidden, "API rate limit exceeded for user ID 1.")
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+Token {
		f.fail(w, r, http.StatusUnauthorized, "Bad credentials")
		return
	}
	rest, ok := strings.CutPrefix(r.URL.Path, "/api/v3/repos/")
	parts := strings.SplitN(rest, "/", 3)
	if !ok || len(parts) < 3 {
		f.fail(w, r, http.StatusNotFound, "Not Found")
		return
	}
	repo, path := parts[0]+"/"+parts[1], parts[2]
	switch {
	case r.Method == "GET" && path == "releases":
		f.list(w, r)
	case r.Method == "POST" && path == "releases/generate-notes":
		var o github.GenerateNotesOptions
		json.NewDecoder(r.Body).Decode(&o)
		f.Notes = append(f.Notes, o)
		from := "the start"
		if o.PreviousTagName != nil {
			from = *o.PreviousTagName
		}
		json.NewEncoder(w).Encode(github.RepositoryReleaseNotes{Name: o.TagName, Body: "## What's Changed\n* everything from " + from + " to " + o.TagName})
	case r.Method == "POST" && path == "releases":
		var body map[string]any
		json.NewDecoder(r.Body).Decode(&body)
		f.Created = append(f.Created, body)
		if f.FailCreate {
			f.fail(w, r, http.StatusBadGateway, "Server Error")
			return
		}
		if f.CreateStatus != 0 {
			f.fail(w, r, f.CreateStatus, http.StatusText(f.CreateStatus))
			return
		}
		for _, rel := range f.Releases {
			if rel.GetTagName() == body["tag_name"] {
				w.WriteHeader(http.StatusUnprocessableEntity)
				fmt.Fprint(w, `{"message":"Validation Failed","errors":[{"resource":"Release","code":"already_exists","field":"tag_name"}]}`)
				return
			}
		}
		rel := &github.RepositoryRelease{
			ID: github.Ptr(int64(len(f.Releases) + 1)), TagName: github.Ptr(body["tag_name"].(string)),
			TargetCommitish: github.Ptr(body["target_commitish"].(string)), Name: github.Ptr(body["name"].(string)),
			Prerelease: github.Ptr(body["prerelease"].(bool)), Draft: github.Ptr(false),
			HTMLURL: github.Ptr("https://github.com/" + repo + "/releases/tag/" + body["tag_name"].(string)),
		}
		f.Releases = append([]*github.RepositoryRelease{rel}, f.Releases...)
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(rel)
	case r.Method == "PATCH" && strings.HasPrefix(path, "releases/"):
		var body map[string]any
		json.NewDecoder(r.Body).Decode(&body)
		f.Edited = append(f.Edited, body)
		for _, rel := range f.Releases {
			if strconv.FormatInt(rel.GetID(), 10) == strings.TrimPrefix(path, "releases/") {
				if d, ok := body["draft"].(bool); ok {
					rel.Draft = github.Ptr(d)
				}
				json.NewEncoder(w).Encode(rel)
				return
			}
		}
		f.fail(w, r, http.StatusNotFound, "Not Found")
	case path == "pulls" || strings.HasPrefix(path, "pulls/"):
		f.pulls(w, r, repo, strings.TrimPrefix(strings.TrimPrefix(path, "pulls"), "/"))
	case strings.HasPrefix(path, "branches/") && strings.HasSuffix(path, "/protection"):
		f.protect(w, r, strings.TrimSuffix(strings.TrimPrefix(path, "branches/"), "/protection"))
	default:
		f.fail(w, r, http.StatusNotFound, "Not Found")
	}
}

func (f *Server) list(w http.ResponseWriter, r *http.Request) {
	const size = 2
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	page = max(page, 1)
	lo, hi := min((page-1)*size, len(f.Releases)), min(page*size, len(f.Releases))
	if hi < len(f.Releases) {
		next := *r.URL
		q := next.Query()
		q.Set("page", strconv.Itoa(page+1))
		next.RawQuery = q.Encode()
		w.Header().Set("Link", fmt.Sprintf(`<http://%s%s>; rel="next"`, r.Host, next.String()))
	}
	json.NewEncoder(w).Encode(f.Releases[lo:hi])
}

func (f *Server) protect(w http.ResponseWriter, r *http.Request, branch string) {
	if !f.Admin {
		f.fail(w, r, http.StatusForbidden, "Must have admin rights to Repository.")
		return
	}
	switch r.Method {
	case "GET":
		p, ok := f.Protection[branch]
		if !ok {
			f.fail(w, r, http.StatusNotFound, "Branch not protected")
			return
		}
		json.NewEncoder(w).Encode(p)
	case "PUT":
		var body map[string]any
		data, _ := io.ReadAll(r.Body)
		json.Unmarshal(data, &body)
		f.Puts = append(f.Puts, body)
		var req github.ProtectionRequest
		json.Unmarshal(data, &req)
		p := protectionOf(&req)
		if old, ok := f.Protection[branch]; ok && !f.DropSigs {
			p.RequiredSignatures = old.RequiredSignatures
		}
		f.Protection[branch] = p
		json.NewEncoder(w).Encode(p)
	default:
		f.fail(w, r, http.StatusMethodNotAllowed, "no")
	}
}

// protectionOf is the protection GitHub stores for an update request.
func protectionOf(q *github.ProtectionRequest) *github.Protection {
	users := func(ls []string) []*github.User {
		var out []*github.User
		for _, l := range ls {
			out = append(out, &github.User{Login: github.Ptr(l)})
		}
		return out
	}
	teams := func(ls []string) []*github.Team {
		var out []*github.Team
		for _, l := range ls {
			out = append(out, &github.Team{Slug: github.Ptr(l)})
		}
		return out
	}
	apps := func(ls []string) []*github.App {
		var out []*github.App
		for _, l := range ls {
			out = append(out, &github.App{Slug: github.Ptr(l)})
		}
		return out
	}
	if s := q.RequiredStatusChecks; s != nil && s.Checks != nil {
		// GitHub lists a check any app may set (app_id -1) with app_id null.
		for _, c := range *s.Checks {
			if c.AppID != nil && *c.AppID == -1 {
				c.AppID = nil
			}
		}
	}
	p := &github.Protection{
		RequiredStatusChecks:           q.RequiredStatusChecks,
		EnforceAdmins:                  &github.AdminEnforcement{Enabled: q.EnforceAdmins},
		RequireLinearHistory:           &github.RequireLinearHistory{Enabled: q.RequireLinearHistory != nil && *q.RequireLinearHistory},
		AllowForcePushes:               &github.AllowForcePushes{Enabled: q.AllowForcePushes != nil && *q.AllowForcePushes},
		AllowDeletions:                 &github.AllowDeletions{Enabled: q.AllowDeletions != nil && *q.AllowDeletions},
		RequiredConversationResolution: &github.RequiredConversationResolution{Enabled: q.RequiredConversationResolution != nil && *q.RequiredConversationResolution},
		BlockCreations:                 &github.BlockCreations{Enabled: q.BlockCreations},
		LockBranch:                     &github.LockBranch{Enabled: q.LockBranch},
		AllowForkSyncing:               &github.AllowForkSyncing{Enabled: q.AllowForkSyncing},
		RequiredSignatures:             &github.SignaturesProtectedBranch{Enabled: github.Ptr(false)},
	}
	if v := q.RequiredPullRequestReviews; v != nil {
		p.RequiredPullRequestReviews = &github.PullRequestReviewsEnforcement{
			DismissStaleReviews: v.DismissStaleReviews, RequireCodeOwnerReviews: v.RequireCodeOwnerReviews,
			RequiredApprovingReviewCount: v.RequiredApprovingReviewCount, RequireLastPushApproval: v.RequireLastPushApproval != nil && *v.RequireLastPushApproval,
		}
		if b := v.BypassPullRequestAllowancesRequest; b != nil {
			p.RequiredPullRequestReviews.BypassPullRequestAllowances = &github.BypassPullRequestAllowances{Users: users(b.Users), Teams: teams(b.Teams), Apps: apps(b.Apps)}
		}
		if d := v.DismissalRestrictionsRequest; d != nil {
			p.RequiredPullRequestReviews.DismissalRestrictions = &github.DismissalRestrictions{Users: users(*d.Users), Teams: teams(*d.Teams), Apps: apps(*d.Apps)}
		}
	}
	if x := q.Restrictions; x != nil {
		p.Restrictions = &github.BranchRestrictions{Users: users(x.Users), Teams: teams(x.Teams), Apps: apps(x.Apps)}
	}
	return p
}

// Rel is a release of the fake repository.
func Rel(tag string, draft bool) *github.RepositoryRelease {
	return &github.RepositoryRelease{
		ID: github.Ptr(int64(len(tag))), TagName: github.Ptr(tag), Name: github.Ptr(tag), TargetCommitish: github.Ptr("main"),
		Draft: github.Ptr(draft), Prerelease: github.Ptr(strings.Contains(tag, "-")),
		HTMLURL: github.Ptr("https://github.com/o/r/releases/tag/" + tag),
	}
}
