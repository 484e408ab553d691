package status

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/mod/semver"

	"github.com/confidential-containers/release-tools/gomod"
	"github.com/confidential-containers/release-tools/internal/gitrepo"
	"github.com/confidential-containers/release-tools/release"
	"github.com/confidential-containers/release-tools/versions"
)

// Of reads where the repository rel stands: dependency references,
// overlays or image pins, internal requires, operator pin, charts,
// citation, and the tags of the latest version, locally and on the remote
// (when it can be reached). It changes nothing. What it finds wrong is in
// the report's problems ([Report.Err]); an error is what stopped it from
// reading.
func Of(ctx context.Context, rel release.Repo) (*Report, error) {
	root, cfg := rel.Root, rel.Config
	r := &Report{}
	row, problem := r.row, r.problem
	repo, err := gitrepo.Open(root)
	if err != nil {
		return nil, fmt.Errorf("status: open the repository at %s: %w", root, err)
	}
	if err := gitrepo.CheckHead(repo, root); err != nil {
		return nil, fmt.Errorf("status: %w", err)
	}

	vsrc, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(cfg.VersionsFile)))
	if err != nil {
		return nil, fmt.Errorf("release: %w", err)
	}
	rel, err = rel.WithLayout()
	if err != nil {
		return nil, err
	}
	layout := rel.Layout
	operator := cfg.OperatorRef
	if layout == release.ChartLayout {
		operator = nil // the chart layout pins no operator
	}
	refs := map[string]string{}
	for _, d := range []struct {
		name       string
		candidates []string
	}{{"kata-containers", cfg.Kata}, {"guest-components", cfg.GuestComponents}, {"trustee", cfg.Trustee}, {"operator", operator}} {
		if len(d.candidates) == 0 {
			continue
		}
		p, err := versions.FirstPathBytes(vsrc, d.candidates...)
		if dup := (*versions.DuplicateKeyError)(nil); errors.As(err, &dup) {
			row(d.name, "unreadable: "+dup.Error())
			problem(cfg.VersionsFile + ": " + dup.Error())
			continue
		}
		if err != nil {
			row(d.name, "none (no "+strings.Join(d.candidates, " or ")+" in "+cfg.VersionsFile+")")
			continue
		}
		v, err := versions.GetBytes(vsrc, p)
		if err != nil {
			row(d.name, "unreadable: "+err.Error())
			continue
		}
		refs[d.name] = v
		row(d.name, fmt.Sprintf("%s (%s)", v, p))
	}
	if opRef, ok := refs["operator"]; ok && cfg.OperatorConfig != "" {
		if c, err := versions.GetBytes(vsrc, cfg.OperatorConfig); err == nil {
			row("operator config", c)
			if (c == "release") == (opRef == "main") {
				problem(fmt.Sprintf("operator config is %q but its reference is %q", c, opRef),
					release.Fix{Action: release.ActionUnpinOperator}, release.Fix{Action: release.ActionPinOperator, Args: []string{"<ref>"}})
			}
		}
	}

	r.row("layout", layout.String())
	if layout == release.OverlayLayout {
		if err := r.overlays(root, cfg); err != nil {
			return nil, err
		}
	} else {
		r.pins(root, cfg)
	}

	mods, err := gomod.Discover(root)
	if err != nil {
		return nil, err
	}
	internal := map[string]bool{}
	for _, m := range mods {
		internal[m.Path] = true
	}
	seen := map[string][]string{}
	for _, m := range mods {
		var reqs []string
		for dep, v := range m.Requires {
			if internal[dep] {
				reqs = append(reqs, path.Base(dep)+" "+v)
				if v != gomod.ZeroPseudoVersion {
					seen[v] = append(seen[v], m.Dir)
				}
			}
		}
		sort.Strings(reqs)
		if len(reqs) > 0 {
			row("requires of "+m.Dir, strings.Join(reqs, ", "))
		}
	}
	if len(seen) > 1 {
		var vs []string
		for v := range seen {
			vs = append(vs, v)
		}
		semver.Sort(vs)
		problem("the modules require different versions of each other: "+strings.Join(vs, ", "), release.Fix{Action: release.ActionBumpRequires, Args: []string{vs[len(vs)-1]}})
	}

	latest, tagged, err := r.tags(ctx, root, cfg, mods)
	if err != nil {
		return nil, err
	}
	r.Version, r.Tagged = latest, tagged
	if layout == release.ChartLayout {
		if err := r.charts(root, cfg, latest); err != nil {
			return nil, err
		}
	}

	if cfg.Citation != "" {
		csrc, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(cfg.Citation)))
		if err != nil {
			return nil, fmt.Errorf("release: %w", err)
		}
		cite := map[string]string{}
		for _, k := range []string{"version", "date-released", "commit"} {
			if v, err := versions.GetBytes(csrc, k); err == nil {
				cite[k] = v
			} else {
				cite[k] = "(none)"
			}
		}
		v, date, commit := cite["version"], cite["date-released"], cite["commit"]
		row("citation", fmt.Sprintf("version %s, released %s, commit %s", v, date, commit))
		if latest != "" && semver.Prerelease(latest) == "" && "v"+v == latest && tagged != "" && commit != tagged {
			problem(fmt.Sprintf("%s cites commit %s, but the %s tags are on %s", cfg.Citation, commit, latest, tagged),
				release.Fix{Action: release.ActionUpdateCitation, Args: []string{latest}, Date: date})
		}
	}
	return r, nil
}
