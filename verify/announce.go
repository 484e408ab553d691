package verify

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/confidential-containers/release-tools/github"
)

// Marker is the hidden line that marks the announcement of version of
// repo in an issue comment: [Announce] finds it to post only once.
func Marker(repo, version string) string {
	return fmt.Sprintf("<!-- release-tools: announcement of %s %s -->", repo, version)
}

// Announcement is the Markdown that tells the CoCo release team the
// release is out: the version, the links (the release's page as GitHub
// gives it, the images and the chart by reference, the runs' pages), and
// the components table of the release notes. It ends with [Marker].
// Meant for a report whose [Report.Err] is nil.
func (r *Report) Announcement() string {
	f := r.Facts
	var b strings.Builder
	name := f.Repo
	if i := strings.LastIndex(name, "/"); i >= 0 {
		name = name[i+1:]
	}
	fmt.Fprintf(&b, "## %s %s is released\n\n", name, f.Version)
	if f.Release != nil && f.Release.URL != "" {
		fmt.Fprintf(&b, "- Release: %s\n", f.Release.URL)
	}
	fmt.Fprintf(&b, "- Commit: `%s`\n", f.Commit)
	var images, charts []ArtifactResult
	for _, a := range r.Artifacts {
		if a.Chart {
			charts = append(charts, a)
		} else {
			images = append(images, a)
		}
	}
	if len(images) > 0 {
		b.WriteString("- Images:\n")
		for _, a := range images {
			plat := ""
			if len(a.Platforms) > 0 {
				plat = " (" + strings.Join(a.Platforms, ", ") + ")"
			}
			fmt.Fprintf(&b, "  - `%s`%s\n", a.Ref, plat)
		}
	}
	for _, a := range charts {
		fmt.Fprintf(&b, "- Chart: `oci://%s`\n", a.Ref)
	}
	for _, run := range r.Runs {
		fmt.Fprintf(&b, "- Workflow run: [%s](%s): %s\n", run.Run.Name, run.Run.URL, state(run.Run.Status, run.Run.Conclusion))
	}
	b.WriteString("\n")
	if f.Components != "" {
		b.WriteString(f.Components)
	}
	b.WriteString(Marker(f.Repo, f.Version.String()) + "\n")
	return b.String()
}

// Issue is an issue on GitHub: owner/repo#number.
type Issue struct {
	Owner, Repo string
	Number      int
}

func (i Issue) String() string { return fmt.Sprintf("%s/%s#%d", i.Owner, i.Repo, i.Number) }

var issueRE = regexp.MustCompile(`^([A-Za-z0-9-]+)/([A-Za-z0-9._-]+)#([1-9][0-9]*)$`)

// ParseIssue parses owner/repo#number.
func ParseIssue(s string) (Issue, error) {
	m := issueRE.FindStringSubmatch(s)
	if m == nil {
		return Issue{}, fmt.Errorf("verify: %q is not an issue: want owner/repo#number, such as confidential-containers/confidential-containers#123", s)
	}
	n, err := strconv.Atoi(m[3])
	if err != nil {
		return Issue{}, fmt.Errorf("verify: %q: %w", s, err)
	}
	return Issue{Owner: m[1], Repo: m[2], Number: n}, nil
}

// Announce posts body as a comment on issue, once: a comment there that
// holds marker already is returned, with posted false, and nothing is
// posted. gh's token is used on issue's repository.
func Announce(ctx context.Context, gh *github.Client, issue Issue, body, marker string) (c *github.Comment, posted bool, err error) {
	on, err := gh.On(issue.Owner, issue.Repo)
	if err != nil {
		return nil, false, err
	}
	if c, err = on.FindComment(ctx, issue.Number, marker); err != nil || c != nil {
		return c, false, err
	}
	c, err = on.AddComment(ctx, issue.Number, body)
	return c, err == nil, err
}
