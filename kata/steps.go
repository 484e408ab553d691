package kata

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/confidential-containers/release-tools/phase"
	"github.com/confidential-containers/release-tools/pins"
	"github.com/confidential-containers/release-tools/versions"
)

// Refs are where a versions file holds the references a deps sync
// sets: the candidate key paths of the Kata Containers, guest-components
// and trustee references (keys moved over a project's life).
type Refs struct {
	File                           string // the versions file, relative to the root
	Kata, GuestComponents, Trustee []string
}

// Check checks that the guest-components and trustee references of
// refs agree with Kata's versions.yaml at the Kata version refs holds,
// read from remote, or are choices recorded in the history ([Choices]): a
// reference that is neither is a [*SyncError], carrying the choices. A
// Kata reference that holds a commit has no release to compare with, and
// a Kata repository that could not be reached ([ErrUnreachable]) is
// reported: either skips the check.
func Check(refs Refs, remote Remote) phase.Check {
	return phase.Check{Name: "check the Kata Containers references", Run: func(ctx context.Context, t *phase.Tree) (string, error) {
		src, err := t.Read(refs.File)
		if err != nil {
			return "", err
		}
		kv, err := get(src, refs.Kata)
		if err != nil {
			return "", fmt.Errorf("%s: %w", refs.File, err)
		}
		if pins.IsCommit(kv) {
			return "", phase.Skip("the Kata reference is a commit, not a release to compare with")
		}
		want, err := remote.Release(ctx, kv, t.Waiting)
		if errors.Is(err, ErrUnreachable) {
			return "", phase.Skip(err.Error())
		}
		if err != nil {
			return "", err
		}
		choices, err := Choices(ctx, t.Root, refs, src)
		if err != nil {
			return "", err
		}
		var bad, chosen []string
		for _, d := range []struct {
			ref        Ref
			candidates []string
			want       string
		}{{RefGuestComponents, refs.GuestComponents, want.GuestComponents.Value}, {RefTrustee, refs.Trustee, want.Trustee.Value}} {
			got, err := get(src, d.candidates)
			if err != nil {
				return "", fmt.Errorf("%s: %w", refs.File, err)
			}
			switch {
			case got == d.want:
			case slices.ContainsFunc(choices, func(c Choice) bool { return c.Ref == d.ref && c.Value == got }):
				chosen = append(chosen, fmt.Sprintf("%s %s chosen (Kata %s has %s)", d.ref, got, kv, d.want))
			default:
				bad = append(bad, fmt.Sprintf("%s is %s, Kata %s has %s", d.ref, got, kv, d.want))
			}
		}
		if len(bad) > 0 {
			return "", &SyncError{Kata: kv, Choices: choices, Err: fmt.Errorf("%s: %s", refs.File, strings.Join(bad, "; "))}
		}
		if len(chosen) > 0 {
			return "guest-components and trustee agree with Kata " + kv + " but for the choices recorded: " + strings.Join(chosen, ", "), nil
		}
		return "guest-components and trustee agree with Kata " + kv, nil
	}}
}

// Set sets the references of refs to Kata Containers kataVersion,
// each keeping its kind: a Kata reference that holds a release gets
// kataVersion; one that holds a commit gets commit (of Kata's tag, k's, or
// a later one) with the comment "v<kataVersion>" (and " + <note>"). Every
// Kata candidate path that exists is set; at least one must.
// guest-components and trustee get what Kata's versions.yaml names (k),
// each checked first to be a commit or a version (a [*ValueError]
// otherwise, nothing written); one of another kind than the reference
// holds (a version where it holds a commit, as Kata's versions.yaml moved
// to a tag) is written, and the plan says the kind changes.
func Set(refs Refs, kataVersion, commit, note string, k Release) phase.Edit {
	comment := "v" + kataVersion
	if note != "" {
		comment += " + " + note
	}
	file := refs.File
	return phase.Edit{Name: "set the Kata Containers references", Plan: func(_ context.Context, t *phase.Tree) (string, error) {
		var notes []string
		_, err := t.Edit(file, func(src []byte) ([]byte, error) {
			notes = nil
			found := 0
			for _, p := range refs.Kata {
				cur, err := versions.GetBytes(src, p)
				if dup := (*versions.DuplicateKeyError)(nil); errors.As(err, &dup) {
					return nil, fmt.Errorf("%s: %w", file, err)
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
					return nil, fmt.Errorf("%s: %w", file, err)
				}
			}
			if found == 0 {
				return nil, fmt.Errorf("%s: none of %q holds a value", file, refs.Kata)
			}
			for _, s := range []struct {
				candidates []string
				value      Value
			}{{refs.GuestComponents, k.GuestComponents}, {refs.Trustee, k.Trustee}} {
				p, err := versions.FirstPathBytes(src, s.candidates...)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", file, err)
				}
				cur, err := versions.GetBytes(src, p)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", file, err)
				}
				if err := k.check(s.value, file, p, cur); err != nil {
					return nil, err
				}
				if note := kindChange(p, cur, s.value.Value); note != "" {
					notes = append(notes, note)
				}
				if src, err = versions.SetBytes(src, p, s.value.Value); err != nil {
					return nil, fmt.Errorf("%s: %w", file, err)
				}
			}
			return src, nil
		})
		if commit != k.Commit {
			notes = append([]string{"the commit-kind references get " + commit + " (chosen), not the tag's " + k.Commit}, notes...)
		}
		return strings.Join(notes, "; "), err
	}}
}

// NoDowngrade is a deps sync's first step: to must not be below the Kata
// version the Kata references of refs hold ([Current]), unless allow;
// a version that cannot be read counts as a possible downgrade. A
// downgrade is a [*DowngradeError].
func NoDowngrade(refs Refs, to Version, allow bool) phase.Check {
	return phase.Check{Name: "check that Kata Containers " + to.String() + " is no downgrade", Run: func(_ context.Context, t *phase.Tree) (string, error) {
		src, err := t.Read(refs.File)
		if err != nil {
			return "", err
		}
		cur, where, err := Current(src, refs.Kata)
		if dup := (*versions.DuplicateKeyError)(nil); errors.As(err, &dup) {
			return "", fmt.Errorf("%s: %w", refs.File, err)
		}
		switch {
		case err != nil && allow:
			return "the current Kata version could not be read (" + err.Error() + "): downgrades allowed", nil
		case err != nil:
			return "", &DowngradeError{File: refs.File, To: to.String(), Why: err.Error()}
		case to.Compare(cur) < 0 && allow:
			return "Kata " + cur.String() + " -> " + to.String() + ": a downgrade, allowed", nil
		case to.Compare(cur) < 0:
			return "", &DowngradeError{File: refs.File, From: cur.String(), To: to.String(), Why: where}
		case to.Compare(cur) == 0:
			return "Kata " + cur.String() + " already (" + where + "): a sync again", nil
		}
		return "Kata " + cur.String() + " -> " + to.String(), nil
	}}
}

// get is the value at the first of candidates that exists in src.
func get(src []byte, candidates []string) (string, error) {
	p, err := versions.FirstPathBytes(src, candidates...)
	if err != nil {
		return "", err
	}
	return versions.GetBytes(src, p)
}

// SyncError is an error that a deps sync with Kata Containers puts right:
// the references disagree with Kata's, or a chart depends on kata-deploy's
// dev version. Kata is the Kata version to sync with, "" when it is not
// known; Choices are the references chosen by hand that the sync is to
// write again ([Choices]).
type SyncError struct {
	Kata    string
	Choices []Choice
	Err     error
}

func (e *SyncError) Error() string { return e.Err.Error() }
func (e *SyncError) Unwrap() error { return e.Err }
