package release

import (
	"context"
	"errors"
	"fmt"

	"github.com/confidential-containers/release-tools/internal/gitrepo"
	"github.com/confidential-containers/release-tools/ledger"
	"github.com/confidential-containers/release-tools/tags"
)

// ErrTagsNotFetched is returned, wrapped, by [Repo.TaggedCommit] when the
// module tags of the version are complete on the remote but missing
// locally: git fetch --tags puts that right, not the tags step.
var ErrTagsNotFetched = errors.New("tags not fetched")

// TaggedCommit returns the commit the local module tags of version point
// at, the release commit the post-release cites by default; for a
// chart-only patch release ([ledger.ChartOnly]: no module tags), the
// commit of its tag, as the ledger of releases has it ([Repo.Ledger]). The tags must
// all exist and agree ([tags.VersionCommit]). Some or all missing while
// the remote has them all is an error wrapping [ErrTagsNotFetched] whose
// fix is git fetch --tags (the remote is listed only then); none here or
// there is an error wrapping [tags.ErrNoTags] whose fix is the tags step.
func (rel Repo) TaggedCommit(version string) (string, error) {
	root, cfg := rel.Root, rel.Config
	v, err := cfg.ParseVersion(version)
	if err != nil {
		return "", fmt.Errorf("tags: %w", err)
	}
	repo, err := rel.Repository()
	if err != nil {
		return "", err
	}
	commit, err := tags.VersionCommit(root, v, cfg.ExcludeModules, func(name string) (string, error) { return tags.Local(repo, name) })
	if errors.Is(err, tags.ErrNoTags) {
		if herr := gitrepo.CheckHead(repo, root); errors.Is(herr, gitrepo.ErrNoCommits) {
			return "", herr
		}
	}
	if split := (*tags.SplitError)(nil); errors.Is(err, tags.ErrNoTags) || errors.As(err, &split) && len(split.Commits) == 1 {
		// Not all here: the ledger, with the remote's tags, says what the
		// version is.
		l, _, lerr := rel.Ledger(context.Background(), nil)
		if lerr != nil {
			return "", lerr
		}
		r := l.Find(v)
		if r != nil && r.Kind == ledger.ChartOnly {
			return r.Commit(), nil
		}
		if r != nil && l.RemoteRead && r.Tagged() && r.ModuleCommit() != "" && allRemote(r) {
			return "", Fixable(fmt.Errorf("%w: the module tags of %s are on %s, on commit %s, but not all in this repository: fetch them (git fetch --tags %s)",
				ErrTagsNotFetched, version, cfg.Remote, r.ModuleCommit(), cfg.Remote), Fix{Command: "git fetch --tags " + cfg.Remote})
		}
	}
	if errors.Is(err, tags.ErrNoTags) {
		return "", Fixable(fmt.Errorf("%w (or give the release commit)", err), Fix{Action: ActionTags, Args: []string{version}, Push: true})
	}
	return commit, err
}

// allRemote reports whether every module tag of r is on the remote.
func allRemote(r *ledger.Release) bool {
	for _, t := range r.Modules {
		if t.Remote == "" {
			return false
		}
	}
	return true
}
