package actions

import (
	"fmt"
	"os"
	"strings"
	"sync"

	"github.com/confidential-containers/release-tools/pullrequest"
)

// Summary is what a target's run says in the workflow run's summary: the
// target, its outcome, the pull request it opened or found, the steps that
// follow, and the plan and results it printed.
type Summary struct {
	Title string // the target and its arguments, or the phase's name

	mu   sync.Mutex
	log  strings.Builder
	pr   *pullrequest.Result
	next []pullrequest.Next
	note string
}

// Write keeps what the target prints on its standard output: the plan
// and the results.
func (s *Summary) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.log.Len()+len(p) <= maxLog {
		s.log.Write(p)
	}
	return len(p), nil
}

// maxLog bounds the log kept: GitHub takes at most 1 MiB of a step's
// summary.
const maxLog = 512 << 10

// Proposed records the pull request of the run and the steps that follow
// its merge.
func (s *Summary) Proposed(res *pullrequest.Result, next []pullrequest.Next) {
	s.pr, s.next = res, next
}

// Note records a line that says the outcome better than the log: "nothing
// to do", the pull request open already.
func (s *Summary) Note(note string) { s.note = note }

// Markdown is the summary of the run that ended with err (nil: it
// succeeded).
func (s *Summary) Markdown(err error) string {
	var b strings.Builder
	title := s.Title
	if title == "" {
		title = "release-tools"
	}
	if err != nil {
		fmt.Fprintf(&b, "## ❌ %s failed\n\n", title)
	} else {
		fmt.Fprintf(&b, "## ✅ %s\n\n", title)
	}
	if s.note != "" {
		fmt.Fprintf(&b, "%s\n\n", s.note)
	}
	if p := s.pr; p != nil && p.Pull != nil {
		fmt.Fprintf(&b, "**Pull request:** [#%d](%s) %s (`%s`)\n\n", p.Pull.Number, p.Pull.URL, p.Outcome, p.Pull.Head)
	}
	if err != nil {
		fmt.Fprintf(&b, "### Error\n\n%s\n", fence(err.Error()))
	}
	if len(s.next) > 0 && err == nil {
		fmt.Fprintf(&b, "### Next\n\n")
		for i, n := range s.next {
			if n.Command == "" {
				fmt.Fprintf(&b, "%d. %s\n", i+1, n.What)
			} else {
				fmt.Fprintf(&b, "%d. `%s`: %s\n", i+1, n.Command, n.What)
			}
		}
		b.WriteString("\n`mage` stands for `go -C .mage tool mage -w ..`, run from the repository's root.\n\n")
	}
	s.mu.Lock()
	log := s.log.String()
	s.mu.Unlock()
	if log != "" {
		fmt.Fprintf(&b, "<details><summary>The plan and the results</summary>\n\n%s\n</details>\n\n", fence(log))
	}
	return b.String()
}

// fence is text in a fenced block that no line of it can close.
func fence(text string) string {
	f := "~~~"
	for strings.Contains(text, f) {
		f += "~"
	}
	return f + "text\n" + strings.TrimRight(text, "\n") + "\n" + f + "\n"
}

// Append appends the summary of the run that ended with err to the file
// path ($GITHUB_STEP_SUMMARY); nothing when path is "".
func (s *Summary) Append(path string, err error) error {
	if path == "" {
		return nil
	}
	f, ferr := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if ferr != nil {
		return fmt.Errorf("GITHUB_STEP_SUMMARY: %w", ferr)
	}
	_, werr := f.WriteString(s.Markdown(err))
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return fmt.Errorf("GITHUB_STEP_SUMMARY: %w", werr)
	}
	return nil
}
