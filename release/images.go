package release

import (
	"github.com/confidential-containers/release-tools/phase"
	"github.com/confidential-containers/release-tools/steps"
)

// pinImageSteps are the steps that pin the image to sha in the
// repository's layout: the check that the registry has every image the
// pins will name ([steps.OverlayImageCheck], [steps.PlaceImageCheck]),
// then the pin.
func pinImageSteps(root string, cfg Config, sha string, in Inputs) ([]phase.Step, error) {
	layout, err := cfg.Layout(root)
	if err != nil {
		return nil, err
	}
	pin, err := imageStep(root, cfg, sha)
	if err != nil {
		return nil, err
	}
	check := steps.PlaceImageCheck(root, cfg.Image, cfg.Pins, sha, in.Registry)
	if layout == OverlayLayout {
		check = steps.OverlayImageCheck(root, cfg.Overlays(), sha, in.Registry)
	}
	return []phase.Step{check, pin}, nil
}
