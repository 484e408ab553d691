package release

import (
	"github.com/confidential-containers/release-tools/phase"
	"github.com/confidential-containers/release-tools/release/config"
	"github.com/confidential-containers/release-tools/steps"
)

// pinImageSteps are the steps that pin the image to sha in the
// repository's layout: the check that the registry has every image the
// pins will name ([steps.OverlayImageCheck], [steps.PlaceImageCheck]),
// then the pin. rel's layout is decided ([Repo.Layout]).
func pinImageSteps(rel Repo, sha string, in Inputs) []phase.Step {
	root, cfg := rel.Root, rel.Config
	if rel.layout == OverlayLayout {
		return []phase.Step{steps.OverlayImageCheck(root, Overlays(cfg), sha, in.Registry), imageStep(rel, sha)}
	}
	return []phase.Step{steps.PlaceImageCheck(root, cfg.Image, cfg.Pins, sha, in.Registry), imageStep(rel, sha)}
}

// imageStep pins (sha != "") or unpins the image in rel's layout, which is
// decided: its overlays or its pins.
func imageStep(rel Repo, sha string) phase.Step {
	if rel.layout == OverlayLayout {
		return steps.PinOverlays(rel.Root, Overlays(rel.Config), sha)
	}
	return steps.PinPlaces(rel.Root, rel.Config.Image, rel.Config.Pins, sha)
}

// Overlays are the overlays the image is pinned in, on the overlay layout.
func Overlays(cfg config.Config) steps.Overlays {
	return steps.Overlays{Root: cfg.OverlaysRoot, Image: cfg.Image, Dev: cfg.DevOverlays}
}
