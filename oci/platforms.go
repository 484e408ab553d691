package oci

import (
	"context"
	"fmt"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// Platforms returns the platforms ("linux/amd64", "linux/arm64/v8") of
// the manifest ref names: those an index lists, or the one of a single
// image's config (none for an artifact whose config says none). A
// manifest the registry does not have is found == false with no error.
func (c Client) Platforms(ctx context.Context, ref name.Reference) (platforms []string, index, found bool, err error) {
	ctx, opts, cancel := c.Call(ctx)
	defer cancel()
	desc, err := remote.Get(ref, opts...)
	if err != nil {
		if NotFound(err) {
			return nil, false, false, nil
		}
		return nil, false, false, fmt.Errorf("oci: look up %s: %w", ref, c.Classify(ctx, err))
	}
	if desc.MediaType.IsIndex() {
		idx, err := desc.ImageIndex()
		if err != nil {
			return nil, true, true, fmt.Errorf("oci: %s: %w", ref, c.Classify(ctx, err))
		}
		m, err := idx.IndexManifest()
		if err != nil {
			return nil, true, true, fmt.Errorf("oci: %s: the index: %w", ref, c.Classify(ctx, err))
		}
		for _, d := range m.Manifests {
			if d.Platform != nil {
				platforms = append(platforms, d.Platform.String())
			}
		}
		return platforms, true, true, nil
	}
	img, err := desc.Image()
	if err != nil {
		return nil, false, true, fmt.Errorf("oci: %s: %w", ref, c.Classify(ctx, err))
	}
	cfg, err := img.ConfigFile()
	if err != nil || cfg.OS == "" {
		return nil, false, true, nil // an artifact (a chart, an ORAS file) has no platform
	}
	p := cfg.Platform()
	if p == nil {
		return nil, false, true, nil
	}
	return []string{p.String()}, false, true, nil
}
