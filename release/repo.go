package release

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	git "github.com/go-git/go-git/v5"

	"github.com/confidential-containers/release-tools/internal/gitrepo"
	"github.com/confidential-containers/release-tools/kata"
	"github.com/confidential-containers/release-tools/phase"
	"github.com/confidential-containers/release-tools/release/config"
	"github.com/confidential-containers/release-tools/steps"
)

// ErrNotConfigured is returned, wrapped, by a phase that needs a field of
// [config.Config] the repository leaves empty (it has no such thing).
var ErrNotConfigured = errors.New("not configured for this repository")

// need returns an error wrapping [ErrNotConfigured] naming the first
// field of fields (name, value) that is empty.
func need(fields ...string) error {
	for i := 0; i+1 < len(fields); i += 2 {
		if fields[i+1] == "" {
			return fmt.Errorf("%s gives no %s: %w", config.ConfigFile, fields[i], ErrNotConfigured)
		}
	}
	return nil
}

// Repo is a repository being released: its root, its configuration and
// its layout. Its methods build the phases and run the queries of a
// release on it. Make it with [New] or [Open]: a Repo made as a literal
// has no layout, and every method that needs one refuses it
// ([ErrNoLayout]).
type Repo struct {
	Root   string
	Config config.Config
	// layout is decided once, by [New], from the files present; never
	// changed after.
	layout Layout
	// Git is the repository opened once, by [Open] or [New]; nil when Root
	// is no git repository, or for a Repo made as a literal.
	Git *git.Repository
}

// Repository is the git handle of the repository, Git; an error wrapping
// git.ErrRepositoryNotExists when it has none (Root is no git repository,
// or the Repo was not made by [New]).
func (rel Repo) Repository() (*git.Repository, error) {
	if rel.Git == nil {
		return nil, fmt.Errorf("release: %s: %w", rel.Root, git.ErrRepositoryNotExists)
	}
	return rel.Git, nil
}

// Open returns the repository at root with its configuration, the
// [config.CAA] preset with root's release.yaml laid over it
// ([config.LoadConfig]), and its layout ([New]).
func Open(root string) (Repo, error) {
	cfg, err := config.LoadConfig(root)
	if err != nil {
		return Repo{}, err
	}
	return New(root, cfg)
}

// New returns the repository at root with the configuration cfg, its
// layout (the overlays while cfg.OverlaysRoot exists, else the charts when
// cfg.Pins are configured; neither is an error) and its git handle, opened
// here once (none when root is no git repository; a repository that
// cannot be opened is an error).
func New(root string, cfg config.Config) (Repo, error) {
	// The one place the repository being released is opened (a test keeps
	// it so): every other package is given the handle.
	g, err := gitrepo.Open(root)
	if errors.Is(err, git.ErrRepositoryNotExists) {
		g, err = nil, nil
	}
	if err != nil {
		return Repo{}, fmt.Errorf("release: open the repository at %s: %w", root, err)
	}
	l, err := layoutOf(cfg, root)
	if err != nil {
		return Repo{}, err
	}
	return Repo{Root: root, Config: cfg, Git: g, layout: l}, nil
}

// ErrNoLayout is returned, wrapped, by a method of a [Repo] that needs its
// layout when the Repo was not made by [New] or [Open], which decide it.
var ErrNoLayout = errors.New("the repository's layout is not decided: make the Repo with release.New or release.Open")

// Layout is rel's layout, decided once by [New]; an error wrapping
// [ErrNoLayout] for a Repo made otherwise.
func (rel Repo) Layout() (Layout, error) {
	if rel.layout == 0 {
		return 0, fmt.Errorf("%s: %w", rel.Root, ErrNoLayout)
	}
	return rel.layout, nil
}

// Layout is how a repository deploys the image it releases. Its zero value
// is no layout: a [Repo] never carries it.
type Layout int

const (
	// OverlayLayout: kustomize overlays below OverlaysRoot.
	OverlayLayout Layout = iota + 1
	// ChartLayout: Helm charts, the image tag at the Pins; a repository
	// without an image (Config.Image "") is of this layout, with no pins.
	ChartLayout
)

func (l Layout) String() string {
	switch l {
	case OverlayLayout:
		return "kustomize overlays"
	case ChartLayout:
		return "Helm charts"
	}
	return fmt.Sprintf("Layout(%d)", int(l))
}

// layoutOf is the layout of the repository at root: the overlays while
// OverlaysRoot exists, else the charts when Pins are configured or there
// is no image.
func layoutOf(c config.Config, root string) (Layout, error) {
	if c.OverlaysRoot != "" {
		info, err := os.Stat(filepath.Join(root, filepath.FromSlash(c.OverlaysRoot)))
		if err == nil && info.IsDir() {
			return OverlayLayout, nil
		}
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return 0, fmt.Errorf("release: %w", err)
		}
	}
	if len(c.Pins) > 0 || c.Image == "" {
		return ChartLayout, nil
	}
	return 0, fmt.Errorf("release: no %s and no pins configured: the repository has neither layout (set overlaysRoot or pins in %s)", c.OverlaysRoot, config.ConfigFile)
}

// kataRefs are where the versions file holds the references a deps sync sets.
func kataRefs(c config.Config) kata.Refs {
	return kata.Refs{File: c.VersionsFile, Kata: c.Kata, GuestComponents: c.GuestComponents, Trustee: c.Trustee}
}

// operator pins the operator to ref, or unpins it (ref "main").
func operator(c config.Config, ref string) phase.Edit {
	return steps.Operator(c.VersionsFile, c.OperatorRef, c.OperatorConfig, ref)
}
