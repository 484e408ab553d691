package released

import (
	"fmt"
	"strings"
)

// Markdown is the components as the release notes show them, above
// GitHub's generated notes: a "## Components" table (Kata Containers,
// guest-components, trustee, the operator or the kata-deploy chart, each
// chart, the image commit) and the image references pinned, ending with a
// blank line. A row the tree has no value for is left out; with no row at
// all it is "".
func (c Components) Markdown() string {
	type row struct{ name, version, commit string }
	var rows []row
	for _, r := range c.Refs {
		rows = append(rows, row{r.Name, r.Version, r.Commit})
	}
	if c.KataDeploy != "" {
		rows = append(rows, row{"kata-deploy chart", c.KataDeploy, ""})
	}
	for _, ch := range c.Charts {
		rows = append(rows, row{ch.Name + " chart", ch.Version, ""})
	}
	if c.ImageCommit != "" {
		rows = append(rows, row{c.Image + " image", "", c.ImageCommit})
	}
	if len(rows) == 0 && len(c.Images) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("## Components\n\n")
	if len(rows) > 0 {
		b.WriteString("| Component | Version | Commit |\n| --- | --- | --- |\n")
		for _, r := range rows {
			fmt.Fprintf(&b, "| %s | %s | %s |\n", cell(r.name), cell(r.version), code(r.commit))
		}
		b.WriteString("\n")
	}
	if len(c.Images) > 0 {
		b.WriteString("Images:\n")
		for _, ref := range c.Images {
			fmt.Fprintf(&b, "- %s\n", code(ref))
		}
		b.WriteString("\n")
	}
	return b.String()
}

// cell is s made safe for a table cell: no line break, no column break.
func cell(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return strings.ReplaceAll(s, "|", `\|`)
}

// code is s as a code span in a table cell, "" for "".
func code(s string) string {
	if s == "" {
		return ""
	}
	return "`" + strings.ReplaceAll(cell(s), "`", "'") + "`"
}
