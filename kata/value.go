package kata

import (
	"errors"
	"fmt"
	"regexp"

	"github.com/confidential-containers/release-tools/internal/redact"
	"github.com/confidential-containers/release-tools/pins"
)

// ErrBadValue is wrapped by [*ValueError].
var ErrBadValue = errors.New("not a version or a commit")

// ValueError is a value of Kata's versions.yaml that a deps sync will not
// write: neither a commit nor a version.
type ValueError struct {
	Release string // "Kata Containers 3.31.0's versions.yaml (<url>)"
	Key     string // the key of Kata's versions.yaml
	Value   string
	Want    string // what the reference takes, and why
}

func (e *ValueError) Error() string {
	return fmt.Sprintf("%s: %s is %s: %v: want %s", e.Release, e.Key, quote(e.Value), ErrBadValue, e.Want)
}

func (e *ValueError) Unwrap() error { return ErrBadValue }

// versionRefRE is a version of guest-components or trustee: vX.Y.Z or
// X.Y.Z, with a pre-release or build suffix of SemVer's characters.
var versionRefRE = regexp.MustCompile(`^v?(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)([-+][0-9A-Za-z.+-]+)?$`)

// maxVersionRef bounds a version reference, as [version.Parse] does a
// release version.
const maxVersionRef = 128

func isVersionRef(s string) bool { return len(s) <= maxVersionRef && versionRefRE.MatchString(s) }

// check checks that v, read from Kata's versions.yaml, can be written
// to the reference at path of file: a commit or a version, whatever the
// kind of cur, the value it replaces ([kindChange] says when the kind
// changes).
func (k Release) check(v Value, file, path, cur string) error {
	if pins.IsCommit(v.Value) || isVersionRef(v.Value) {
		return nil
	}
	return &ValueError{Release: fmt.Sprintf("Kata Containers %s's versions.yaml (%s)", k.Version, redact.URL(k.URL)), Key: v.Key, Value: v.Value,
		Want: fmt.Sprintf("a commit (40 lowercase hex digits) or a version (vX.Y.Z or X.Y.Z) for %s's %s", file, path)}
}

// kindChange says that the reference at path changes kind from cur to
// v, a commit to a version or the reverse ("git.kbs.reference: commit ->
// v0.10.1"); "" when it keeps its kind, or cur is of neither.
func kindChange(path, cur, v string) string {
	switch {
	case pins.IsCommit(cur) && isVersionRef(v):
		return fmt.Sprintf("%s: commit -> %s (a version where a commit was)", path, v)
	case isVersionRef(cur) && pins.IsCommit(v):
		return fmt.Sprintf("%s: %s -> commit %s (a commit where a version was)", path, cur, v)
	}
	return ""
}

// quote is s quoted, its middle left out past 80 bytes.
func quote(s string) string {
	if len(s) > 80 {
		return fmt.Sprintf("%q... (%d bytes)", s[:60], len(s))
	}
	return fmt.Sprintf("%q", s)
}

// ErrBadRef is returned, wrapped, by [CheckRef].
var ErrBadRef = errors.New("not a commit or a version")

// CheckRef checks a guest-components or trustee reference chosen by a
// person instead of the one Kata's versions.yaml names: a full commit (40
// lowercase hex digits) or a version (vX.Y.Z or X.Y.Z).
func CheckRef(s string) error {
	if pins.IsCommit(s) || isVersionRef(s) {
		return nil
	}
	return fmt.Errorf("%s: %w: want a full commit (40 lowercase hex digits) or a version (vX.Y.Z)", quote(s), ErrBadRef)
}
