package release

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"

	git "github.com/go-git/go-git/v5"

	"github.com/confidential-containers/release-tools/goproxy"
	"github.com/confidential-containers/release-tools/tags"
	"github.com/confidential-containers/release-tools/version"
)

// TagOptions are how [Tags] runs.
type TagOptions struct {
	// Commit is tagged instead of the remote branch head (TAG_COMMIT).
	Commit string
	// Push creates and pushes the tags; otherwise Tags only plans.
	Push bool
	// TopLevel also tags vX.Y.Z on the same commit.
	TopLevel bool
	// Sign makes signed annotated tags with the git command and the
	// user's signing setup (SIGN=1).
	Sign bool
	// Proxy, when set, is asked about every module version before anything
	// is created: a version it already knows at another commit is refused
	// like a conflicting tag. An unreachable proxy is reported and skipped.
	Proxy *goproxy.Client
}

// Tags plans the module tags of version on the remote branch head (or
// o.Commit), writes the plan to w and, with o.Push, creates and pushes
// them in one atomic push. A conflict stops it before anything is created.
func (rel Repo) Tags(ctx context.Context, version string, o TagOptions, w io.Writer) error {
	root, cfg := rel.Root, rel.Config
	v, err := cfg.ParseVersion(version)
	if err != nil {
		return fmt.Errorf("tags: %w", err)
	}
	plan, err := tags.NewPlan(ctx, root, v, tags.Options{
		Remote: cfg.Remote, Branch: cfg.Branch, Commit: o.Commit,
		Exclude: cfg.ExcludeModules, TopLevel: o.TopLevel, Sign: o.Sign,
	})
	if re := (*tags.RequiresError)(nil); errors.As(err, &re) {
		return fixable(err, Fix{Action: ActionBumpRequires, Args: []string{re.Version.String()}})
	}
	if err != nil {
		return err
	}
	if _, err := plan.WriteTo(w); err != nil {
		return err
	}
	if err := plan.Err(); err != nil {
		return err
	}
	if err := checkProxy(ctx, o.Proxy, plan, w); err != nil {
		return err
	}
	if !o.Push {
		fmt.Fprintln(w, "tags: planned only; nothing created or pushed (tags can never move: check the plan)")
		return nil
	}
	if err := plan.Apply(ctx); err != nil {
		return err
	}
	fmt.Fprintf(w, "tags: pushed to %s\n", cfg.Remote)
	return nil
}

// checkProxy asks the module proxy about the plan's module versions.
func checkProxy(ctx context.Context, proxy *goproxy.Client, plan *tags.Plan, w io.Writer) error {
	if proxy == nil {
		return nil
	}
	var mods []goproxy.Module
	for _, t := range plan.Tags {
		if t.Module != "" {
			mods = append(mods, goproxy.Module{Path: t.Module, Version: plan.Version.String(), Commit: plan.Commit})
		}
	}
	res, err := proxy.Check(ctx, mods)
	if errors.Is(err, goproxy.ErrUnreachable) {
		fmt.Fprintf(w, "proxy: %v; going on with the git checks alone\n", err)
		return nil
	}
	if err != nil {
		return err
	}
	for _, r := range res {
		fmt.Fprintf(w, "  proxy %-8s %s@%s\n", r.State, r.Path, r.Version)
	}
	return goproxy.Conflicts(res)
}

// ModuleVersions returns the module versions of version's tags at the
// commit they point at, dependencies first, for the module proxy.
func (rel Repo) ModuleVersions(version string) ([]goproxy.Module, error) {
	root, cfg := rel.Root, rel.Config
	v, err := cfg.ParseVersion(version)
	if err != nil {
		return nil, fmt.Errorf("tags: %w", err)
	}
	commit, err := taggedCommit(root, cfg, v)
	if err != nil {
		return nil, err
	}
	list, err := tags.Ordered(root, v)
	if err != nil {
		return nil, err
	}
	var mods []goproxy.Module
	for _, t := range list {
		if !slices.Contains(cfg.ExcludeModules, t.Dir) {
			mods = append(mods, goproxy.Module{Path: t.Module, Version: version, Commit: commit})
		}
	}
	return mods, nil
}

// TaggedCommit returns the commit the local module tags of version point
// at. The tags must all exist and agree ([tags.VersionCommit]).
func (rel Repo) TaggedCommit(version string) (string, error) {
	root, cfg := rel.Root, rel.Config
	v, err := cfg.ParseVersion(version)
	if err != nil {
		return "", fmt.Errorf("tags: %w", err)
	}
	return taggedCommit(root, cfg, v)
}

func taggedCommit(root string, cfg Config, v version.Version) (string, error) {
	repo, err := git.PlainOpen(root)
	if err != nil {
		return "", err
	}
	commit, err := tags.VersionCommit(root, v, cfg.ExcludeModules, func(name string) (string, error) { return tags.Local(repo, name) })
	if errors.Is(err, tags.ErrNoTags) {
		return "", fixable(fmt.Errorf("%w (or give the release commit)", err), Fix{Action: ActionTags, Args: []string{v.String()}, Push: true})
	}
	return commit, err
}
