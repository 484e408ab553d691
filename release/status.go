package release

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/mod/semver"

	"github.com/confidential-containers/release-tools/gomod"
	"github.com/confidential-containers/release-tools/overlays"
	"github.com/confidential-containers/release-tools/versions"
)

// ErrInconsistent is returned, wrapped, by [Status] when it finds an
// inconsistency.
var ErrInconsistent = errors.New("inconsistent release state")

// Problem is one inconsistency and what fixes it (alternatives, the
// usual one first).
type Problem struct {
	What  string
	Fixes []Fix
}

// Report is where a repository stands.
type Report struct {
	Rows     [][2]string // what, value
	Problems []Problem
	// Version is the highest version tagged, locally or on the remote
	// ("" if none); Tagged the one commit its module tags point at ("" if
	// they disagree).
	Version, Tagged string
}

// Status reads where the repository at root stands: dependency references,
// overlays, internal requires, operator pin, citation, and the tags of the
// latest version, locally and on the remote (when it can be reached). It
// changes nothing.
func (rel Repo) Status(ctx context.Context) (*Report, error) {
	root, cfg := rel.Root, rel.Config
	r := &Report{}
	row, problem := r.row, r.problem

	vsrc, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(cfg.VersionsFile)))
	if err != nil {
		return nil, fmt.Errorf("release: %w", err)
	}
	layout, err := cfg.Layout(root)
	if err != nil {
		return nil, err
	}
	operator := cfg.OperatorRef
	if layout == ChartLayout {
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
					Fix{Action: ActionUnpinOperator}, Fix{Action: ActionPinOperator, Args: []string{"<ref>"}})
			}
		}
	}

	r.row("layout", layout.String())
	if layout == OverlayLayout {
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
		problem("the modules require different versions of each other: "+strings.Join(vs, ", "), Fix{Action: ActionBumpRequires, Args: []string{vs[len(vs)-1]}})
	}

	latest, tagged, err := r.tags(ctx, root, cfg, mods)
	if err != nil {
		return nil, err
	}
	r.Version, r.Tagged = latest, tagged
	if layout == ChartLayout {
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
				Fix{Action: ActionUpdateCitation, Args: []string{latest}, Date: date})
		}
	}
	return r, nil
}

func (r *Report) row(k, v string) { r.Rows = append(r.Rows, [2]string{k, v}) }
func (r *Report) problem(what string, fixes ...Fix) {
	r.Problems = append(r.Problems, Problem{what, fixes})
}

// WriteTo writes the report as a table, then the problems with their
// fixes in the library's words ([Fix.String]).
func (r *Report) WriteTo(w io.Writer) (int64, error) {
	return r.Format(w, Fix.String)
}

// Format writes the report as a table, then the problems with their
// fixes, each written by render (a frontend's own command for it).
func (r *Report) Format(w io.Writer, render func(Fix) string) (int64, error) {
	var b strings.Builder
	width := 0
	for _, row := range r.Rows {
		width = max(width, len(row[0]))
	}
	for _, row := range r.Rows {
		fmt.Fprintf(&b, "%-*s  %s\n", width, row[0], row[1])
	}
	if len(r.Problems) == 0 {
		b.WriteString("\nno inconsistencies found\n")
	} else {
		fmt.Fprintf(&b, "\n%d inconsistencies:\n", len(r.Problems))
		for _, p := range r.Problems {
			var fixes []string
			for _, f := range p.Fixes {
				fixes = append(fixes, render(f))
			}
			fmt.Fprintf(&b, "  - %s\n    fix: %s\n", p.What, strings.Join(fixes, ", or "))
		}
	}
	n, err := io.WriteString(w, b.String())
	return int64(n), err
}

// Err is the report's problems as one error wrapping [ErrInconsistent].
func (r *Report) Err() error {
	if len(r.Problems) == 0 {
		return nil
	}
	return fmt.Errorf("%w: %d problems (see above)", ErrInconsistent, len(r.Problems))
}

// overlays adds a row for every overlay of the image and a problem when
// they disagree or one breaks the dev- rule.
func (r *Report) overlays(root string, cfg Config) error {
	found, err := overlays.Discover(filepath.Join(root, filepath.FromSlash(cfg.OverlaysRoot)), cfg.Image)
	if err != nil {
		return err
	}
	byTag := map[string][]string{} // sha or "latest" -> overlays
	for _, o := range found {
		tag := o.NewTag + o.Digest
		r.row("overlay "+o.Name(), tag)
		if !Managed(o) {
			continue
		}
		sha := strings.TrimPrefix(tag, "dev-")
		if tag != "latest" && DevTag(cfg, o.Name(), sha) != tag {
			r.problem(fmt.Sprintf("overlay %s has %s, but the dev- rule gives %s", o.Name(), tag, DevTag(cfg, o.Name(), sha)), Fix{Action: ActionPinImage, Args: []string{sha}})
		}
		byTag[sha] = append(byTag[sha], o.Name())
	}
	if len(byTag) > 1 {
		var parts []string
		for pin, names := range byTag {
			parts = append(parts, fmt.Sprintf("%s: %s", pin, strings.Join(names, ", ")))
		}
		sort.Strings(parts)
		r.problem("overlays are pinned to different images ("+strings.Join(parts, "; ")+")", Fix{Action: ActionPinImage, Args: []string{"<imageSHA>"}}, Fix{Action: ActionUnpinImage})
	}
	return nil
}
