package pullrequest

import (
	"fmt"
	"strings"
)

// Next is a step that follows once the pull request is merged: a command
// and what it does, or, with no Command, what to do by hand.
type Next struct {
	Command, What string
}

// maxBody is the size past which [Body] leaves the diffs out: GitHub
// refuses a body over 65,536 characters.
const maxBody = 60000

// Body is the pull request's body: what the phase titled title did, from
// the plan it printed (plan is its output: the steps between its
// "<name>: plan" line and the next line that is not indented, diffs
// folded in <details>), the commits, and the steps that follow once it is
// merged, in order. When that is too long for GitHub the diffs are left
// out (the commits show them). Output without a plan line is quoted
// whole.
//
// Without the diffs, each step names at most [maxFiles] of its files; a
// body still too long (thousands of steps or commits) is cut at a line,
// and its last line says how much was left out.
func Body(title, plan string, cs []Commit, next []Next) string {
	b := body(title, plan, cs, next, true)
	if len(b) > maxBody {
		b = body(title, plan, cs, next, false)
	}
	if len(b) > maxBody {
		b = cut(b, maxBody)
	}
	return b
}

// maxFiles is how many files a step without its diff names.
const maxFiles = 10

// cut shortens b to at most limit bytes at a line boundary, its last line
// saying how many lines were left out.
func cut(b string, limit int) string {
	lines := strings.SplitAfter(b, "\n")
	total := len(lines)
	note := func(left int) string {
		return fmt.Sprintf("\n(%d more lines of this body are left out: GitHub takes at most 65,536 characters; the commits hold everything)\n", left)
	}
	n, kept := 0, 0
	for kept < total && n+len(lines[kept])+len(note(total))+16 <= limit { // 16: a closing fence
		n += len(lines[kept])
		kept++
	}
	// A fenced block cut open would swallow the note: close it.
	open := ""
	for _, l := range lines[:kept] {
		t := strings.TrimSpace(l)
		switch {
		case open == "" && strings.HasPrefix(t, "```"):
			open = t[:len(t)-len(strings.TrimLeft(t, "`"))]
		case open != "" && t == open:
			open = ""
		}
	}
	head := strings.Join(lines[:kept], "")
	if open != "" {
		head += open + "\n"
	}
	return head + note(total-kept)
}

func body(title, plan string, cs []Commit, next []Next, diffs bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "The phase `%s`, made by release-tools.\n\n### What it did\n", title)
	if steps, ok := planSteps(plan); ok {
		for _, s := range steps {
			writeStep(&b, s, diffs)
		}
	} else {
		fmt.Fprintf(&b, "%s\n", fence(strings.TrimRight(plan, "\n"), "text"))
	}
	fmt.Fprintf(&b, "\n### Commits\n")
	for _, c := range cs {
		fmt.Fprintf(&b, "- %s %s\n", short(c.SHA), c.Subject)
	}
	if len(next) > 0 {
		fmt.Fprintf(&b, "\n### Once this is merged, in order\n")
		for i, n := range next {
			switch {
			case n.Command == "":
				fmt.Fprintf(&b, "%d. %s\n", i+1, n.What)
			case n.What == "":
				fmt.Fprintf(&b, "%d. `%s`\n", i+1, n.Command)
			default:
				fmt.Fprintf(&b, "%d. `%s`: %s\n", i+1, n.Command, n.What)
			}
		}
	}
	return b.String()
}

// step is a step of the printed plan: its marker ("*", "ok", "-"), its
// line, and the lines printed below it (a note, a diff).
type step struct {
	mark, text string
	below      []string
}

// planSteps reads the steps of the first plan in out.
func planSteps(out string) ([]step, bool) {
	lines := strings.Split(out, "\n")
	start := -1
	for i, l := range lines {
		if !strings.HasPrefix(l, " ") && strings.HasSuffix(l, ": plan") {
			start = i + 1
			break
		}
	}
	if start < 0 {
		return nil, false
	}
	var steps []step
	for _, l := range lines[start:] {
		switch {
		case l == "":
			if n := len(steps); n > 0 && len(steps[n-1].below) > 0 {
				steps[n-1].below = append(steps[n-1].below, "")
			}
		case !strings.HasPrefix(l, " "):
			return steps, true
		case strings.HasPrefix(l, "    "):
			if n := len(steps); n > 0 {
				steps[n-1].below = append(steps[n-1].below, l[4:])
			}
		default:
			mark, text, _ := strings.Cut(strings.TrimSpace(l), " ")
			steps = append(steps, step{mark: mark, text: strings.TrimSpace(text)})
		}
	}
	return steps, true
}

func writeStep(b *strings.Builder, s step, diffs bool) {
	below := s.below
	for len(below) > 0 && below[len(below)-1] == "" {
		below = below[:len(below)-1]
	}
	text := s.text
	if len(below) > 0 && strings.HasPrefix(below[0], "(") {
		text += " " + below[0]
		below = below[1:]
	}
	fmt.Fprintf(b, "- `%s` %s\n", s.mark, text)
	if len(below) == 0 {
		return
	}
	var files []string
	for _, l := range below {
		if f, ok := strings.CutPrefix(l, "+++ b/"); ok {
			files = append(files, f)
		} else if f, ok := strings.CutPrefix(l, "--- a/"); ok && !strings.HasPrefix(f, "/dev/null") {
			// a removed file: its +++ line is /dev/null
			files = append(files, f)
		}
	}
	files = dedupe(files)
	if !diffs {
		named := files
		if len(files) > maxFiles {
			named = append(files[:maxFiles:maxFiles], fmt.Sprintf("and %d more files", len(files)-maxFiles))
		}
		fmt.Fprintf(b, "  (the diff of %s, %d lines, is too long for this body: see the commits)\n", strings.Join(named, ", "), len(below))
		return
	}
	summary := "diff"
	if len(files) > 0 {
		summary = "diff of " + strings.Join(files, ", ")
	}
	fmt.Fprintf(b, "  <details><summary>%s</summary>\n\n", escape(summary))
	for _, l := range strings.Split(fence(strings.Join(below, "\n"), "diff"), "\n") {
		fmt.Fprintf(b, "  %s\n", l)
	}
	fmt.Fprintf(b, "  </details>\n")
}

// fence puts text in a fenced code block longer than any run of
// backticks in it.
func fence(text, lang string) string {
	longest, run := 0, 0
	for _, r := range text {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	f := strings.Repeat("`", max(3, longest+1))
	return f + lang + "\n" + text + "\n" + f
}

func escape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

func dedupe(ss []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
