package cycle

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/confidential-containers/release-tools/github"
	"github.com/confidential-containers/release-tools/internal/gitremote"
	"github.com/confidential-containers/release-tools/ledger"
	"github.com/confidential-containers/release-tools/pins"
	"github.com/confidential-containers/release-tools/release"
	"github.com/confidential-containers/release-tools/release/config"
	"github.com/confidential-containers/release-tools/released"
	"github.com/confidential-containers/release-tools/version"
)

// Phase is where a repository stands in the release cycle.
type Phase string

// The phases of a release cycle, in order.
const (
	// PhaseDevelopment: between releases: the image at latest, kata-deploy
	// at its dev version, the post-release of the latest release done.
	PhaseDevelopment Phase = "development"
	// PhaseDepsSynced: kata-deploy pinned to the Kata release (the deps
	// sync), the release phase not made yet.
	PhaseDepsSynced Phase = "deps synced"
	// PhaseReleasing: the release phase's commits are made (the charts or
	// requires at a version above the latest), not tagged yet.
	PhaseReleasing Phase = "release committed"
	// PhaseReleased: the latest version is tagged; its post-release (pins
	// back to latest, CITATION) is not done yet.
	PhaseReleased Phase = "released"
)

// Cycle is where the release cycle stands, from [Facts]: the phase, a sentence of what it was judged from, and the
// commands that come next, in order.
type Cycle struct {
	Phase   Phase
	Summary string
	Next    []Step
}

// Step is a command that comes next and what it does.
type Step struct {
	Fix  release.Fix
	What string
}

// Facts are the facts the cycle is judged from, gathered by package
// status as it reads a repository.
type Facts struct {
	Layout release.Layout
	Latest version.Version // the highest version tagged
	// Unpushed: some module tags of Latest are not on the remote (or the
	// remote could not be listed).
	Unpushed bool
	Standing *gitremote.Standing // nil when the remote's branch could not be read
	// KataDeploy is kata-deploy's pinned version, "" at its dev version or
	// without one.
	KataDeploy string
	Image      string          // what the image is pinned to: pins.LatestTag, a commit, or "" (mixed, none)
	InProgress version.Version // the version the charts (or requires) are at, above Latest; zero for none
	Citation   string          // "v" + CITATION's version; "" without one
	// Release is the latest release, from the ledger (nil: none); its
	// GitHub release is read when GHAsked.
	Release   *ledger.Release
	GHAsked   bool          // GitHub was asked about the releases
	Pulls     []github.Pull // open pull requests from release/... branches
	Published *released.Published
}

// Judge judges where the release cycle stands from the facts c: see
// [Phase].
func Judge(c Facts) Cycle {
	var cy Cycle
	v := c.Latest.String()
	imagePinned := c.Image != "" && c.Image != pins.LatestTag
	citationBehind := c.Citation != "" && v != "" && !c.Latest.IsPreRelease() && c.Citation != v
	switch {
	case !c.InProgress.IsZero():
		n := c.InProgress.String()
		cy.Phase = PhaseReleasing
		if !imagePinned {
			cy.Summary = "the charts are at " + n + " but the image is not pinned"
			cy.Next = append(cy.Next, Step{release.Fix{Action: release.ActionRelease, Args: []string{n, "<imageSHA>"}}, "pin the image (the release phase again)"})
			break
		}
		cy.Summary = fmt.Sprintf("%s is committed (image pinned to %s), not tagged", n, short(c.Image))
		cy.Next = append(cy.Next, c.merge("release/"+n, "the release's pull request")...)
		cy.Next = append(cy.Next,
			Step{release.Fix{Action: release.ActionTags, Args: []string{n}}, "plan the module tags on the merged head; check it"},
			Step{release.Fix{Action: release.ActionTags, Args: []string{n}, Push: true}, "create and push them"})
	case v != "" && (imagePinned || citationBehind):
		cy.Phase = PhaseReleased
		cy.Summary = whatReleased(c.Release) + "; its post-release is not done"
		if imagePinned {
			cy.Summary += " (the image is pinned to " + short(c.Image) + ")"
		} else {
			cy.Summary += " (CITATION cites " + c.Citation + ")"
		}
		if c.Unpushed {
			cy.Next = append(cy.Next, Step{release.Fix{Action: release.ActionTags, Args: []string{v}, Push: true}, "push the tags of " + v})
		}
		switch {
		case !c.GHAsked:
			cy.Next = append(cy.Next, Step{release.Fix{Action: release.ActionGitHubRelease, Args: []string{v}, Push: true}, "unless made already: GitHub was not asked"})
		case c.Release == nil || c.Release.GitHub == nil:
			cy.Next = append(cy.Next, Step{release.Fix{Action: release.ActionGitHubRelease, Args: []string{v}, Push: true}, "the release, marked latest"})
		case c.Release.Draft():
			cy.Next = append(cy.Next, publishDraft(v))
		case c.Published != nil && !c.Published.Found:
			cy.Next = append(cy.Next, Step{release.Fix{Command: "wait for the release workflow to publish " + c.Published.Chart + " " + c.Published.Version}, "the GitHub release publishes it"})
		}
		if m := c.merge("release/postrelease-"+v, "the post-release's pull request"); len(m) > 0 {
			cy.Next = append(cy.Next, m...)
		} else {
			cy.Next = append(cy.Next, Step{release.Fix{Action: release.ActionPostrelease, Args: []string{v}}, "every pin back to latest, kata-deploy unpinned, CITATION"})
		}
	case c.KataDeploy != "":
		cy.Phase = PhaseDepsSynced
		cy.Summary = "kata-deploy is pinned to " + c.KataDeploy + "; the image is not pinned"
		cy.Next = append(cy.Next, c.merge("release/deps-sync-"+c.KataDeploy, "the deps sync's pull request")...)
		cy.Next = append(cy.Next, Step{release.Fix{Action: release.ActionRelease, Args: []string{nextMinor(c.Latest), "<imageSHA>"}},
			"when the release is due: <imageSHA> is the commit of the image built from the merged head"})
	default:
		cy.Phase = PhaseDevelopment
		cy.Summary = "between releases"
		if v != "" {
			cy.Summary += "; the latest is " + v
			if c.Release != nil && c.Release.Kind == ledger.ChartOnly {
				cy.Summary += " (" + c.Release.Kind.String() + ")"
			}
			cy.Summary += ", its post-release done"
		}
		kata := "<kataVersion>"
		if c.Layout == release.ChartLayout {
			cy.Summary += "; kata-deploy at its dev version"
		}
		if v != "" {
			cy.Next = append(cy.Next, c.merge("release/postrelease-"+v, "the post-release's pull request")...)
		}
		cy.Next = append(cy.Next, Step{release.Fix{Action: release.ActionDepsSync, Args: []string{kata}}, "when Kata Containers releases the version to build on"})
	}
	if c.GHAsked && c.Release != nil && c.Release.Draft() && cy.Phase != PhaseReleased {
		cy.Summary += "; the GitHub release " + v + " is a draft"
		cy.Next = append([]Step{publishDraft(v)}, cy.Next...)
	}
	if s := c.Standing; s != nil {
		var pull []Step
		switch {
		case !s.Known:
			pull = []Step{{release.Fix{Command: "git pull " + s.Remote + " " + s.RemoteBranch}, s.Branch + " lacks " + s.Tracking() + "'s head: what status read here may be out of date"}}
		case len(s.Behind) > 0 && len(s.Ahead) > 0:
			pull = []Step{{release.Fix{Command: "git pull --rebase " + s.Remote + " " + s.RemoteBranch}, fmt.Sprintf("%s has diverged from %s (%s ahead, %s behind): what status read here may be out of date", s.Branch, s.Tracking(), count(len(s.Ahead), "commit", "commits"), count(len(s.Behind), "commit", "commits"))}}
		case len(s.Behind) > 0:
			pull = []Step{{release.Fix{Command: "git pull --ff-only " + s.Remote + " " + s.RemoteBranch}, fmt.Sprintf("%s is behind %s by %s: what status read here is out of date", s.Branch, s.Tracking(), count(len(s.Behind), "commit", "commits"))}}
		}
		cy.Next = append(pull, cy.Next...)
	}
	return cy
}

// publishDraft is the step that publishes the draft GitHub release of v.
func publishDraft(v string) Step {
	return Step{release.Fix{Action: release.ActionGitHubRelease, Args: []string{v}, Push: true}, "publish the draft GitHub release (it is not published)"}
}

// whatReleased says what the latest release rel is.
func whatReleased(rel *ledger.Release) string {
	if rel.Kind == ledger.ChartOnly {
		return rel.Version.String() + " is released (" + rel.Describe() + ")"
	}
	return rel.Version.String() + " is tagged"
}

// merge is the step that merges the open pull request from branch, or,
// with none known, the local commits the remote's branch lacks.
func (c Facts) merge(branch, what string) []Step {
	for _, p := range c.Pulls {
		if _, b, _ := strings.Cut(p.Head, ":"); b == branch {
			return []Step{{release.Fix{Command: fmt.Sprintf("merge pull request #%d", p.Number)}, what + ": " + p.URL}}
		}
	}
	if s := c.Standing; s != nil && s.Known && len(s.Ahead) > 0 && len(s.Behind) == 0 {
		return []Step{{release.Fix{Command: "merge " + s.Branch + "'s " + count(len(s.Ahead), "commit", "commits") + " into " + s.Tracking() + " through a pull request"}, what}}
	}
	return nil
}

// InProgress is the version a release in progress has given the charts
// (their appVersion) or, on the overlay layout, the requires between the
// modules, their versions candidates: the one they agree on when it is
// above latest, the highest version tagged (with none tagged, only when
// image, what the image is pinned to, is pinned); zero otherwise.
func InProgress(cfg config.Config, candidates []string, image string, latest version.Version) version.Version {
	var found version.Version
	for _, s := range candidates {
		v, err := cfg.ParseVersion(s)
		if err != nil {
			continue
		}
		if !found.IsZero() && v != found {
			return version.Version{} // they disagree: a problem of their own, no version in progress
		}
		found = v
	}
	// With no version tagged, only a pinned image tells a release from
	// the charts of the last one.
	pinned := image != "" && image != pins.LatestTag
	if !found.IsZero() && (latest.IsZero() && pinned || !latest.IsZero() && latest.Less(found)) {
		return found
	}
	return version.Version{}
}

// nextMinor is the version after v's minor release: v0.21.1 gives v0.22.0.
func nextMinor(v version.Version) string {
	parts := strings.Split(strings.TrimPrefix(v.Base().String(), "v"), ".")
	if len(parts) != 3 {
		return "<vX.Y.Z>"
	}
	minor, err := strconv.Atoi(parts[1])
	if err != nil {
		return "<vX.Y.Z>"
	}
	return fmt.Sprintf("v%s.%d.0", parts[0], minor+1)
}

func short(commit string) string {
	if pins.IsCommit(commit) {
		return commit[:12]
	}
	return commit
}

// Write writes the cycle and its next commands, each written by render.
func (cy Cycle) Write(w io.Writer, render func(release.Fix) string) {
	fmt.Fprintf(w, "cycle: %s: %s\n", cy.Phase, cy.Summary)
	width := 0
	cmds := make([]string, len(cy.Next))
	for i, s := range cy.Next {
		cmds[i] = render(s.Fix)
		width = max(width, len(cmds[i]))
	}
	for i, s := range cy.Next {
		label := "then "
		if i == 0 {
			label = "next:"
		}
		fmt.Fprintf(w, "  %s %-*s  %s\n", label, width, cmds[i], s.What)
	}
	io.WriteString(w, "\n")
}

// count is n and the noun for it: "1 commit", "2 commits".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
