package status

import (
	"context"
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/confidential-containers/release-tools/gomod"
	"github.com/confidential-containers/release-tools/internal/gitremote"
	"github.com/confidential-containers/release-tools/kata"
	"github.com/confidential-containers/release-tools/release"
	"github.com/confidential-containers/release-tools/release/config"
)

// DefaultTimeout bounds each network lookup of status that has no bound
// of its own (Kata's versions.yaml) when Options.Timeout is zero.
const DefaultTimeout = 30 * time.Second

// kataFacts are the Kata version versions.yaml holds and, when Kata's
// repository was asked, what its versions.yaml names at that version.
type kataFacts struct {
	version string // "3.31.0"; "" when it cannot be told (why)
	why     string
	repo    string            // where Kata was asked; "" when it was not
	names   map[string]string // guest-components, trustee: what Kata names
	err     error             // Kata's versions.yaml could not be read
	// choices are the references chosen by hand that the history records
	// for the versions file as it is ([kata.Choices]); choicesErr why they
	// could not be read.
	choices    []kata.Choice
	choicesErr error
}

// readChoices reads the choices recorded in the history of the versions
// file vsrc of the repository at root.
func readChoices(ctx context.Context, root string, cfg config.Config, vsrc []byte) ([]kata.Choice, error) {
	return kata.Choices(ctx, root, kata.Refs{File: cfg.VersionsFile, Kata: cfg.Kata, GuestComponents: cfg.GuestComponents, Trustee: cfg.Trustee}, vsrc)
}

// readKata reads what Kata's versions.yaml names at version in repo, the
// guest-components and trustee references, within timeout.
func readKata(ctx context.Context, cfg config.Config, o Options, version string) kataFacts {
	k := kataFacts{version: version, repo: o.KataRepo}
	if o.Progress != nil && gitremote.OpenLocal(o.KataRepo) == nil {
		fmt.Fprintf(o.Progress, "... reading Kata Containers' versions.yaml at %s from %s (waits on the network)\n", version, o.KataRepo)
	}
	k.names, k.err = kata.Names(ctx, o.KataRepo, version, map[string]string{"guest-components": cfg.KataGuestComponentsKey, "trustee": cfg.KataTrusteeKey}, o.timeout())
	return k
}

// kata adds the Kata facts: the version versions.yaml's Kata reference
// is at, the references chosen by hand (a row each), and a problem when a
// go.mod requires another Kata runtime than the others, when kata-deploy
// is pinned to another Kata version, or when guest-components or trustee
// is neither what Kata's versions.yaml names at that version nor a
// choice. Every deps sync of that version that a problem's fixes suggest,
// there or before, carries the choices. A Kata repository or a history
// that could not be read is a check not made.
func (r *Report) kata(f *facts) {
	defer r.carryChoices(f.kata)
	cfg, k := f.cfg, f.kata
	if k.version == "" {
		r.row("kata version", "unknown: "+k.why)
	} else {
		r.row("kata version", k.version)
	}
	for _, c := range k.choices {
		r.row("chosen "+string(c.Ref), fmt.Sprintf("%s by hand in %.12s (Kata %s names %s)", c.Value, c.Commit, c.Kata, c.Names))
	}
	if k.choicesErr != nil {
		r.Unchecked = append(r.Unchecked, "the references chosen by hand: "+k.choicesErr.Error())
	}
	r.kataRequires(cfg, f.mods, k.version)
	if pinned := r.c.KataDeploy; pinned != "" && k.version != "" && pinned != k.version {
		r.problem(fmt.Sprintf("kata-deploy is pinned to %s, but %s's Kata reference is at %s", pinned, cfg.VersionsFile, k.version),
			release.Fix{Action: release.ActionDepsSync, Args: []string{k.version}})
	}
	switch {
	case k.version == "":
	case k.repo == "":
		r.row("kata versions.yaml", "not asked")
	case k.err != nil:
		r.row("kata versions.yaml", "unknown")
		r.Unchecked = append(r.Unchecked, "guest-components and trustee against Kata "+k.version+"'s versions.yaml: "+k.err.Error())
	default:
		r.row("kata versions.yaml", k.version+" read from "+k.repo)
		for _, d := range f.deps {
			want, ok := k.names[d.name]
			if !ok || d.path == "" || d.err != nil {
				continue
			}
			if d.value != want && !slices.ContainsFunc(k.choices, func(c kata.Choice) bool { return string(c.Ref) == d.name && c.Value == d.value }) {
				r.problem(fmt.Sprintf("%s: %s is %s, but Kata %s's versions.yaml names %s", cfg.VersionsFile, d.path, d.value, k.version, want),
					release.Fix{Action: release.ActionDepsSync, Args: []string{k.version}})
			}
		}
	}
}

// carryChoices gives every deps sync to k's version among the fixes of
// the problems the choices of k, so that running it keeps them.
func (r *Report) carryChoices(k kataFacts) {
	for _, p := range r.Problems {
		for i, fix := range p.Fixes {
			if fix.Action == release.ActionDepsSync && len(fix.Args) == 1 && fix.Args[0] == k.version && fix.Choices == nil {
				p.Fixes[i].Choices = k.choices
			}
		}
	}
}

// kataRequires adds a problem when the modules require different versions
// of the Kata runtime module.
func (r *Report) kataRequires(cfg config.Config, mods []gomod.Module, kata string) {
	if cfg.KataRuntimeModule == "" {
		return
	}
	by := map[string][]string{}
	for _, m := range mods {
		if v, ok := m.Requires[cfg.KataRuntimeModule]; ok {
			by[v] = append(by[v], path.Join(m.Dir, "go.mod"))
		}
	}
	if len(by) < 2 {
		return
	}
	var parts []string
	for v, files := range by {
		parts = append(parts, v+": "+strings.Join(files, ", "))
	}
	sort.Strings(parts)
	if kata == "" {
		kata = "<kataVersion>"
	}
	r.problem("the modules require different versions of "+cfg.KataRuntimeModule+": "+strings.Join(parts, "; "),
		release.Fix{Action: release.ActionDepsSync, Args: []string{kata}})
}
