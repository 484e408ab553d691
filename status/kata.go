package status

import (
	"context"
	"fmt"
	"path"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/confidential-containers/release-tools/gomod"
	"github.com/confidential-containers/release-tools/internal/gitremote"
	"github.com/confidential-containers/release-tools/kata"
	"github.com/confidential-containers/release-tools/pins"
	"github.com/confidential-containers/release-tools/release"
	"github.com/confidential-containers/release-tools/release/config"
	"github.com/confidential-containers/release-tools/versions"
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
}

var kataComment = regexp.MustCompile(`^v([0-9]+\.[0-9]+\.[0-9]+)(?:\s|$)`)

// kataVersion is the highest Kata version of the references of cfg.Kata
// in the versions file vsrc: a version, or a commit whose comment starts
// with vX.Y.Z (what the deps sync writes).
func kataVersion(vsrc []byte, cfg config.Config) (string, string) {
	best, why := "", "none of "+strings.Join(cfg.Kata, ", ")+" holds a value"
	for _, p := range cfg.Kata {
		val, err := versions.GetBytes(vsrc, p)
		if err != nil {
			continue
		}
		s := val
		if pins.IsCommit(val) {
			c, _ := versions.CommentBytes(vsrc, p)
			m := kataComment.FindStringSubmatch(c)
			if m == nil {
				why = p + " is commit " + val[:12] + " without a # vX.Y.Z comment"
				continue
			}
			s = m[1]
		}
		kv, err := kata.ParseVersion(s)
		if err != nil {
			why = p + ": " + err.Error()
			continue
		}
		if best == "" {
			best = kv.String()
		} else if bv, _ := kata.ParseVersion(best); kv.Compare(bv) > 0 {
			best = kv.String()
		}
	}
	if best != "" {
		why = ""
	}
	return best, why
}

// readKata reads what Kata's versions.yaml names at version in repo, the
// guest-components and trustee references, within timeout.
func readKata(ctx context.Context, cfg config.Config, o Options, version string) kataFacts {
	k := kataFacts{version: version, repo: o.KataRepo}
	if o.Progress != nil && gitremote.OpenLocal(o.KataRepo) == nil {
		fmt.Fprintf(o.Progress, "... reading Kata Containers' versions.yaml at %s from %s (waits on the network)\n", version, o.KataRepo)
	}
	ctx, cancel := context.WithTimeout(ctx, o.timeout())
	defer cancel()
	data, _, err := gitremote.ReadRemoteFile(ctx, o.KataRepo, version, "versions.yaml")
	if err != nil {
		if ctx.Err() != nil {
			err = fmt.Errorf("no answer within %s: %w", o.timeout(), err)
		}
		k.err = err
		return k
	}
	k.names = map[string]string{}
	for name, key := range map[string]string{"guest-components": cfg.KataGuestComponentsKey, "trustee": cfg.KataTrusteeKey} {
		if key == "" {
			continue
		}
		v, err := versions.GetBytes(data, key)
		if err != nil {
			k.err = fmt.Errorf("Kata %s versions.yaml: %w", version, err)
			return k
		}
		k.names[name] = v
	}
	return k
}

// kata adds the Kata facts: the version versions.yaml's Kata reference
// is at, and a problem when a go.mod requires another Kata runtime than
// the others, when kata-deploy is pinned to another Kata version, or when
// guest-components or trustee is not what Kata's versions.yaml names at
// that version. A Kata repository that could not be read is a check not
// made.
func (r *Report) kata(f *facts) {
	cfg, k := f.cfg, f.kata
	if k.version == "" {
		r.row("kata version", "unknown: "+k.why)
	} else {
		r.row("kata version", k.version)
	}
	r.kataRequires(cfg, f.mods, k.version)
	if pinned := r.c.kataDeploy; pinned != "" && k.version != "" && pinned != k.version {
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
			if d.value != want {
				r.problem(fmt.Sprintf("%s: %s is %s, but Kata %s's versions.yaml names %s", cfg.VersionsFile, d.path, d.value, k.version, want),
					release.Fix{Action: release.ActionDepsSync, Args: []string{k.version}})
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
