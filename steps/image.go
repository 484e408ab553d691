package steps

import (
	"context"
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"strings"

	"github.com/confidential-containers/release-tools/overlays"
	"github.com/confidential-containers/release-tools/phase"
	"github.com/confidential-containers/release-tools/pins"
)

// Overlays are the kustomize overlays a release pins an image in.
type Overlays struct {
	Root  string   // the folder holding them, relative to the repository root
	Image string   // the name of the image's images entry
	Dev   []string // the overlays that take the tag dev-<sha>
}

// Managed reports whether releases pin the image in overlay o: its tag
// is latest or a commit (dev-<sha> for the dev overlays), and it has no
// digest.
func Managed(o overlays.Overlay) bool {
	return o.Digest == "" && (o.NewTag == pins.LatestTag || pins.IsCommit(strings.TrimPrefix(o.NewTag, "dev-")))
}

// Tag is the tag overlay takes for an image commit: dev-<sha> for the dev
// overlays, the sha otherwise.
func (o Overlays) Tag(overlay, sha string) string {
	for _, d := range o.Dev {
		if d == overlay {
			return "dev-" + sha
		}
	}
	return sha
}

// PinOverlays pins (sha != "") or unpins (sha == "") the image in every
// overlay below root's o.Root that a release manages ([Managed]). Any
// other overlay (its own registry and version) is left alone and named in
// the note.
func PinOverlays(root string, o Overlays, sha string) phase.Edit {
	name := "pin the " + o.Image + " image to " + sha
	if sha == "" {
		name = "unpin the " + o.Image + " image (back to latest)"
	}
	return phase.Edit{Name: name, Plan: func(_ context.Context, t *phase.Tree) (string, error) {
		found, err := overlays.Discover(filepath.Join(root, filepath.FromSlash(o.Root)), o.Image)
		if err != nil {
			return "", err
		}
		if len(found) == 0 {
			return "", fmt.Errorf("no overlay below %s has an images entry for %q", o.Root, o.Image)
		}
		var left []string
		for _, ov := range found {
			if !Managed(ov) {
				left = append(left, fmt.Sprintf("%s (%s)", ov.Name(), ov.NewTag+ov.Digest))
				continue
			}
			tag := "latest"
			if sha != "" {
				tag = o.Tag(ov.Name(), sha)
			}
			file := path.Join(o.Root, ov.File)
			if _, err := t.Edit(file, func(src []byte) ([]byte, error) {
				return overlays.PinImageBytes(src, o.Image, tag)
			}); err != nil {
				return "", fmt.Errorf("%s: %w", file, err)
			}
		}
		if len(left) > 0 {
			return "left alone, not pinned by releases: " + strings.Join(left, ", "), nil
		}
		return "", nil
	}}
}

// PinPlaces pins (sha != "") or unpins (sha == "") the image named image
// at every place of places below root: each place that holds latest or a
// commit takes the tag of its template. A place with any other tag (a
// release of its own) is left alone and named in the note; a file of an
// optional glob without the key is skipped.
func PinPlaces(root, image string, places []pins.Place, sha string) phase.Edit {
	name := "pin the " + image + " image to " + sha
	if sha == "" {
		name = "unpin the " + image + " image (back to latest)"
	}
	return phase.Edit{Name: name, Plan: func(_ context.Context, t *phase.Tree) (string, error) {
		var left []string
		for _, p := range places {
			files, err := pins.Files(root, p)
			if err != nil {
				return "", err
			}
			for _, file := range files {
				src, err := t.Read(file)
				if err != nil {
					return "", err
				}
				cur, err := pins.ReadBytes(p, src)
				if errors.Is(err, pins.ErrNoKey) && p.Optional {
					continue
				}
				if err != nil {
					return "", fmt.Errorf("%s: %w", file, err)
				}
				if state, _ := pins.ClassifyTag(p.Template, cur); state == pins.Other {
					left = append(left, fmt.Sprintf("%s (%s)", file, cur))
					continue
				}
				if _, err := t.Edit(file, func(src []byte) ([]byte, error) {
					return pins.SetBytes(p, src, pins.Tag(p.Template, sha))
				}); err != nil {
					return "", fmt.Errorf("%s: %w", file, err)
				}
			}
		}
		if len(left) > 0 {
			return "left alone, not pinned by releases: " + strings.Join(left, ", "), nil
		}
		return "", nil
	}}
}
