package status

import (
	"fmt"
	"sort"
	"strings"

	"github.com/confidential-containers/release-tools/overlays"
	"github.com/confidential-containers/release-tools/pins"
	"github.com/confidential-containers/release-tools/release"
	"github.com/confidential-containers/release-tools/release/config"
	"github.com/confidential-containers/release-tools/released"
	"github.com/confidential-containers/release-tools/steps"
)

// overlays adds a row for every overlay of the image and a problem when
// they disagree or one breaks the dev- rule.
func (r *Report) overlays(cfg config.Config, found []overlays.Overlay) {
	byTag := map[string][]string{} // sha or "latest" -> overlays
	for _, o := range found {
		tag := o.NewTag + o.Digest
		r.row("overlay "+o.Name(), tag)
		if !steps.Managed(o) {
			continue
		}
		sha := strings.TrimPrefix(tag, "dev-")
		if tag != "latest" && release.Overlays(cfg).Tag(o.Name(), sha) != tag {
			r.problem(fmt.Sprintf("overlay %s has %s, but the dev- rule gives %s", o.Name(), tag, release.Overlays(cfg).Tag(o.Name(), sha)), release.Fix{Action: release.ActionPinImage, Args: []string{sha}})
		}
		if tag != "latest" && !pins.IsCommit(sha) {
			r.problem(fmt.Sprintf("%s: the image tag %q is neither latest nor a commit", o.File, tag),
				release.Fix{Action: release.ActionUnpinImage}, release.Fix{Action: release.ActionPinImage, Args: []string{"<imageSHA>"}})
			continue
		}
		byTag[sha] = append(byTag[sha], o.Name())
	}
	if len(byTag) == 1 {
		for tag := range byTag {
			r.c.Image = tag
		}
	}
	if len(byTag) > 1 {
		var parts []string
		for pin, names := range byTag {
			parts = append(parts, fmt.Sprintf("%s: %s", pin, strings.Join(names, ", ")))
		}
		sort.Strings(parts)
		r.problem("overlays are pinned to different images ("+strings.Join(parts, "; ")+")", release.Fix{Action: release.ActionPinImage, Args: []string{"<imageSHA>"}}, release.Fix{Action: release.ActionUnpinImage})
	}
}

// imagePlace is a place of the image and the tags found there, or why
// they could not be read.
type imagePlace struct {
	place pins.Place
	found []released.ImageTag
	err   error
}

// readImages reads the tags of every place of the image.
func readImages(rel release.Repo) []imagePlace {
	var out []imagePlace
	for _, p := range rel.Config.Pins {
		found, err := released.ImageTags(rel.Root, p)
		out = append(out, imagePlace{p, found, err})
	}
	return out
}

// pins adds a row for every place of the image and a problem when they
// disagree: every place must hold latest, or all the same commit, each in
// its template's form (so the Makefile line agrees with the dev providers'
// files it generates).
func (r *Report) pins(cfg config.Config, places []imagePlace) {
	var all []released.ImageTag
	for _, ip := range places {
		p, found := ip.place, ip.found
		if ip.err != nil {
			r.row("image "+p.File, "unreadable")
			r.problem(fmt.Sprintf("image place %s: %v", p.File, ip.err), release.Fix{Command: "fix " + p.File + " by hand, or the pins of " + config.ConfigFile})
			continue
		}
		for _, f := range found {
			r.row("image "+f.File, f.Tag)
			if f.State == pins.Other {
				r.problem(fmt.Sprintf("%s: the image tag %q is neither %s nor a pin in its template %s", f.File, f.Tag, pins.LatestTag, orSHA(p.Template)),
					release.Fix{Action: release.ActionUnpinImage}, release.Fix{Action: release.ActionPinImage, Args: []string{"<imageSHA>"}})
			}
			if f.State == pins.OtherTemplate {
				r.problem(fmt.Sprintf("%s has %s, but its template %s gives %s", f.File, f.Tag, orSHA(p.Template), f.Want()),
					release.Fix{Action: release.ActionPinImage, Args: []string{f.Commit}})
			}
		}
		all = append(all, found...)
	}
	byTag := released.PinnedTo(all)
	if len(byTag) == 1 {
		for tag := range byTag {
			r.c.Image = tag
		}
	}
	if len(byTag) > 1 {
		var parts []string
		for tag, files := range byTag {
			parts = append(parts, fmt.Sprintf("%s: %s", tag, strings.Join(files, ", ")))
		}
		sort.Strings(parts)
		r.problem("the image is pinned to different tags ("+strings.Join(parts, "; ")+")",
			release.Fix{Action: release.ActionPinImage, Args: []string{"<imageSHA>"}}, release.Fix{Action: release.ActionUnpinImage})
	}
}

func orSHA(template string) string {
	if template == "" {
		return pins.TemplateSHA
	}
	return template
}
