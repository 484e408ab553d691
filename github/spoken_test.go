package github_test

import (
	"context"
	"go/ast"
	"go/parser"
	gotoken "go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	gogithub "github.com/google/go-github/v84/github"
	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/github"
	"github.com/confidential-containers/release-tools/internal/ghfake"
)

// operations maps each go-github method the package calls to the
// operation of GitHub's description it sends. A call the package makes
// that is missing here fails TestEveryCallSpeaksGitHub: add it, and a
// call of it to that test.
var operations = map[string]string{
	"Repositories.GetBranchProtection":    "repos/get-branch-protection",
	"Repositories.UpdateBranchProtection": "repos/update-branch-protection",
	"Repositories.ListReleases":           "repos/list-releases",
	"Repositories.GenerateReleaseNotes":   "repos/generate-release-notes",
	"Repositories.CreateRelease":          "repos/create-release",
	"Repositories.EditRelease":            "repos/update-release",
	"PullRequests.List":                   "pulls/list",
	"PullRequests.Create":                 "pulls/create",
	"PullRequests.Edit":                   "pulls/update",
	"Actions.ListRepositoryWorkflowRuns":  "actions/list-workflow-runs-for-repo",
	"Actions.ListWorkflowJobs":            "actions/list-jobs-for-workflow-run",
	"Issues.ListComments":                 "issues/list-comments",
	"Issues.CreateComment":                "issues/create-comment",
}

// calls lists the go-github methods the package's code calls
// (c.gh.<Service>.<Method>), read from its source.
func calls(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	seen := map[string]bool{}
	fset := gotoken.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		require.NoError(t, err)
		file, err := parser.ParseFile(fset, f, src, 0)
		require.NoError(t, err)
		ast.Inspect(file, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			svc, ok := sel.X.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if gh, ok := svc.X.(*ast.SelectorExpr); ok && gh.Sel.Name == "gh" {
				seen[svc.Sel.Name+"."+sel.Sel.Name] = true
			}
			return true
		})
	}
	var out []string
	for c := range seen {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}

// Every GitHub call the package makes is sent to the fake, which checks
// each request against its operation's request schema in GitHub's
// description (and each of its answers against the documented ones): no
// request may be refused, and every call the source makes is covered.
func TestEveryCallSpeaksGitHub(t *testing.T) {
	ctx := context.Background()
	var p gogithub.Protection
	draft := ghfake.Rel("v0.12.1", true)
	draft.TargetCommitish = gogithub.Ptr(commit)
	p.RequiredStatusChecks = &gogithub.RequiredStatusChecks{Strict: true, Checks: &[]*gogithub.RequiredStatusCheck{{Context: "e2e"}}}
	f := &ghfake.Server{
		Admin:      true,
		Protection: map[string]*gogithub.Protection{"main": &p},
		Releases:   []*gogithub.RepositoryRelease{ghfake.Rel("v0.12.0", false), draft},
		Runs:       []*ghfake.WorkflowRun{ghfake.NewRun(7, "Release project images", "release", commit, "completed", "success", "caa")},
	}
	c := newFake(t, f)

	_, err := c.Lock(ctx, "main", true)
	require.NoError(t, err)
	publish, err := c.PlanRelease(ctx, ver(t, "v0.12.1"), commit)
	require.NoError(t, err)
	publish.Publish = true
	_, _, err = publish.Apply(ctx)
	require.NoError(t, err)
	plan, err := c.PlanRelease(ctx, ver(t, "v0.13.0"), commit)
	require.NoError(t, err)
	_, _, err = plan.Apply(ctx)
	require.NoError(t, err)
	_, err = c.FindPulls(ctx, "o:release/v0.13.0", "main")
	require.NoError(t, err)
	_, err = c.OpenPulls(ctx, "main")
	require.NoError(t, err)
	pr, err := c.CreatePull(ctx, github.NewPull{Title: "t", Body: "b", Head: "release/v0.13.0", Base: "main"})
	require.NoError(t, err)
	_, err = c.EditPullBody(ctx, pr.Number, "b2")
	require.NoError(t, err)
	runs, err := c.Runs(ctx, "release", commit)
	require.NoError(t, err)
	require.Len(t, runs, 1)
	_, err = c.Jobs(ctx, runs[0].ID)
	require.NoError(t, err)
	other, err := c.On("confidential-containers", "confidential-containers")
	require.NoError(t, err)
	_, err = other.AddComment(ctx, 3, "hello <!-- marker -->")
	require.NoError(t, err)
	found, err := other.FindComment(ctx, 3, "<!-- marker -->")
	require.NoError(t, err)
	require.NotNil(t, found)

	f.Mu.Lock()
	defer f.Mu.Unlock()
	require.Empty(t, f.Invalid)
	require.Empty(t, f.BadAnswers)
	for _, call := range calls(t) {
		op, ok := operations[call]
		require.True(t, ok, "the package calls %s: add its operation to the table and a call of it to this test", call)
		require.Contains(t, f.Ops, op, "%s (%s) is not exercised here", call, op)
	}
}
