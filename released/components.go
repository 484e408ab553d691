package released

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/confidential-containers/release-tools/internal/gittree"
	"github.com/confidential-containers/release-tools/internal/yamledit"
	"github.com/confidential-containers/release-tools/kata"
	"github.com/confidential-containers/release-tools/overlays"
	"github.com/confidential-containers/release-tools/pins"
	"github.com/confidential-containers/release-tools/release"
	"github.com/confidential-containers/release-tools/steps"
	"github.com/confidential-containers/release-tools/versions"
)

// Component is one thing a release is made of, as its tree pins it: a
// version, a commit, or both (a Kata reference holding a commit whose
// comment names the version).
type Component struct {
	Name            string
	Version, Commit string
}

// Components is what a release is made of, read from its tree by
// [ReadComponents]: the rows of its release notes ([Components.Markdown]).
type Components struct {
	// Kata, guest-components, trustee and, on the overlay layout, the
	// operator, as the versions file holds them; those the file does not
	// hold, or a repository without a versions file, are left out.
	Refs []Component
	// KataDeploy is the version of the kata-deploy chart dependency ("" for
	// none, or at its dev version).
	KataDeploy string
	// Charts are the versioned charts' names and versions, by directory.
	Charts []Component
	// ImageCommit is the commit the image is pinned to ("" when the tree
	// pins none, or more than one).
	ImageCommit string
	// Image is the name of the released image (config.Config.Image).
	Image string
	// Images are the image references the tree pins, once each, in order:
	// each pinned overlay's newName with its tag on the overlay layout; on
	// the chart layout each place's image in its tag form, when the places
	// are pinned to one commit.
	Images []string
}

// ReadComponents reads what the tree at rel.Root is made of: the Kata,
// guest-components, trustee and operator references of the versions file,
// the kata-deploy dependency of the kata-deploy chart, the charts'
// versions and the image references pinned, in rel's layout (the tree's
// own: make rel with [release.New] on the tree). It writes nothing; a file
// it needs that does not parse is an error.
func ReadComponents(rel release.Repo) (Components, error) {
	layout, err := rel.Layout()
	if err != nil {
		return Components{}, err
	}
	cfg := rel.Config
	c := Components{Image: cfg.Image}
	if err := c.refs(rel); err != nil {
		return Components{}, err
	}
	if layout == release.OverlayLayout {
		err = c.overlays(rel)
	} else {
		err = c.charts(rel)
	}
	if err != nil {
		return Components{}, err
	}
	return c, nil
}

// ComponentsAt reads the components ([ReadComponents]) of the tree of
// commit, not of the work tree: the files are read from git.
func ComponentsAt(rel release.Repo, commit string) (Components, error) {
	repo, err := rel.Repository()
	if err != nil {
		return Components{}, err
	}
	co, err := repo.CommitObject(plumbing.NewHash(commit))
	if err != nil {
		return Components{}, fmt.Errorf("the tagged commit %s: %w (git fetch it)", commit, err)
	}
	var c Components
	err = gittree.WithTree(co, func(dir string) error {
		var err error
		tree, err := release.New(dir, rel.Config)
		if err != nil {
			return err
		}
		c, err = ReadComponents(tree)
		return err
	})
	if err != nil {
		return Components{}, fmt.Errorf("the components of %s: %w", commit[:min(12, len(commit))], err)
	}
	return c, nil
}

// refs reads the references of the versions file.
func (c *Components) refs(rel release.Repo) error {
	cfg := rel.Config
	if cfg.VersionsFile == "" {
		return nil
	}
	src, err := os.ReadFile(filepath.Join(rel.Root, filepath.FromSlash(cfg.VersionsFile)))
	if err != nil {
		return err
	}
	if len(cfg.Kata) > 0 {
		k := Component{Name: "Kata Containers"}
		if v, _, err := kata.Current(src, cfg.Kata); err == nil {
			k.Version = v.String()
		}
		for _, p := range cfg.Kata {
			val, err := first(src, p)
			if err != nil {
				return fmt.Errorf("%s: %w", cfg.VersionsFile, err)
			}
			if pins.IsCommit(val) {
				k.Commit = val
				break
			}
		}
		if k.Version != "" || k.Commit != "" {
			c.Refs = append(c.Refs, k)
		}
	}
	for _, r := range []struct {
		name string
		keys []string
	}{{"guest-components", cfg.GuestComponents}, {"trustee", cfg.Trustee}, {"operator", cfg.OperatorRef}} {
		if l, _ := rel.Layout(); r.name == "operator" && l != release.OverlayLayout {
			continue
		}
		for _, p := range r.keys {
			val, err := first(src, p)
			if err != nil {
				return fmt.Errorf("%s: %w", cfg.VersionsFile, err)
			}
			if val == "" {
				continue
			}
			comp := Component{Name: r.name, Version: val}
			if pins.IsCommit(val) {
				comp = Component{Name: r.name, Commit: val}
			}
			c.Refs = append(c.Refs, comp)
			break
		}
	}
	return nil
}

// first is the value at key path p of src, "" when src does not hold it.
func first(src []byte, p string) (string, error) {
	val, err := versions.GetBytes(src, p)
	if pe := (*yamledit.PathError)(nil); errors.As(err, &pe) {
		return "", nil
	}
	return val, err
}

// overlays reads the overlays' image references.
func (c *Components) overlays(rel release.Repo) error {
	o := release.Overlays(rel.Config)
	found, err := overlays.Discover(filepath.Join(rel.Root, filepath.FromSlash(o.Root)), o.Image)
	if err != nil {
		return err
	}
	commits := map[string]bool{}
	for _, ov := range found {
		sha := strings.TrimPrefix(ov.NewTag, "dev-")
		if !steps.Managed(ov) || !pins.IsCommit(sha) {
			continue // unpinned, or not the release's to pin
		}
		name := ov.NewName
		if name == "" {
			name = o.Image
		}
		if ref := name + ":" + ov.NewTag; !slices.Contains(c.Images, ref) {
			c.Images = append(c.Images, ref)
		}
		commits[sha] = true
	}
	c.ImageCommit = only(commits)
	return nil
}

// charts reads the charts' versions, kata-deploy's and the pinned images.
func (c *Components) charts(rel release.Repo) error {
	cfg := rel.Config
	cs, err := rel.Charts()
	if err != nil {
		return err
	}
	sort.Slice(cs, func(i, j int) bool { return cs[i].Dir < cs[j].Dir })
	for _, ch := range cs {
		c.Charts = append(c.Charts, Component{Name: ch.Name, Version: ch.Version})
		if ch.Dir == cfg.KataDeployChart {
			_, c.KataDeploy = steps.KataDeploy(ch, cfg.KataDeployDependency, cfg.KataDeployDevVersion)
		}
	}
	var all []ImageTag
	for _, p := range cfg.Pins {
		found, err := ImageTags(rel.Root, p)
		if err != nil {
			return fmt.Errorf("image place %s: %w", p.File, err)
		}
		all = append(all, found...)
	}
	by := PinnedTo(all)
	delete(by, pins.LatestTag)
	commits := map[string]bool{}
	for sha := range by {
		commits[sha] = true
	}
	c.ImageCommit = only(commits)
	if c.ImageCommit == "" {
		return nil
	}
	c.Images, err = steps.PlaceImages(rel.Root, cfg.Image, cfg.Pins, c.ImageCommit)
	return err
}

// only is the one key of set, "" when it has none or more than one.
func only(set map[string]bool) string {
	if len(set) != 1 {
		return ""
	}
	for k := range set {
		return k
	}
	return ""
}
