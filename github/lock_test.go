package github_test

import (
	"context"
	"encoding/json"
	"testing"

	gogithub "github.com/google/go-github/v84/github"
	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/github"
	"github.com/confidential-containers/release-tools/internal/ghfake"
)

// mainProtection is a branch protection with every setting the update
// request can carry set to something other than its zero value.
func mainProtection() *gogithub.Protection {
	var p gogithub.Protection
	if err := json.Unmarshal([]byte(`{
	  "url": "https://api.github.com/repos/o/r/branches/main/protection",
	  "required_status_checks": {"url": "x", "contexts_url": "y", "strict": true, "contexts": ["e2e"], "checks": [{"context": "e2e", "app_id": 15368}]},
	  "required_pull_request_reviews": {
	    "dismiss_stale_reviews": true, "require_code_owner_reviews": true, "required_approving_review_count": 2, "require_last_push_approval": true,
	    "dismissal_restrictions": {"users": [{"login": "bob"}, {"login": "alice"}], "teams": [{"slug": "admins"}], "apps": []},
	    "bypass_pull_request_allowances": {"users": [], "teams": [{"slug": "release"}], "apps": [{"slug": "renovate"}]}
	  },
	  "enforce_admins": {"url": "z", "enabled": true},
	  "restrictions": {"users": [{"login": "alice"}], "teams": [], "apps": [{"slug": "bot"}]},
	  "required_linear_history": {"enabled": true},
	  "allow_force_pushes": {"enabled": false},
	  "allow_deletions": {"enabled": false},
	  "required_conversation_resolution": {"enabled": true},
	  "block_creations": {"enabled": true},
	  "lock_branch": {"enabled": false},
	  "allow_fork_syncing": {"enabled": true},
	  "required_signatures": {"enabled": true}
	}`), &p); err != nil {
		panic(err)
	}
	return &p
}

// wantPut is the update mainProtection needs to lock the branch: every
// setting carried over.
const wantPut = `{
  "required_status_checks": {"strict": true, "checks": [{"context": "e2e", "app_id": 15368}]},
  "required_pull_request_reviews": {
    "dismiss_stale_reviews": true, "require_code_owner_reviews": true, "required_approving_review_count": 2, "require_last_push_approval": true,
    "dismissal_restrictions": {"users": ["alice", "bob"], "teams": ["admins"], "apps": []},
    "bypass_pull_request_allowances": {"users": [], "teams": ["release"], "apps": ["renovate"]}
  },
  "enforce_admins": true,
  "restrictions": {"users": ["alice"], "teams": [], "apps": ["bot"]},
  "required_linear_history": true,
  "allow_force_pushes": false,
  "allow_deletions": false,
  "required_conversation_resolution": true,
  "block_creations": true,
  "lock_branch": true,
  "allow_fork_syncing": true
}`

func TestLock(t *testing.T) {
	f := &ghfake.Server{Admin: true, Protection: map[string]*gogithub.Protection{"main": mainProtection()}}
	c := newFake(t, f)
	ctx := context.Background()

	locked, err := c.LockState(ctx, "main")
	require.NoError(t, err)
	require.False(t, locked)

	before, err := c.Lock(ctx, "main", true)
	require.NoError(t, err)
	require.False(t, before)
	require.Len(t, f.Puts, 1)
	put, _ := json.Marshal(f.Puts[0])
	require.JSONEq(t, wantPut, string(put))

	// Already locked: a no-op.
	before, err = c.Lock(ctx, "main", true)
	require.NoError(t, err)
	require.True(t, before)
	require.Len(t, f.Puts, 1)

	before, err = c.Lock(ctx, "main", false)
	require.NoError(t, err)
	require.True(t, before)
	require.Len(t, f.Puts, 2)
	require.Equal(t, false, f.Puts[1]["lock_branch"])
	delete(f.Puts[0], "lock_branch")
	delete(f.Puts[1], "lock_branch")
	require.Equal(t, f.Puts[0], f.Puts[1], "unlocking carries the settings the same way")
}

// TestLockUnprotected: an unprotected branch is not locked; locking it
// protects it with the lock only.
func TestLockUnprotected(t *testing.T) {
	f := &ghfake.Server{Admin: true, Protection: map[string]*gogithub.Protection{}}
	c := newFake(t, f)
	ctx := context.Background()
	before, err := c.Lock(ctx, "main", false)
	require.NoError(t, err)
	require.False(t, before)
	require.Empty(t, f.Puts)

	before, err = c.Lock(ctx, "main", true)
	require.NoError(t, err)
	require.False(t, before)
	put, _ := json.Marshal(f.Puts[0])
	require.JSONEq(t, `{"required_status_checks": null, "required_pull_request_reviews": null, "enforce_admins": false, "restrictions": null,
	  "required_linear_history": false, "allow_force_pushes": false, "allow_deletions": false, "required_conversation_resolution": false,
	  "block_creations": false, "lock_branch": true, "allow_fork_syncing": false}`, string(put))
	locked, err := c.LockState(ctx, "main")
	require.NoError(t, err)
	require.True(t, locked)
}

// TestLockSettingsChanged: a setting the update could not carry (required
// signatures) and that GitHub dropped is named.
func TestLockSettingsChanged(t *testing.T) {
	f := &ghfake.Server{Admin: true, DropSigs: true, Protection: map[string]*gogithub.Protection{"main": mainProtection()}}
	c := newFake(t, f)
	before, err := c.Lock(context.Background(), "main", true)
	require.False(t, before)
	require.EqualError(t, err, `github: branch "main" of o/r: lock set to true, but GitHub now reports other settings changed: required_signatures; check them in the repository's branch settings`)
}

func TestLockNeedsAdmin(t *testing.T) {
	f := &ghfake.Server{Protection: map[string]*gogithub.Protection{"main": mainProtection()}}
	c := newFake(t, f)
	for _, on := range []bool{true, false} {
		_, err := c.Lock(context.Background(), "main", on)
		require.ErrorIs(t, err, github.ErrNeedsAdmin)
		require.EqualError(t, err, `github: read the protection of branch "main" of o/r: GitHub answered 403 Forbidden: Must have admin rights to Repository.: the token needs admin rights on o/r to change branch protection (or the branch does not exist)`)
		var e *github.Error
		require.ErrorAs(t, err, &e)
		require.Equal(t, 403, e.StatusCode)
	}
	_, err := c.LockState(context.Background(), "main")
	require.ErrorIs(t, err, github.ErrNeedsAdmin)
	require.Empty(t, f.Puts)

	_, err = c.Lock(context.Background(), "", true)
	require.EqualError(t, err, "github: no branch name given")
}

// A check GitHub lists with app_id null is open to any source: locking
// sends it back as app_id -1, as GitHub documents, never without app_id
// (which GitHub reads as "the app that last set it").
func TestLockKeepsAnySourceChecks(t *testing.T) {
	var p gogithub.Protection
	require.NoError(t, json.Unmarshal([]byte(`{"required_status_checks": {"strict": false, "contexts": ["e2e", "lint"],
	  "checks": [{"context": "e2e", "app_id": null}, {"context": "lint", "app_id": 15368}]}}`), &p))
	f := &ghfake.Server{Admin: true, Protection: map[string]*gogithub.Protection{"main": &p}}
	_, err := newFake(t, f).Lock(context.Background(), "main", true)
	require.NoError(t, err)
	require.Len(t, f.Puts, 1)
	checks := f.Puts[0]["required_status_checks"].(map[string]any)["checks"].([]any)
	require.Equal(t, map[string]any{"context": "e2e", "app_id": float64(-1)}, checks[0])
	require.Equal(t, map[string]any{"context": "lint", "app_id": float64(15368)}, checks[1])
	require.Nil(t, f.Protection["main"].RequiredStatusChecks.GetChecks()[0].AppID, "GitHub lists it as any source again")
}
