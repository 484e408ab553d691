package publish

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/confidential-containers/release-tools/github"
	"github.com/confidential-containers/release-tools/ledger"
	"github.com/confidential-containers/release-tools/release"
	"github.com/confidential-containers/release-tools/released"
	"github.com/confidential-containers/release-tools/tags"
	"github.com/confidential-containers/release-tools/version"
)

// NoRemoteError is returned by [GitHubOptions] when neither getenv nor
// the repository's remote names the GitHub repository.
type NoRemoteError struct {
	Remote, Root string
}

func (e *NoRemoteError) Error() string {
	return fmt.Sprintf("no remote %q in %s to name the GitHub repository", e.Remote, e.Root)
}

// GitHubOptions returns how to reach the GitHub repository of rel: the
// token, API URL and repository from getenv ([github.FromEnv]), the
// repository otherwise from the URL of the configured remote; a
// [*NoRemoteError] when neither names it.
func GitHubOptions(rel release.Repo, getenv func(string) string) (github.Options, error) {
	root, cfg := rel.Root, rel.Config
	url := ""
	if repo, err := rel.Repository(); err == nil {
		if remote, err := repo.Remote(cfg.Remote); err == nil && len(remote.Config().URLs) > 0 {
			url = remote.Config().URLs[0]
		}
	}
	if url == "" && getenv("GITHUB_REPOSITORY") == "" {
		return github.Options{}, &NoRemoteError{Remote: cfg.Remote, Root: root}
	}
	return github.FromEnv(getenv, url)
}

// PushedCommit returns the commit the module tags of version point at on
// the configured remote ([tags.VersionCommit]). Every tag must be there,
// all on one commit, and a local tag of the same name must agree; the
// top-level tag version, which GitHub makes for the release, must be
// absent or on that commit too.
func PushedCommit(ctx context.Context, rel release.Repo, version string) (string, error) {
	v, err := rel.Config.ParseVersion(version)
	if err != nil {
		return "", fmt.Errorf("github: %w", err)
	}
	return pushedCommit(ctx, rel, v)
}

func pushedCommit(ctx context.Context, rel release.Repo, v version.Version) (string, error) {
	root, cfg := rel.Root, rel.Config
	repo, err := rel.Repository()
	if err != nil {
		return "", err
	}
	version := v.String()
	remote, note := tags.RemoteNamed(ctx, repo, cfg.Remote)
	if remote == nil {
		return "", fmt.Errorf("the module tags of %s must be on the remote: %s", version, note)
	}
	commit, err := tags.VersionCommit(root, v, cfg.ExcludeModules, func(name string) (string, error) {
		c := remote[name]
		if c == "" {
			return "", nil
		}
		local, err := tags.Local(repo, name)
		if err != nil {
			return "", err
		}
		if local != "" && local != c {
			return "", fmt.Errorf("tag %s is on %s locally but on %s on %s: the remote's is the one the world sees (git fetch --force %s tag %s)",
				name, local[:12], c[:12], cfg.Remote, cfg.Remote, name)
		}
		return c, nil
	})
	pushTags := release.Fix{Action: release.ActionTags, Args: []string{version}, Push: true}
	if errors.Is(err, tags.ErrNoTags) {
		return "", release.Fixable(fmt.Errorf("%w on %s", err, cfg.Remote), pushTags)
	}
	if split := (*tags.SplitError)(nil); errors.As(err, &split) {
		return "", release.Fixable(fmt.Errorf("%w, on %s: every module tag must be there, on one commit", err, cfg.Remote), pushTags)
	}
	if err != nil {
		return "", err
	}
	if top, ok := remote[version]; ok && top != commit {
		return "", fmt.Errorf("tag %s is on %s on %s, not on %s where the module tags are: GitHub would make the release there; tags never move, release %s instead",
			version, top[:12], cfg.Remote, commit[:12], v.Next())
	}
	return commit, nil
}

// GitHubRelease plans the GitHub release of version on the commit its
// module tags point at on the configured remote ([PushedCommit]) and, with push,
// creates it: a pre-release (not marked latest) for a candidate version,
// a full release otherwise. Its notes are the components of the tagged
// tree ([released.ComponentsAt], [released.Components.Markdown]: read
// from the commit, not the work tree) above GitHub's generated notes; the
// plan shows them. The ledger of releases ([release.Repo.Ledger]) is read
// first: a version below the latest release that is not a maintenance
// release is refused ([ledger.ErrBackwards]); the release is marked latest
// only when no full or chart-only release is above it and it is no
// maintenance release; a chart-only patch release is made on its tag's
// commit. A release that exists for the version is reported and left
// alone, but a draft on the release's commit (its target, or the tag's),
// which push publishes; a draft targeting anything else is refused.
func GitHubRelease(ctx context.Context, rel release.Repo, version string, gh *github.Client, push bool, w io.Writer) error {
	root, cfg := rel.Root, rel.Config
	v, err := cfg.ParseVersion(version)
	if err != nil {
		return err
	}
	// The tags first, GitHub once they are checked.
	facts, _, err := rel.LedgerFacts(ctx)
	if err != nil {
		return fmt.Errorf("github: %w", err)
	}
	line, err := ledger.Read(facts).Check(v)
	if err != nil {
		return fmt.Errorf("github: %w", err)
	}
	var commit string
	if r := line.Existing; r != nil && r.Kind == ledger.ChartOnly && r.Commit() != "" {
		commit = r.Commit() // no module tags: its tag's commit
	} else if commit, err = pushedCommit(ctx, rel, v); err != nil {
		return err
	}
	rs, err := gh.Releases(ctx)
	if err != nil {
		return err
	}
	facts.GitHub, facts.GitHubRead = github.LedgerReleases(rs), true
	l := ledger.Read(facts)
	if line, err = l.Check(v); err != nil {
		return fmt.Errorf("github: %w", err)
	}
	plan, err := gh.PlanRelease(ctx, v, commit)
	if err != nil {
		return err
	}
	// Marked latest as the ledger says: never below a full or chart-only
	// release, never a maintenance release.
	if !v.IsPreRelease() {
		top := l.LatestFull()
		plan.Latest = !line.Maintenance && (top == nil || !v.Less(top.Version))
		if !plan.Latest && top != nil && v.Less(top.Version) {
			plan.Newer = top.Version.String()
		}
	}
	if e := plan.Existing; e != nil && e.Draft {
		if r := l.Find(v); e.Commitish != commit && (r == nil || r.Plain.Commit() != commit) {
			return fmt.Errorf("github: the draft release %s targets %s, not %s where its module tags are: publishing it would make the tag %s there; set its target to %s on GitHub (or delete the draft), then run this again",
				version, e.Commitish, commit, version, commit)
		}
		plan.Publish = true
	}
	if plan.Existing == nil {
		comps, err := released.ComponentsAt(rel, commit)
		if err != nil {
			return fmt.Errorf("github: the release notes of %s: %w", version, err)
		}
		plan.Notes = comps.Markdown() + plan.Notes
	}
	if _, err := plan.WriteTo(w); err != nil {
		return err
	}
	if plan.Existing != nil && !plan.Publish {
		return nil
	}
	workflowsNote(ctx, root, plan.Previous, commit, w)
	if !push {
		fmt.Fprintln(w, "github: planned only; nothing created or published")
		return nil
	}
	r, outcome, err := plan.Apply(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "github: release %s %s: %s\n", r.Tag, outcome, r.URL)
	return nil
}

// GitHubLock turns the lock of the release branch (Config.Branch) on or off
// with push; without push it says what it would do. It says what the lock
// was before, and does nothing when it is already as asked.
func GitHubLock(ctx context.Context, rel release.Repo, gh *github.Client, on, push bool, w io.Writer) error {
	cfg := rel.Config
	branch := fmt.Sprintf("branch %s of %s", cfg.Branch, gh.Repo())
	state, err := gh.LockState(ctx, cfg.Branch)
	if err != nil {
		return err
	}
	switch {
	case state == on:
		fmt.Fprintf(w, "github: %s is %s already: nothing to do\n", branch, github.LockWord(on))
		return nil
	case !push:
		fmt.Fprintf(w, "github: %s is %s; planned only: it would be %s\n", branch, github.LockWord(state), github.LockWord(on))
		return nil
	}
	before, err := gh.Lock(ctx, cfg.Branch, on)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "github: %s was %s, is %s now\n", branch, github.LockWord(before), github.LockWord(on))
	return nil
}
