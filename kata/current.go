package kata

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/confidential-containers/release-tools/pins"
	"github.com/confidential-containers/release-tools/versions"
)

// ErrDowngrade is returned, wrapped in a [*DowngradeError], for a Kata
// version below the one a versions file holds, or when the one it holds
// cannot be read.
var ErrDowngrade = errors.New("a Kata Containers downgrade")

// DowngradeError is a deps sync that would move the Kata references down:
// From is what the versions file holds ("" when it could not be read, Why
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

// Current is the Kata version the versions file src holds: the highest of
// the references at the key paths refs that exist, each a release
// version, or a commit whose comment starts with vX.Y.Z (what a deps sync
// writes). where says which reference holds it; an error says why none
// could be read. A key given twice is a [*versions.DuplicateKeyError].
func Current(src []byte, refs []string) (v Version, where string, err error) {
	var why []string
	found := false
	for _, p := range refs {
		val, err := versions.GetBytes(src, p)
		if dup := (*versions.DuplicateKeyError)(nil); errors.As(err, &dup) {
			return Version{}, "", err
		}
		if err != nil {
			continue
		}
		s, from := val, p
		if pins.IsCommit(val) {
			c, err := versions.CommentBytes(src, p)
			if err != nil {
				return Version{}, "", err
			}
			m := commentVersionRE.FindStringSubmatch(c)
			if m == nil {
				why = append(why, fmt.Sprintf("%s is commit %s without a # vX.Y.Z comment", p, val[:12]))
				continue
			}
			s, from = m[1], p+" (the comment of commit "+val[:12]+")"
		}
		kv, err := ParseVersion(s)
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
			why = append(why, fmt.Sprintf("none of %q holds a value", refs))
		}
		return Version{}, "", errors.New(strings.Join(why, "; "))
	}
	return v, where, nil
}
