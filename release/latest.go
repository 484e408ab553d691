package release

import (
	"context"
	"errors"
	"fmt"
	"path"

	"github.com/confidential-containers/release-tools/charts"
	"github.com/confidential-containers/release-tools/charts/registry"
	"github.com/confidential-containers/release-tools/kata"
	"github.com/confidential-containers/release-tools/steps"
)

// Latest is the Kata version [Repo.ParseKataVersion] resolves: the highest
// release of the kata-deploy chart in its registry ([Repo.LatestKataDeploy]).
const Latest = "latest"

// ErrNoRegistry is returned, wrapped, by a lookup that needs a registry
// when none is given (Inputs.Registry nil).
var ErrNoRegistry = errors.New("no registry to ask")

// LatestKataDeploy is the highest release version (X.Y.Z, no
// pre-release) of the Config.KataDeployDependency chart in the oci://
// registry the Config.KataDeployChart's Chart.yaml names for it, asked of
// in.Registry: the tags of that OCI repository. A registry that could not
// be reached is an error wrapping [steps.ErrRegistryUnreachable]; one
// without a release version is an error too.
func (rel Repo) LatestKataDeploy(ctx context.Context, in Inputs) (string, error) {
	cfg := rel.Config
	if err := need("kataDeployChart", cfg.KataDeployChart); err != nil {
		return "", fmt.Errorf("the latest Kata version is read from the kata-deploy chart's registry: %w", err)
	}
	if in.Registry == nil {
		return "", fmt.Errorf("the latest Kata version is read from the %s chart's registry: %w (give the version)", cfg.KataDeployDependency, ErrNoRegistry)
	}
	c, err := charts.Read(rel.Root, cfg.KataDeployChart)
	if err != nil {
		return "", err
	}
	for _, d := range c.Dependencies {
		if d.Name != cfg.KataDeployDependency && d.Alias != cfg.KataDeployDependency {
			continue
		}
		if !d.IsOCI() {
			return "", fmt.Errorf("%s: dependency %q: %s is not an oci:// registry: give the version", path.Join(c.Dir, charts.ChartFile), cfg.KataDeployDependency, d.Repository)
		}
		in.waiting("listing " + d.Name + " in " + d.Repository)
		vs, err := in.Registry.Versions(ctx, d)
		if err != nil {
			if errors.Is(err, registry.ErrUnreachable) {
				return "", fmt.Errorf("%w: %w", steps.ErrRegistryUnreachable, err)
			}
			return "", err
		}
		for i := len(vs) - 1; i >= 0; i-- {
			if _, err := kata.ParseVersion(vs[i]); err == nil {
				return vs[i], nil
			}
		}
		return "", fmt.Errorf("%s has no release of %s (X.Y.Z) among %d tags", d.Repository, d.Name, len(vs))
	}
	return "", fmt.Errorf("%s: no dependency %q", path.Join(c.Dir, charts.ChartFile), cfg.KataDeployDependency)
}
