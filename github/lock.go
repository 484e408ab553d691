package github

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"

	gogithub "github.com/google/go-github/v84/github"
)

// LockState reports whether branch is locked (branch protection
// lock_branch, which makes the branch read-only). An unprotected branch is
// not locked. Reading the protection needs admin rights: without them the
// error wraps [ErrNeedsAdmin]. An error that wraps [ErrUnavailable] means
// GitHub could not be asked or gave no usable answer; a rate limit wraps
// [ErrRateLimited] too, never ErrNeedsAdmin. Either way the lock state is
// unknown, not "unlocked".
func (c *Client) LockState(ctx context.Context, branch string) (bool, error) {
	p, err := c.protection(ctx, branch)
	if err != nil {
		return false, err
	}
	return locked(p), nil
}

// Lock turns the lock of branch on or off and returns what it was before.
// Already as asked, it changes nothing.
//
// GitHub's update replaces the whole protection, so Lock reads it and
// sends every setting back as it was, with only lock_branch changed:
// status checks (as checks with their app ids when GitHub lists them,
// contexts otherwise), pull request reviews with their dismissal and
// bypass lists, admin enforcement, push restrictions, linear history,
// force pushes, deletions, conversation resolution, block creations and
// fork syncing. What the request cannot carry: required signatures, which
// have an endpoint of their own, and rulesets, which are separate from
// branch protection and left alone. Lock compares the protection GitHub
// answers with the one it read, signatures included, and returns an error
// naming any setting that changed besides the lock.
//
// An unprotected branch gets a protection with the lock only; unlocking
// an unprotected branch is a no-op. Without admin rights the error wraps
// [ErrNeedsAdmin]. before is valid whenever the protection could be read,
// also when the update then fails.
func (c *Client) Lock(ctx context.Context, branch string, on bool) (before bool, err error) {
	p, err := c.protection(ctx, branch)
	if err != nil {
		return false, err
	}
	before = locked(p)
	if before == on {
		return before, nil
	}
	if p == nil {
		p = &gogithub.Protection{}
	}
	want := request(p)
	want.LockBranch = &on
	got, resp, err := c.gh.Repositories.UpdateBranchProtection(ctx, c.owner, c.repo, branch, want)
	if err := c.protectionError(fmt.Sprintf("update the protection of branch %q of %s", branch, c.Repo()), resp, err); err != nil {
		return before, err
	}
	changed, err := differences(want, request(got))
	if err != nil {
		return before, fmt.Errorf("github: branch %q of %s: lock set to %t, but the settings GitHub reports could not be compared (%w); check them in the repository's branch settings", branch, c.Repo(), on, err)
	}
	if p.RequiredSignatures.GetEnabled() != got.RequiredSignatures.GetEnabled() || len(changed) > 0 {
		if p.RequiredSignatures.GetEnabled() != got.RequiredSignatures.GetEnabled() {
			changed = append(changed, "required_signatures")
		}
		return before, fmt.Errorf("github: branch %q of %s: lock set to %t, but GitHub now reports other settings changed: %s; check them in the repository's branch settings", branch, c.Repo(), on, strings.Join(changed, ", "))
	}
	return before, nil
}

// protection reads the protection of branch; nil if it has none.
func (c *Client) protection(ctx context.Context, branch string) (*gogithub.Protection, error) {
	if branch == "" {
		return nil, errors.New("github: no branch name given")
	}
	p, resp, err := c.gh.Repositories.GetBranchProtection(ctx, c.owner, c.repo, branch)
	if errors.Is(err, gogithub.ErrBranchNotProtected) {
		return nil, nil
	}
	if err := c.protectionError(fmt.Sprintf("read the protection of branch %q of %s", branch, c.Repo()), resp, err); err != nil {
		return nil, err
	}
	return p, nil
}

// protectionError is [Client.check], and says that a 403 or 404 on
// branch protection that is not a rate limit is a question of rights
// (GitHub answers 404 for what a token may not see).
func (c *Client) protectionError(op string, resp *gogithub.Response, err error) error {
	cerr := c.check(op, resp, err)
	var e *Error
	if !errors.As(cerr, &e) || len(e.errs) > 0 {
		return cerr
	}
	if e.StatusCode == http.StatusForbidden || e.StatusCode == http.StatusNotFound {
		e.errs = []error{ErrNeedsAdmin}
		e.Hint = fmt.Sprintf("the token needs admin rights on %s to change branch protection (or the branch does not exist)", c.Repo())
	}
	return e
}

func locked(p *gogithub.Protection) bool {
	return p != nil && p.LockBranch != nil && p.LockBranch.GetEnabled()
}

// request is the update request that sets protection p as it is.
func request(p *gogithub.Protection) *gogithub.ProtectionRequest {
	r := &gogithub.ProtectionRequest{
		EnforceAdmins:                  p.EnforceAdmins != nil && p.EnforceAdmins.Enabled,
		RequireLinearHistory:           gogithub.Ptr(p.RequireLinearHistory != nil && p.RequireLinearHistory.Enabled),
		AllowForcePushes:               gogithub.Ptr(p.AllowForcePushes != nil && p.AllowForcePushes.Enabled),
		AllowDeletions:                 gogithub.Ptr(p.AllowDeletions != nil && p.AllowDeletions.Enabled),
		RequiredConversationResolution: gogithub.Ptr(p.RequiredConversationResolution != nil && p.RequiredConversationResolution.Enabled),
		BlockCreations:                 gogithub.Ptr(p.BlockCreations != nil && p.BlockCreations.GetEnabled()),
		LockBranch:                     gogithub.Ptr(locked(p)),
		AllowForkSyncing:               gogithub.Ptr(p.AllowForkSyncing != nil && p.AllowForkSyncing.GetEnabled()),
	}
	if s := p.RequiredStatusChecks; s != nil {
		r.RequiredStatusChecks = &gogithub.RequiredStatusChecks{Strict: s.Strict}
		switch {
		case s.Checks != nil:
			r.RequiredStatusChecks.Checks = anySource(*s.Checks)
		case s.Contexts != nil:
			r.RequiredStatusChecks.Contexts = s.Contexts
		default:
			r.RequiredStatusChecks.Contexts = &[]string{}
		}
	}
	if v := p.RequiredPullRequestReviews; v != nil {
		rr := &gogithub.PullRequestReviewsEnforcementRequest{
			DismissStaleReviews:          v.DismissStaleReviews,
			RequireCodeOwnerReviews:      v.RequireCodeOwnerReviews,
			RequiredApprovingReviewCount: v.RequiredApprovingReviewCount,
			RequireLastPushApproval:      gogithub.Ptr(v.RequireLastPushApproval),
		}
		if b := v.BypassPullRequestAllowances; b != nil {
			rr.BypassPullRequestAllowancesRequest = &gogithub.BypassPullRequestAllowancesRequest{
				Users: logins(b.Users), Teams: teams(b.Teams), Apps: apps(b.Apps),
			}
		}
		if d := v.DismissalRestrictions; d != nil {
			users, ts, as := logins(d.Users), teams(d.Teams), apps(d.Apps)
			rr.DismissalRestrictionsRequest = &gogithub.DismissalRestrictionsRequest{Users: &users, Teams: &ts, Apps: &as}
		}
		r.RequiredPullRequestReviews = rr
	}
	if x := p.Restrictions; x != nil {
		r.Restrictions = &gogithub.BranchRestrictionsRequest{Users: logins(x.Users), Teams: teams(x.Teams), Apps: apps(x.Apps)}
	}
	return r
}

// anySource is checks as an update sends them back: a check GitHub
// lists with app_id null (any source may set it) gets app_id -1, which
// GitHub documents as "any app"; an omitted app_id would make GitHub pin
// the check to the app that last set it.
func anySource(checks []*gogithub.RequiredStatusCheck) *[]*gogithub.RequiredStatusCheck {
	out := make([]*gogithub.RequiredStatusCheck, len(checks))
	for i, k := range checks {
		c := *k
		if c.AppID == nil {
			c.AppID = gogithub.Ptr(anyApp)
		}
		out[i] = &c
	}
	return &out
}

// anyApp is the app_id that lets any source set a required check.
const anyApp int64 = -1

func logins(us []*gogithub.User) []string {
	out := []string{}
	for _, u := range us {
		out = append(out, u.GetLogin())
	}
	slices.Sort(out)
	return out
}

func teams(ts []*gogithub.Team) []string {
	out := []string{}
	for _, t := range ts {
		out = append(out, t.GetSlug())
	}
	slices.Sort(out)
	return out
}

func apps(as []*gogithub.App) []string {
	out := []string{}
	for _, a := range as {
		out = append(out, a.GetSlug())
	}
	slices.Sort(out)
	return out
}

// differences names the top-level settings in which two requests differ.
func differences(a, b *gogithub.ProtectionRequest) ([]string, error) {
	fields := func(r *gogithub.ProtectionRequest) (map[string]any, error) {
		var m map[string]any
		data, err := json.Marshal(r)
		if err != nil {
			return nil, err
		}
		return m, json.Unmarshal(data, &m)
	}
	ma, err := fields(a)
	if err != nil {
		return nil, err
	}
	mb, err := fields(b)
	if err != nil {
		return nil, err
	}
	var out []string
	for k := range ma {
		if !reflect.DeepEqual(ma[k], mb[k]) {
			out = append(out, k)
		}
	}
	for k := range mb {
		if _, ok := ma[k]; !ok {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out, nil
}

// LockWord is a lock state in words: "locked" or "unlocked".
func LockWord(locked bool) string {
	if locked {
		return "locked"
	}
	return "unlocked"
}
