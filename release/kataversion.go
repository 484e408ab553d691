package release

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/confidential-containers/release-tools/phase"
	"github.com/confidential-containers/release-tools/pins"
	"github.com/confidential-containers/release-tools/versions"
)

// KataVersion is a Kata Containers release version, X.Y.Z: what a deps
// sync takes and what versions.yaml's Kata references name.
type KataVersion struct {
	n [3]int
}

// kataVersionRE is X.Y.Z, digits only, without leading zeros.
var kataVersionRE = regexp.MustCompile(`^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$`)

// ParseKataVersion parses a Kata Containers release version: X.Y.Z,
// digits only, no leading zeros, no v, each number fitting an int.
// Anything else (3.31.0.., 3.31.0@{1}, -x, v3.31.0, a branch) is an
// error, though git could resolve it.
func ParseKataVersion(s string) (KataVersion, error) {
	m := kataVersionRE.FindStringSubmatch(s)
	if m == nil {
		return KataVersion{}, fmt.Errorf("%q is not a Kata Containers release: give X.Y.Z, digits only, such as 3.31.0", s)
	}
	var v KataVersion
	for i := range 3 {
		n, err := strconv.Atoi(m[i+1])
		if err != nil {
			return KataVersion{}, fmt.Errorf("%q is not a Kata Containers release: %s is too large a number", s, m[i+1])
		}
		v.n[i] = n
	}
	return v, nil
}

func (v KataVersion) String() string { return fmt.Sprintf("%d.%d.%d", v.n[0], v.n[1], v.n[2]) }

// Compare is -1, 0 or +1 as v is below, equal to or above w.
func (v KataVersion) Compare(w KataVersion) int {
	for i := range 3 {
		switch {
		case v.n[i] < w.n[i]:
			return -1
		case v.n[i] > w.n[i]:
			return 1
		}
	}
	return 0
}

// ErrDowngrade is returned, wrapped in a [*DowngradeError], by a deps sync
// to a Kata version below the one versions.yaml holds, or when the one it
// holds cannot be read; [Inputs.AllowDowngrade] lets it through.
var ErrDowngrade = errors.New("a Kata Containers downgrade")

// DowngradeError is a deps sync that would move the Kata references down:
// From is what versions.yaml holds ("" when it could not be read, Why
// says why), To the version asked for.
type DowngradeError struct {
	File     string
	From, To string
	Why      string
}

func (e *DowngradeError) Error() string {
	if e.From == "" {
		return fmt.Sprintf("%s: the Kata Containers version it holds could not be read (%s): a sync to %s may be a downgrade", e.File, e.Why, e.To)
	}
	return fmt.Sprintf("%s: Kata Containers %s is below %s, the version it holds (%s): a downgrade", e.File, e.To, e.From, e.Why)
}

func (e *DowngradeError) Unwrap() error { return ErrDowngrade }

// commentVersionRE is the version a commit-kind Kata reference's comment
// starts with: "v3.31.0" or "v3.31.0 + tagging fix".
var commentVersionRE = regexp.MustCompile(`^v([0-9]+\.[0-9]+\.[0-9]+)(?:\s|$)`)

// currentKata is the Kata version versions.yaml src holds: the highest of
// the references of cfg.Kata that exist, each a release version, or a
// commit whose comment starts with vX.Y.Z (what [kataStep] writes). where
// says which reference holds it; an error says why none could be read.
func currentKata(cfg Config, src []byte) (v KataVersion, where string, err error) {
	var why []string
	found := false
	for _, p := range cfg.Kata {
		val, err := versions.GetBytes(src, p)
		if dup := (*versions.DuplicateKeyError)(nil); errors.As(err, &dup) {
			return KataVersion{}, "", err
		}
		if err != nil {
			continue
		}
		s, from := val, p
		if pins.IsCommit(val) {
			c, err := versions.CommentBytes(src, p)
			if err != nil {
				return KataVersion{}, "", err
			}
			m := commentVersionRE.FindStringSubmatch(c)
			if m == nil {
				why = append(why, fmt.Sprintf("%s is commit %s without a # vX.Y.Z comment", p, val[:12]))
				continue
			}
			s, from = m[1], p+" (the comment of commit "+val[:12]+")"
		}
		kv, err := ParseKataVersion(s)
		if err != nil {
			why = append(why, fmt.Sprintf("%s: %v", p, err))
			continue
		}
		if !found || kv.Compare(v) > 0 {
			v, where, found = kv, from, true
		}
	}
	if !found {
		if len(why) == 0 {
			why = append(why, fmt.Sprintf("none of %q holds a value", cfg.Kata))
		}
		return KataVersion{}, "", errors.New(strings.Join(why, "; "))
	}
	return v, where, nil
}

// downgradeCheck is a deps sync's first step: kataVersion must not be
// below the Kata version versions.yaml holds, unless allow; a version
// that cannot be read counts as a possible downgrade.
func downgradeCheck(cfg Config, to KataVersion, allow bool) phase.Check {
	return phase.Check{Name: "check that Kata Containers " + to.String() + " is no downgrade", Run: func(_ context.Context, t *phase.Tree) (string, error) {
		src, err := t.Read(cfg.VersionsFile)
		if err != nil {
			return "", err
		}
		cur, where, err := currentKata(cfg, src)
		if dup := (*versions.DuplicateKeyError)(nil); errors.As(err, &dup) {
			return "", fmt.Errorf("%s: %w", cfg.VersionsFile, err)
		}
		switch {
		case err != nil && allow:
			return "the current Kata version could not be read (" + err.Error() + "): downgrades allowed", nil
		case err != nil:
			return "", &DowngradeError{File: cfg.VersionsFile, To: to.String(), Why: err.Error()}
		case to.Compare(cur) < 0 && allow:
			return "Kata " + cur.String() + " -> " + to.String() + ": a downgrade, allowed", nil
		case to.Compare(cur) < 0:
			return "", &DowngradeError{File: cfg.VersionsFile, From: cur.String(), To: to.String(), Why: where}
		case to.Compare(cur) == 0:
			return "Kata " + cur.String() + " already (" + where + "): a sync again", nil
		}
		return "Kata " + cur.String() + " -> " + to.String(), nil
	}}
}
