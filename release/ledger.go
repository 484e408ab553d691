package release

import (
	"context"
	"fmt"
	"slices"

	"github.com/confidential-containers/release-tools/gomod"
	"github.com/confidential-containers/release-tools/internal/gitrepo"
	"github.com/confidential-containers/release-tools/ledger"
	"github.com/confidential-containers/release-tools/tags"
)

// LedgerFacts gathers the facts of rel's ledger of releases that live in
// git ([ledger.Facts]): the tag prefixes of its tagged modules (all but
// Config.ExcludeModules), its local tags and the tags of the configured
// remote, read now. A remote that cannot be read leaves Facts.Remote nil;
// note says how many tags it listed, or why none. The caller adds the
// GitHub releases where it has them, and reads the ledger
// ([ledger.Read]).
func (rel Repo) LedgerFacts(ctx context.Context) (f ledger.Facts, note string, err error) {
	root, cfg := rel.Root, rel.Config
	mods, err := gomod.Discover(root)
	if err != nil {
		return f, "", err
	}
	for _, m := range mods {
		if !slices.Contains(cfg.ExcludeModules, m.Dir) {
			f.Modules = append(f.Modules, tags.Prefix(m))
		}
	}
	repo, err := rel.Repository()
	if err != nil {
		return f, "", err
	}
	if f.Local, err = gitrepo.LocalTags(repo); err != nil {
		return f, "", fmt.Errorf("the local tags: %w", err)
	}
	f.Remote, note = tags.RemoteNamed(ctx, repo, cfg.Remote)
	f.Parse = cfg.ParseVersion
	return f, note, nil
}

// Ledger reads rel's ledger of releases from its git facts
// ([Repo.LedgerFacts]) and gh, the GitHub releases, when read (nil: not
// read). note says what the remote listed, or why it could not be read.
func (rel Repo) Ledger(ctx context.Context, gh []ledger.GitHubRelease) (*ledger.Ledger, string, error) {
	f, note, err := rel.LedgerFacts(ctx)
	if err != nil {
		return nil, note, err
	}
	f.GitHub, f.GitHubRead = gh, gh != nil
	return ledger.Read(f), note, nil
}
