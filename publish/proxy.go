package publish

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/confidential-containers/release-tools/goproxy"
	"github.com/confidential-containers/release-tools/release"
	"github.com/confidential-containers/release-tools/tags"
)

// ModuleVersions returns the module versions of version's tags at the
// commit they point at, dependencies first, for the module proxy.
func ModuleVersions(rel release.Repo, version string) ([]goproxy.Module, error) {
	root, cfg := rel.Root, rel.Config
	v, err := cfg.ParseVersion(version)
	if err != nil {
		return nil, fmt.Errorf("tags: %w", err)
	}
	commit, err := rel.TaggedCommit(version)
	if err != nil {
		return nil, err
	}
	list, err := tags.Ordered(root, v, cfg.ExcludeModules...)
	if err != nil {
		return nil, err
	}
	var mods []goproxy.Module
	for _, t := range list {
		mods = append(mods, goproxy.Module{Path: t.Module, Version: version, Commit: commit})
	}
	return mods, nil
}

// ErrProxyNotAsked is returned, wrapped, when the module proxy could not
// be reached: its answer (is a version already known at another commit?)
// decides whether the tags may be made, so nothing is tagged without it.
var ErrProxyNotAsked = errors.New("the module proxy could not be asked")

// checkProxy asks the module proxy about the plan's module versions. An
// unreachable proxy stops the tags ([ErrProxyNotAsked]), as its failures
// do: only a nil proxy (the check off) goes on without it.
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
	if err != nil {
		return fmt.Errorf("%w: %w; nothing was tagged", ErrProxyNotAsked, err)
	}
	for _, r := range res {
		fmt.Fprintf(w, "  proxy %-8s %s@%s\n", r.Answer, r.Path, r.Version)
	}
	return goproxy.Conflicts(res)
}
