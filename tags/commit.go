package tags

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/confidential-containers/release-tools/version"
)

// ErrNoTags is returned, wrapped, by [VersionCommit] when none of the
// module tags of a version exists.
var ErrNoTags = errors.New("no module tags")

// SplitError is returned by [VersionCommit] when the module tags of a
// version are not all on one commit: some are missing, or they point at
// different commits.
type SplitError struct {
	Version string
	Commits map[string][]string // commit -> the tags on it, sorted
	Missing []string            // the tags not found, in dependency order
}

func (e *SplitError) Error() string {
	var parts []string
	for c, names := range e.Commits {
		parts = append(parts, fmt.Sprintf("%s on %s", strings.Join(names, ", "), c[:12]))
	}
	sort.Strings(parts)
	if len(e.Missing) > 0 {
		parts = append(parts, "missing: "+strings.Join(e.Missing, ", "))
	}
	what := "disagree"
	if len(e.Commits) == 1 {
		what = "are incomplete"
	}
	return fmt.Sprintf("the module tags of %s %s: %s", e.Version, what, strings.Join(parts, "; "))
}

// VersionCommit returns the one commit the module tags of v point at:
// the tags of every module below root but those in the directories of
// exclude, each looked up with lookup (the commit it points at, "" when
// there is no such tag; [Local], or a map from [Remote]). An error of
// lookup is returned as it is; none of the tags found is an error
// wrapping [ErrNoTags]; some missing, or on different commits, a
// [*SplitError].
func VersionCommit(root string, v version.Version, exclude []string, lookup func(name string) (string, error)) (string, error) {
	list, err := Ordered(root, v, exclude...)
	if err != nil {
		return "", err
	}
	commits := map[string][]string{}
	var missing []string
	for _, t := range list {
		c, err := lookup(t.Name)
		if err != nil {
			return "", err
		}
		if c != "" {
			commits[c] = append(commits[c], t.Name)
		} else {
			missing = append(missing, t.Name)
		}
	}
	if len(commits) == 0 {
		return "", fmt.Errorf("%w for %s", ErrNoTags, v)
	}
	if len(commits) > 1 || len(missing) > 0 {
		for _, names := range commits {
			sort.Strings(names)
		}
		return "", &SplitError{Version: v.String(), Commits: commits, Missing: missing}
	}
	var commit string
	for c := range commits {
		commit = c
	}
	return commit, nil
}
