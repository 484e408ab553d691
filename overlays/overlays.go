// Package overlays reads and pins the image of kustomize overlays, such as
// the cloud-api-adaptor image in cloud-api-adaptor's install/overlays.
//
// A pin changes the value of the image entry's newTag (or digest) and
// nothing else: newName and its comment, the list indentation, bases and
// every other line stay byte for byte. `kustomize edit set image` rewrites
// 16 to 33 lines of each real overlay; this package rewrites one value.
package overlays

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/confidential-containers/release-tools/internal/fsutil"
	"github.com/confidential-containers/release-tools/internal/yamledit"
)

// Overlay is one kustomization's entry for an image.
type Overlay struct {
	// File is the kustomization file: relative to the root given to
	// Discover, slash-separated; empty from Read.
	File string
	// Line is the line of the entry's name.
	Line    int
	NewName string
	NewTag  string
	Digest  string
}

// Name is the overlay's name: its directory's base name ("libvirt").
func (o Overlay) Name() string { return path.Base(path.Dir(o.File)) }

// kustomizationNames are the file names kustomize reads, in its order.
var kustomizationNames = []string{"kustomization.yaml", "kustomization.yml", "Kustomization"}

// Discover returns every kustomization below root that has an images
// entry for image, sorted by directory. Hidden directories and vendor are
// skipped. A kustomization that does not parse, or that has two entries for
// image, is an error naming the file: a release must not skip an overlay
// silently.
func Discover(root, image string) ([]Overlay, error) {
	var out []Overlay
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "vendor") {
				return filepath.SkipDir
			}
			return nil
		}
		if !isKustomization(d.Name()) {
			return nil
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		o, err := read(src, image)
		if errors.Is(err, ErrNoEntry) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		o.File = filepath.ToSlash(rel)
		out = append(out, o)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("overlays: %w", err)
	}
	sort.Slice(out, func(i, j int) bool { // by directory: ibmcloud before ibmcloud-powervs
		di, dj := path.Dir(out[i].File), path.Dir(out[j].File)
		return di < dj || di == dj && out[i].File < out[j].File
	})
	return out, nil
}

func isKustomization(name string) bool {
	for _, k := range kustomizationNames {
		if name == k {
			return true
		}
	}
	return false
}

// Read returns the entry for image in the kustomization src.
func Read(src []byte, image string) (Overlay, error) {
	o, err := read(src, image)
	if err != nil {
		return Overlay{}, fmt.Errorf("overlays: %w", err)
	}
	return o, nil
}

// PinImage sets the tag of image in a kustomization file, replacing the
// file atomically; see [PinImageBytes]. Pinning to the tag the file already
// has leaves it untouched. On error the file is unchanged.
func PinImage(kustomizationFile, image, newTag string) error {
	err := fsutil.EditFile(kustomizationFile, func(src []byte) ([]byte, error) {
		out, err := pin(src, image, newTag)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", kustomizationFile, err)
		}
		return out, nil
	})
	if err != nil {
		return fmt.Errorf("overlays: %w", err)
	}
	return nil
}

// PinImageBytes returns the kustomization src with image pinned to newTag:
// a tag ("latest", a commit SHA, "dev-<sha>") is written to the entry's
// newTag, a digest ("sha256:<64 hex>") to its digest. Only that value
// changes; when an entry pinned by tag is pinned by digest or the other way
// round, the key on that line changes too (newTag: x <-> digest: sha256:...).
func PinImageBytes(src []byte, image, newTag string) ([]byte, error) {
	out, err := pin(src, image, newTag)
	if err != nil {
		return nil, fmt.Errorf("overlays: %w", err)
	}
	return out, nil
}

var (
	tagRE    = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$`)
	digestRE = regexp.MustCompile(`^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$`)
)

func pin(src []byte, image, ref string) ([]byte, error) {
	field := "newTag"
	if strings.Contains(ref, ":") { // a digest (sha256:...), not a tag
		field = "digest"
		if !digestRE.MatchString(ref) {
			return nil, fmt.Errorf("%q is not an image digest (algorithm:hex, such as sha256:<64 hex digits>)", ref)
		}
	} else if !tagRE.MatchString(ref) {
		return nil, fmt.Errorf("%q is not an image tag (1 to 128 letters, digits, '_', '.' or '-', not starting with '.' or '-')", ref)
	}
	d, e, err := entry(src, image)
	if err != nil {
		return nil, err
	}
	tagKey, tag := field2(e, "newTag")
	digestKey, digest := field2(e, "digest")
	switch {
	case tag != nil && digest != nil:
		return nil, fmt.Errorf("line %d: the entry for image %q has both newTag and digest (kustomize uses the digest): remove one by hand", e.Line, image)
	case tag == nil && digest == nil:
		return nil, fmt.Errorf("line %d: the entry for image %q has no newTag or digest: add `newTag: latest` to it", e.Line, image)
	}
	key, val := tagKey, tag
	if digest != nil {
		key, val = digestKey, digest
	}
	if key.Value == field && val.Value == ref {
		return src, nil
	}
	edits := []yamledit.Edit{{Node: val, Value: ref}}
	if key.Value != field {
		edits = append(edits, yamledit.Edit{Node: key, Value: field})
	}
	out, err := d.Apply(edits...)
	if err != nil {
		return nil, fmt.Errorf("image %q: %w", image, err)
	}
	return out, nil
}

// ErrNoEntry is returned, wrapped, for a kustomization without an images
// entry for the image.
var ErrNoEntry = errors.New("no images entry")

// read returns the entry for image.
func read(src []byte, image string) (Overlay, error) {
	_, e, err := entry(src, image)
	if err != nil {
		return Overlay{}, err
	}
	o := Overlay{Line: e.Line}
	for _, f := range []struct {
		key string
		dst *string
	}{{"newName", &o.NewName}, {"newTag", &o.NewTag}, {"digest", &o.Digest}} {
		if _, v := field2(e, f.key); v != nil {
			*f.dst = v.Value
		}
	}
	return o, nil
}

// entry finds the images entry whose name is image.
func entry(src []byte, image string) (*yamledit.Doc, *yaml.Node, error) {
	d, err := yamledit.Parse(src)
	if err != nil {
		return nil, nil, err
	}
	if d.Root().Kind != yaml.MappingNode {
		return nil, nil, fmt.Errorf("not a kustomization: the document is not a mapping")
	}
	_, images := field2(d.Root(), "images")
	if images == nil {
		return nil, nil, fmt.Errorf("%w for %q (the kustomization has no images list)", ErrNoEntry, image)
	}
	if images.Kind != yaml.SequenceNode {
		return nil, nil, fmt.Errorf("line %d: images is not a list", images.Line)
	}
	var found *yaml.Node
	for _, e := range images.Content {
		if e.Kind != yaml.MappingNode {
			continue
		}
		if _, name := field2(e, "name"); name != nil && name.Value == image {
			if found != nil {
				return nil, nil, fmt.Errorf("two images entries for %q (lines %d and %d): keep one", image, found.Line, e.Line)
			}
			found = e
		}
	}
	if found == nil {
		return nil, nil, fmt.Errorf("%w for %q (images has %s)", ErrNoEntry, image, names(images))
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(found.Content); i += 2 {
		k := found.Content[i]
		if line, dup := seen[k.Value]; dup {
			return nil, nil, fmt.Errorf("the entry for image %q has %s twice (lines %d and %d): keep one", image, k.Value, line, k.Line)
		}
		seen[k.Value] = k.Line
	}
	return d, found, nil
}

// names lists the image names in an images list, for messages.
func names(images *yaml.Node) string {
	var out []string
	for _, e := range images.Content {
		if _, n := field2(e, "name"); n != nil {
			out = append(out, fmt.Sprintf("%q", n.Value))
		}
	}
	if len(out) == 0 {
		return "no named images"
	}
	return strings.Join(out, ", ")
}

// field2 returns the key and value nodes of key in mapping m, or nils.
func field2(m *yaml.Node, key string) (k, v *yaml.Node) {
	if m.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i], m.Content[i+1]
		}
	}
	return nil, nil
}
