package release

import (
	"context"
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/confidential-containers/release-tools/gomod"
	"github.com/confidential-containers/release-tools/internal/gitrepo"
	"github.com/confidential-containers/release-tools/internal/reach"
	"github.com/confidential-containers/release-tools/overlays"
	"github.com/confidential-containers/release-tools/phase"
	"github.com/confidential-containers/release-tools/pins"
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
func setStep(name, file string, sets ...set) phase.Edit {
	return phase.Edit{Name: name, Plan: func(_ context.Context, t *phase.Tree) (string, error) {
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

// Managed reports whether releases pin the image in overlay o: its tag
// is latest or a commit (dev-<sha> for the dev overlays), and it has no
// digest.
func Managed(o overlays.Overlay) bool {
	return o.Digest == "" && (o.NewTag == pins.LatestTag || pins.IsCommit(strings.TrimPrefix(o.NewTag, "dev-")))
}

// overlayStep pins (sha != "") or unpins (sha == "") the image in every
// overlay that a release manages: those whose tag is latest or a commit
// pin. Any other overlay (its own registry and version) is left alone and
// named in the note.
func overlayStep(cfg Config, root, sha string) phase.Edit {
	name := "pin the " + cfg.Image + " image to " + sha
	if sha == "" {
		name = "unpin the " + cfg.Image + " image (back to latest)"
	}
	return phase.Edit{Name: name, Plan: func(_ context.Context, t *phase.Tree) (string, error) {
		found, err := overlays.Discover(filepath.Join(root, filepath.FromSlash(cfg.OverlaysRoot)), cfg.Image)
		if err != nil {
			return "", err
		}
		if len(found) == 0 {
			return "", fmt.Errorf("no overlay below %s has an images entry for %q", cfg.OverlaysRoot, cfg.Image)
		}
		var left []string
		for _, o := range found {
			if !Managed(o) {
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
func bumpSteps(root string, cfg Config, v version.Version) (phase.Step, []phase.Step, error) {
	mods, internal, err := modules(root)
	if err != nil {
		return nil, nil, err
	}
	var bumped []string
	keep := map[string]map[string]string{} // module dir -> the internal requires its tidy must keep, at v
	for _, m := range mods {
		for r, rv := range m.Requires {
			if slices.Contains(internal, r) && rv != gomod.ZeroPseudoVersion {
				if keep[m.Dir] == nil {
					bumped = append(bumped, m.Dir)
					keep[m.Dir] = map[string]string{}
				}
				keep[m.Dir][r] = v.String()
			}
		}
	}
	sort.Strings(bumped)
	steps := []phase.Step{phase.Edit{Name: "bump the requires between the repository's modules to " + v.String(), Plan: func(_ context.Context, t *phase.Tree) (string, error) {
		if len(bumped) == 0 {
			return "every internal require is the zero pseudo-version (a replace supplies it)", nil
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
		steps = append(steps, phase.Go{Dir: dir, Keep: keep[dir]})
	}
	return untaggedCheck(cfg, v, mods), steps, nil
}

// operatorStep pins the operator to ref ("config: release" where the key
// exists) or, with ref "main", unpins it ("config: default").
func operatorStep(cfg Config, ref string) phase.Edit {
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
func citationStep(cfg Config, version, date, commit string) phase.Edit {
	return setStep("update "+cfg.Citation+" for "+version, cfg.Citation,
		set{candidates: []string{"version"}, value: strings.TrimPrefix(version, "v")},
		set{candidates: []string{"date-released"}, value: date},
		set{candidates: []string{"commit"}, value: commit},
	)
}

// kataCheck is the prerelease's first step: the dependency references must
// agree with Kata's versions.yaml at the referenced Kata version. An
// unreachable Kata repository is reported and the check skipped.
func kataCheck(cfg Config, in Inputs) phase.Check {
	return phase.Check{Name: "check the Kata Containers references", Run: func(ctx context.Context, t *phase.Tree) (string, error) {
		src, err := t.Read(cfg.VersionsFile)
		if err != nil {
			return "", err
		}
		kata, err := get(src, cfg.Kata)
		if err != nil {
			return "", fmt.Errorf("%s: %w", cfg.VersionsFile, err)
		}
		if pins.IsCommit(kata) {
			return "", phase.Skip("the Kata reference is a commit, not a release to compare with")
		}
		want, err := kataRefs(ctx, cfg, in, kata, t.Waiting)
		if errors.Is(err, errUnreachable) {
			return "", phase.Skip(err.Error())
		}
		if err != nil {
			return "", err
		}
		var bad []string
		for _, d := range []struct {
			name       string
			candidates []string
			want       string
		}{{"guest-components", cfg.GuestComponents, want.guestComponents}, {"trustee", cfg.Trustee, want.trustee}} {
			got, err := get(src, d.candidates)
			if err != nil {
				return "", fmt.Errorf("%s: %w", cfg.VersionsFile, err)
			}
			if got != d.want {
				bad = append(bad, fmt.Sprintf("%s is %s, Kata %s has %s", d.name, got, kata, d.want))
			}
		}
		if len(bad) > 0 {
			return "", Fixable(fmt.Errorf("%s: %s", cfg.VersionsFile, strings.Join(bad, "; ")), Fix{Action: ActionDepsSync, Args: []string{kata}})
		}
		return "guest-components and trustee agree with Kata " + kata, nil
	}}
}

// errUnreachable marks another repository that could not be reached (its
// host name does not resolve, nothing accepts the connection): a check
// reports it and is skipped. A repository that was reached and failed, or
// did not answer within the timeout, is an error.
var errUnreachable = errors.New("could not reach the Kata Containers repository")

// gitError says what kind of failure err, from a lookup in another git
// repository bounded by gctx (from ctx), is: an unreachable host wraps
// errUnreachable, and running out of in's time says so.
func gitError(ctx, gctx context.Context, in Inputs, err error) error {
	switch {
	case ctx.Err() != nil:
		return err
	case reach.Unreachable(err):
		return fmt.Errorf("%w: %w", errUnreachable, err)
	case gctx.Err() != nil:
		d := in.GitTimeout
		if d <= 0 {
			d = DefaultGitTimeout
		}
		return fmt.Errorf("no answer within %s: %w", d, err)
	}
	return err
}

// kataRelease is what a Kata Containers release gives a deps sync: the
// commit its tag names, and the guest-components and trustee references
// of its versions.yaml.
type kataRelease struct {
	commit, guestComponents, trustee string
}

// kataRefs reads Kata's versions.yaml at the tag kataVersion, in the
// repository in names, within in's git timeout.
func kataRefs(ctx context.Context, cfg Config, in Inputs, kataVersion string, waiting func(string)) (kataRelease, error) {
	repo := in.kataRepo(cfg)
	if !local(repo) {
		waiting("reading Kata Containers' versions.yaml at " + kataVersion + " from " + repo)
	}
	gctx, cancel := in.gitCall(ctx)
	defer cancel()
	data, commit, err := gitrepo.ReadRemoteFile(gctx, repo, kataVersion, "versions.yaml")
	if err != nil {
		return kataRelease{}, gitError(ctx, gctx, in, err)
	}
	gc, err := versions.GetBytes(data, cfg.KataGuestComponentsKey)
	if err != nil {
		return kataRelease{}, fmt.Errorf("Kata %s versions.yaml: %w", kataVersion, err)
	}
	tr, err := versions.GetBytes(data, cfg.KataTrusteeKey)
	if err != nil {
		return kataRelease{}, fmt.Errorf("Kata %s versions.yaml: %w", kataVersion, err)
	}
	return kataRelease{commit: commit, guestComponents: gc, trustee: tr}, nil
}

// kataStep sets the Kata Containers references to kataVersion, each
// keeping its kind: one that holds a release gets kataVersion; one that
// holds a commit gets the commit (of Kata's tag, or Inputs.KataRef)
// with the comment "v<kataVersion>" (and " + <note>"). Every candidate
// path that exists is set; at least one must. guest-components and
// trustee get what Kata's versions.yaml names.
func kataStep(cfg Config, kataVersion, commit, note string, k kataRelease) phase.Edit {
	comment := "v" + kataVersion
	if note != "" {
		comment += " + " + note
	}
	return phase.Edit{Name: "set the Kata Containers references", Plan: func(_ context.Context, t *phase.Tree) (string, error) {
		_, err := t.Edit(cfg.VersionsFile, func(src []byte) ([]byte, error) {
			found := 0
			for _, p := range cfg.Kata {
				cur, err := versions.GetBytes(src, p)
				if dup := (*versions.DuplicateKeyError)(nil); errors.As(err, &dup) {
					return nil, fmt.Errorf("%s: %w", cfg.VersionsFile, err)
				}
				if err != nil {
					continue
				}
				found++
				if pins.IsCommit(cur) {
					src, err = versions.SetWithCommentBytes(src, p, commit, comment)
				} else {
					src, err = versions.SetBytes(src, p, kataVersion)
				}
				if err != nil {
					return nil, fmt.Errorf("%s: %w", cfg.VersionsFile, err)
				}
			}
			if found == 0 {
				return nil, fmt.Errorf("%s: none of %q holds a value", cfg.VersionsFile, cfg.Kata)
			}
			for _, s := range []set{{candidates: cfg.GuestComponents, value: k.guestComponents}, {candidates: cfg.Trustee, value: k.trustee}} {
				p, err := versions.FirstPathBytes(src, s.candidates...)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", cfg.VersionsFile, err)
				}
				if src, err = versions.SetBytes(src, p, s.value); err != nil {
					return nil, fmt.Errorf("%s: %w", cfg.VersionsFile, err)
				}
			}
			return src, nil
		})
		if commit != k.commit {
			return "the commit-kind references get " + commit + " (chosen), not the tag's " + k.commit, err
		}
		return "", err
	}}
}

func get(src []byte, candidates []string) (string, error) {
	p, err := versions.FirstPathBytes(src, candidates...)
	if err != nil {
		return "", err
	}
	return versions.GetBytes(src, p)
}
