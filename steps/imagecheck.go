package steps

import (
	"context"
	"errors"
	"fmt"
	"net"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"

	"github.com/confidential-containers/release-tools/charts/registry"
	"github.com/confidential-containers/release-tools/oci"
	"github.com/confidential-containers/release-tools/overlays"
	"github.com/confidential-containers/release-tools/phase"
	"github.com/confidential-containers/release-tools/pins"
	"github.com/confidential-containers/release-tools/versions"
)

// ErrRegistryUnreachable is a registry that could not be reached by a
// check whose answer decides what a phase writes (the kata-deploy version
// it pins, the image commit it pins): the phase stops, nothing written.
// It wraps [registry.ErrUnreachable] too. A check given no registry (nil)
// does not ask, and says so in its plan.
var ErrRegistryUnreachable = errors.New("the phase needs the registry's answer")

// ErrImageMissing is an image a pin would name that its registry does not
// have: the image of that commit is not built or published yet, or the
// commit is wrong.
var ErrImageMissing = errors.New("image not in the registry")

// registryError marks err, from asking reg, as a registry that could not
// be reached when it is one.
func registryError(err error) error {
	if errors.Is(err, registry.ErrUnreachable) {
		return fmt.Errorf("%w: %w", ErrRegistryUnreachable, err)
	}
	return err
}

// OverlayImageCheck asks the image registries that every image a pin of
// sha names in the managed overlays below root's o.Root exists, each
// overlay's newName in its tag form; see [PlaceImageCheck].
func OverlayImageCheck(root string, o Overlays, sha string, reg *registry.Client) phase.Check {
	return imageCheck(o.Image, sha, reg, func(*phase.Tree) ([]string, error) { return overlayImages(root, o, sha) })
}

// PlaceImageCheck asks the image registries that every image a pin of
// sha names at the places below root exists, each in the tag form of its
// place: a missing one stops the phase ([ErrImageMissing]), and so does a
// registry that could not be reached ([ErrRegistryUnreachable]) or failed
// to answer. A nil reg skips the check. Images of a registry on the user's
// own machine or network (an IP address of a private range, localhost)
// are not asked: a release does not publish them.
func PlaceImageCheck(root, image string, places []pins.Place, sha string, reg *registry.Client) phase.Check {
	return imageCheck(image, sha, reg, func(t *phase.Tree) ([]string, error) { return placeImages(t, root, image, places, sha) })
}

// imageCheck asks reg for the images that images lists.
func imageCheck(image, sha string, reg *registry.Client, images func(*phase.Tree) ([]string, error)) phase.Check {
	return phase.Check{Name: "check that the registry has the " + image + " images of commit " + sha, Run: func(ctx context.Context, t *phase.Tree) (string, error) {
		if reg == nil {
			return "", phase.Skip("registry check off")
		}
		var local []string
		refs, err := images(t)
		if err != nil {
			return "", err
		}
		var ask []string
		for _, r := range refs {
			if localRegistry(r) {
				local = append(local, r)
			} else {
				ask = append(ask, r)
			}
		}
		if len(ask) == 0 {
			return "", phase.Skip("no image to ask for: " + strings.Join(local, ", ") + " (a local registry)")
		}
		t.Waiting("asking the registry for " + strings.Join(ask, ", "))
		missing, err := oci.Client(*reg).Missing(ctx, ask)
		if err != nil {
			return "", registryError(err)
		}
		if len(missing) > 0 {
			return "", fmt.Errorf("%w: %s: the image of commit %s is not built or published yet (or the commit is wrong): wait for the image build of that commit, or give the commit of a built image",
				ErrImageMissing, strings.Join(missing, ", "), sha)
		}
		found := "found " + strings.Join(ask, ", ")
		if len(local) > 0 {
			found += "; not asked, a local registry: " + strings.Join(local, ", ")
		}
		return found, nil
	}}
}

// localRegistry reports whether ref's registry is on the user's machine
// or network: localhost, or an IP address of a loopback or private range.
func localRegistry(ref string) bool {
	r, err := name.ParseReference(ref)
	if err != nil {
		return false
	}
	host := r.Context().RegistryStr()
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && (ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast())
}

// overlayImages are the images the managed overlays name for sha: each
// overlay's newName with its tag form, once each.
func overlayImages(root string, ov Overlays, sha string) ([]string, error) {
	found, err := overlays.Discover(filepath.Join(root, filepath.FromSlash(ov.Root)), ov.Image)
	if err != nil {
		return nil, err
	}
	var refs []string
	for _, o := range found {
		if !Managed(o) {
			continue
		}
		img := o.NewName
		if img == "" {
			return nil, fmt.Errorf("%s: the %s images entry has no newName: no image to ask the registry for", path.Join(ov.Root, o.File), ov.Image)
		}
		if ref := img + ":" + ov.Tag(o.Name(), sha); !slices.Contains(refs, ref) {
			refs = append(refs, ref)
		}
	}
	return refs, nil
}

// placeImages are the images the places name for sha, once
// each: a YAML place's image is the name or repository beside its tag
// ("image.name", "image.repository" for the key "image.tag"); a place
// without one (a provider's values, a line of a Makefile) holds the image
// that a place with one names whose last element is image, in the
// place's tag form. Places a pin leaves alone are left out.
func placeImages(t *phase.Tree, root, image string, places []pins.Place, sha string) ([]string, error) {
	type use struct{ image, tag, file string }
	var uses []use
	for _, p := range places {
		files, err := pins.Files(root, p)
		if err != nil {
			return nil, err
		}
		for _, file := range files {
			src, err := t.Read(file)
			if err != nil {
				return nil, err
			}
			cur, err := pins.ReadBytes(p, src)
			if errors.Is(err, pins.ErrNoKey) && p.Optional {
				continue
			}
			if err != nil {
				return nil, fmt.Errorf("%s: %w", file, err)
			}
			if state, _ := pins.ClassifyTag(p.Template, cur); state == pins.Other {
				continue
			}
			uses = append(uses, use{image: imageBeside(p, src), tag: pins.Tag(p.Template, sha), file: file})
		}
	}
	main := ""
	for _, u := range uses {
		if u.image != "" && path.Base(u.image) == image {
			main = u.image
			break
		}
	}
	var refs []string
	for _, u := range uses {
		img := u.image
		if img == "" {
			if main == "" {
				return nil, fmt.Errorf("%s: which image does its tag belong to? no place names a %s image (the name or repository beside its tag)", u.file, image)
			}
			img = main
		}
		if ref := img + ":" + u.tag; !slices.Contains(refs, ref) {
			refs = append(refs, ref)
		}
	}
	return refs, nil
}

// imageBeside is the image named beside a YAML place's tag: the "name" or
// "repository" key next to its last key; "" for none.
func imageBeside(p pins.Place, src []byte) string {
	if p.Kind != pins.KindYAML {
		return ""
	}
	prefix := ""
	if i := strings.LastIndex(p.Key, "."); i >= 0 {
		prefix = p.Key[:i+1]
	}
	for _, k := range []string{"name", "repository"} {
		if v, err := versions.GetBytes(src, prefix+k); err == nil && v != "" {
			return v
		}
	}
	return ""
}

// PlaceImages are the image references the places below root name for
// sha, once each, in order, as [PlaceImageCheck] asks for them: a place's
// image is the name or repository beside its tag, or image's where none
// is. Places a pin leaves alone are left out.
func PlaceImages(root, image string, places []pins.Place, sha string) ([]string, error) {
	return placeImages(phase.NewTree(root), root, image, places, sha)
}
