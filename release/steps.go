package release

import (
	"context"
	"fmt"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/confidential-containers/release-tools/gomod"
	"github.com/confidential-containers/release-tools/overlays"
	"github.com/confidential-containers/release-tools/version"
	"github.com/confidential-containers/release-tools/versions"
)

// set is one value to set in a YAML file, at the first of several
// candidate paths that exists.
type set struct {
	candidates []string
	value      string
	optional   bool // a missing key is left alone
}

// setStep sets values in one YAML file.
func setStep(name, file string, sets ...set) Step {
	return Step{Name: name, Edit: func(_ context.Context, t *Tree) (string, error) {
		var absent []string
		_, err := t.Edit(file, func(src []byte) ([]byte, error) {
			for _, s := range sets {
				p, err := versions.FirstPathBytes(src, s.candidates...)
				if err != nil && s.optional {
					absent = append(absent, strings.Join(s.candidates, " or "))
					continue
				}
				if err != nil {
					return nil, fmt.Errorf("%s: %w", file, err)
				}
				if src, err = versions.SetBytes(src, p, s.value); err != nil {
					return nil, fmt.Errorf("%s: %w", file, err)
				}
			}
			return src, nil
		})
		if len(absent) > 0 {
			return "no " + strings.Join(absent, ", ") + " in " + file + ": left alone", err
		}
		return "", err
	}}
}

// commitPin is a tag that pins an image to a commit: 40 hex digits, with
// the dev- prefix of the dev overlays.
var commitPin = regexp.MustCompile(`^(dev-)?[0-9a-f]{40}$`)

// IsSHA reports whether s is a full commit SHA (40 lowercase hex digits).
func IsSHA(s string) bool { return len(s) == 40 && commitPin.MatchString(s) }

// overlayStep pins (sha != "") or unpins (sha == "") the image in every
// overlay that a release manages: those whose tag is latest or a commit
// pin. Any other overlay (its own registry and version) is left alone and
// named in the note.
func overlayStep(cfg Config, root, sha string) Step {
	name := "pin the " + cfg.Image + " image to " + sha
	if sha == "" {
		name = "unpin the " + cfg.Image + " image (back to latest)"
	}
	return Step{Name: name, Edit: func(_ context.Context, t *Tree) (string, error) {
		found, err := overlays.Discover(filepath.Join(root, filepath.FromSlash(cfg.OverlaysRoot)), cfg.Image)
		if err != nil {
			return "", err
		}
		if len(found) == 0 {
			return "", fmt.Errorf("no overlay below %s has an images entry for %q", cfg.OverlaysRoot, cfg.Image)
		}
		var left []string
		for _, o := range found {
			if o.Digest != "" || o.NewTag != "latest" && !commitPin.MatchString(o.NewTag) {
				left = append(left, fmt.Sprintf("%s (%s)", o.Name(), o.NewTag+o.Digest))
				continue
			}
			tag := "latest"
			if sha != "" {
				tag = DevTag(cfg, o.Name(), sha)
			}
			file := path.Join(cfg.OverlaysRoot, o.File)
			if _, err := t.Edit(file, func(src []byte) ([]byte, error) {
				return overlays.PinImageBytes(src, cfg.Image, tag)
			}); err != nil {
				return "", fmt.Errorf("%s: %w", file, err)
			}
		}
		if len(left) > 0 {
			return "left alone, not pinned by releases: " + strings.Join(left, ", "), nil
		}
		return "", nil
	}}
}

// DevTag is the tag an overlay takes for an image commit: dev-<sha> for the
// dev overlays, the sha otherwise.
func DevTag(cfg Config, overlay, sha string) string {
	for _, d := range cfg.DevOverlays {
		if d == overlay {
			return "dev-" + sha
		}
	}
	return sha
}

// modules returns the repository's modules and their paths.
func modules(root string) ([]gomod.Module, []string, error) {
	mods, err := gomod.Discover(root)
	if err != nil {
		return nil, nil, err
	}
	var internal []string
	for _, m := range mods {
		internal = append(internal, m.Path)
	}
	return mods, internal, nil
}

// bumpSteps bumps the internal requires of every module to v, then tidies
// each module it bumped. Modules whose internal requires are all the zero
// pseudo-version have nothing to bump. It also returns the check that v is
// not tagged yet, to run first.
func bumpSteps(root string, cfg Config, v version.Version) (Step, []Step, error) {
	mods, internal, err := modules(root)
	if err != nil {
		return Step{}, nil, err
	}
	var bumped []string
	for _, m := range mods {
		for r, v := range m.Requires {
			if contains(internal, r) && v != gomod.ZeroPseudoVersion {
				bumped = append(bumped, m.Dir)
				break
			}
		}
	}
	sort.Strings(bumped)
	steps := []Step{{Name: "bump the requires between the repository's modules to " + v.String(), Edit: func(_ context.Context, t *Tree) (string, error) {
		if len(bumped) == 0 {
			return "skipped: every internal require is the zero pseudo-version (a replace supplies it)", nil
		}
		for _, dir := range bumped {
			file := path.Join(dir, "go.mod")
			if _, err := t.Edit(file, func(src []byte) ([]byte, error) {
				return gomod.BumpRequires(file, src, internal, v)
			}); err != nil {
				return "", err
			}
		}
		return "", nil
	}}}
	for _, dir := range bumped {
		steps = append(steps, Step{Name: "tidy " + dir, Go: &GoCmd{Dir: dir}})
	}
	return untaggedCheck(cfg, v, mods), steps, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// operatorStep pins the operator to ref ("config: release" where the key
// exists) or, with ref "main", unpins it ("config: default").
func operatorStep(cfg Config, ref string) Step {
	config := "release"
	name := "pin the operator to " + ref
	if ref == "main" {
		config, name = "default", "unpin the operator (back to main)"
	}
	sets := []set{{candidates: cfg.OperatorRef, value: ref}}
	if cfg.OperatorConfig != "" {
		sets = append(sets, set{candidates: []string{cfg.OperatorConfig}, value: config, optional: true})
	}
	return setStep(name, cfg.VersionsFile, sets...)
}

// citationStep updates CITATION.cff for a release.
func citationStep(cfg Config, version, date, commit string) Step {
	return setStep("update "+cfg.Citation+" for "+version, cfg.Citation,
		set{candidates: []string{"version"}, value: strings.TrimPrefix(version, "v")},
		set{candidates: []string{"date-released"}, value: date},
		set{candidates: []string{"commit"}, value: commit},
	)
}

// kataCheck is the prerelease's first step: the dependency references must
// agree with Kata's versions.yaml at the referenced Kata version. An
// unreachable Kata repository is reported and the check skipped.
func kataCheck(cfg Config, in Inputs) Step {
	return Step{Name: "check the Kata Containers references", Check: true, Edit: func(ctx context.Context, t *Tree) (string, error) {
		src, err := t.Read(cfg.VersionsFile)
		if err != nil {
			return "", err
		}
		kata, err := get(src, cfg.Kata)
		if err != nil {
			return "", fmt.Errorf("%s: %w", cfg.VersionsFile, err)
		}
		want, err := kataRefs(ctx, cfg, in.kataRepo(cfg), kata, t.Waiting)
		if err != nil {
			return "skipped: " + err.Error(), nil
		}
		var bad []string
		for _, d := range []struct {
			name       string
			candidates []string
			want       string
		}{{"guest-components", cfg.GuestComponents, want[0]}, {"trustee", cfg.Trustee, want[1]}} {
			got, err := get(src, d.candidates)
			if err != nil {
				return "", fmt.Errorf("%s: %w", cfg.VersionsFile, err)
			}
			if got != d.want {
				bad = append(bad, fmt.Sprintf("%s is %s, Kata %s has %s", d.name, got, kata, d.want))
			}
		}
		if len(bad) > 0 {
			return "", fmt.Errorf("%s: %s: run `mage deps:sync %s` first", cfg.VersionsFile, strings.Join(bad, "; "), kata)
		}
		return "guest-components and trustee agree with Kata " + kata, nil
	}}
}

// kataRefs reads the guest-components and trustee references from Kata's
// versions.yaml at kataVersion.
func kataRefs(ctx context.Context, cfg Config, repo, kataVersion string, waiting func(string)) ([2]string, error) {
	waiting("reading Kata Containers' versions.yaml at " + kataVersion + " from " + repo)
	data, err := ReadRemoteFile(ctx, repo, kataVersion, "versions.yaml")
	if err != nil {
		return [2]string{}, err
	}
	gc, err := versions.GetBytes(data, cfg.KataGuestComponentsKey)
	if err != nil {
		return [2]string{}, fmt.Errorf("Kata %s versions.yaml: %w", kataVersion, err)
	}
	tr, err := versions.GetBytes(data, cfg.KataTrusteeKey)
	if err != nil {
		return [2]string{}, fmt.Errorf("Kata %s versions.yaml: %w", kataVersion, err)
	}
	return [2]string{gc, tr}, nil
}

func get(src []byte, candidates []string) (string, error) {
	p, err := versions.FirstPathBytes(src, candidates...)
	if err != nil {
		return "", err
	}
	return versions.GetBytes(src, p)
}
