package status

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/confidential-containers/release-tools/github"
	"github.com/confidential-containers/release-tools/gomod"
	"github.com/confidential-containers/release-tools/internal/gitremote"
	"github.com/confidential-containers/release-tools/internal/gitrepo"
	"github.com/confidential-containers/release-tools/kata"
	"github.com/confidential-containers/release-tools/ledger"
	"github.com/confidential-containers/release-tools/overlays"
	"github.com/confidential-containers/release-tools/release"
	"github.com/confidential-containers/release-tools/release/config"
	"github.com/confidential-containers/release-tools/versions"
)

// facts is what [Of] reads of a repository, before any of it is judged:
// [facts.report] turns them into rows and problems.
type facts struct {
	cfg    config.Config
	layout release.Layout
	deps   []dependency
	// operatorConfig is the operator's configuration in the versions
	// file, when the configuration names one and it could be read
	// (hasOperatorConfig).
	operatorConfig    string
	hasOperatorConfig bool
	overlays          []overlays.Overlay // the overlay layout's
	images            []imagePlace       // the chart layout's
	mods              []gomod.Module
	// ledger is the ledger of releases ([ledger.Read]): the tags, local
	// and on the remote (remoteNote says what it listed, or why not), and
	// the GitHub releases when GitHub was asked (ghErr: asking failed).
	ledger     *ledger.Ledger
	remoteNote string
	ghAsked    bool
	ghErr      error
	charts     []chartFacts      // the chart layout's
	citation   map[string]string // version, date-released, commit; nil without a citation file
	// standing is HEAD against the remote's release branch as the remote
	// has it now; nil, with standingErr, when it could not be read.
	standing    *gitremote.Standing
	standingErr error
	kata        kataFacts
}

// dependency is a dependency reference of the versions file: the first
// of its candidate paths there, and its value.
type dependency struct {
	name       string
	candidates []string
	dup        *versions.DuplicateKeyError // the file holds a key twice
	path       string                      // "" when the file has none of the candidates
	value      string
	err        error // the value could not be read
}

// read reads the facts of the repository rel; an error is what stopped it.
func read(ctx context.Context, rel release.Repo, o Options) (*facts, error) {
	root, cfg := rel.Root, rel.Config
	repo, err := rel.Repository()
	if err != nil {
		return nil, fmt.Errorf("status: open the repository at %s: %w", root, err)
	}
	if err := gitrepo.CheckHead(repo, root); err != nil {
		return nil, fmt.Errorf("status: %w", err)
	}
	f := &facts{cfg: cfg}
	vsrc, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(cfg.VersionsFile)))
	if err != nil {
		return nil, fmt.Errorf("release: %w", err)
	}
	if f.layout, err = rel.Layout(); err != nil {
		return nil, err
	}
	f.deps = readDependencies(vsrc, cfg, f.layout)
	if v, _, err := kata.Current(vsrc, cfg.Kata); err != nil {
		f.kata.why = err.Error()
	} else {
		f.kata.version = v.String()
	}
	if f.kata.version != "" && o.KataRepo != "" {
		f.kata = readKata(ctx, cfg, o, f.kata.version)
	}
	f.kata.choices, f.kata.choicesErr = readChoices(ctx, root, cfg, vsrc)
	f.standing, f.standingErr = gitremote.Upstream(ctx, repo, root, cfg.Remote, cfg.Branch, func(what string) {
		if o.Progress != nil {
			fmt.Fprintf(o.Progress, "... %s (waits on the network)\n", what)
		}
	})
	if cfg.OperatorConfig != "" {
		c, err := versions.GetBytes(vsrc, cfg.OperatorConfig)
		f.operatorConfig, f.hasOperatorConfig = c, err == nil
	}
	if f.layout == release.OverlayLayout {
		if f.overlays, err = overlays.Discover(filepath.Join(root, filepath.FromSlash(cfg.OverlaysRoot)), cfg.Image); err != nil {
			return nil, err
		}
	} else {
		f.images = readImages(rel)
	}
	if f.mods, err = gomod.Discover(root); err != nil {
		return nil, err
	}
	lf, note, err := rel.LedgerFacts(ctx)
	if err != nil {
		return nil, fmt.Errorf("status: %w", err)
	}
	f.remoteNote = note
	if o.GitHub != nil {
		f.ghAsked = true
		rs, err := o.GitHub.Releases(ctx)
		if err != nil {
			f.ghErr = err
		} else {
			lf.GitHub, lf.GitHubRead = github.LedgerReleases(rs), true
		}
	}
	f.ledger = ledger.Read(lf)
	if f.layout == release.ChartLayout {
		if f.charts, err = readCharts(rel); err != nil {
			return nil, err
		}
	}
	if cfg.Citation != "" {
		if f.citation, err = readCitation(root, cfg.Citation); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// readDependencies reads the dependency references of the versions file
// vsrc: Kata, guest-components, trustee and, but on the chart layout, the
// operator.
func readDependencies(vsrc []byte, cfg config.Config, layout release.Layout) []dependency {
	operator := cfg.OperatorRef
	if layout == release.ChartLayout {
		operator = nil // the chart layout pins no operator
	}
	var deps []dependency
	for _, d := range []dependency{{name: "kata-containers", candidates: cfg.Kata}, {name: "guest-components", candidates: cfg.GuestComponents},
		{name: "trustee", candidates: cfg.Trustee}, {name: "operator", candidates: operator}} {
		if len(d.candidates) == 0 {
			continue
		}
		p, err := versions.FirstPathBytes(vsrc, d.candidates...)
		if err != nil { // a duplicate key, or none of the candidates
			errors.As(err, &d.dup)
			deps = append(deps, d)
			continue
		}
		d.path = p
		d.value, d.err = versions.GetBytes(vsrc, p)
		deps = append(deps, d)
	}
	return deps
}

// readCitation reads the version, date-released and commit of the
// citation file ("(none)" for what it lacks).
func readCitation(root, file string) (map[string]string, error) {
	csrc, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(file)))
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
	return cite, nil
}
