package release

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/confidential-containers/release-tools/internal/fsutil"
)

// Change is one file's edit: its bytes before and after. Plan and apply
// share it, so a dry run shows exactly what a real run writes.
type Change struct {
	Path     string // relative to the repository root, slash-separated
	Old, New []byte
}

// Apply writes the change below root, only if the file still holds Old.
func (c Change) Apply(root string) error {
	name := filepath.Join(root, filepath.FromSlash(c.Path))
	cur, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	if !bytes.Equal(cur, c.Old) {
		return fmt.Errorf("%s changed since the plan was made; run again", c.Path)
	}
	return fsutil.WriteFileAtomic(name, c.New)
}

// Diff renders the change as a unified diff with three lines of context.
func (c Change) Diff() string {
	ops := diffLines(lines(c.Old), lines(c.New))
	// na[k], nb[k]: lines of Old and New before ops[k].
	na, nb := make([]int, len(ops)+1), make([]int, len(ops)+1)
	for k, o := range ops {
		na[k+1], nb[k+1] = na[k], nb[k]
		if o.op != '+' {
			na[k+1]++
		}
		if o.op != '-' {
			nb[k+1]++
		}
	}
	var out strings.Builder
	for i := 0; i < len(ops); {
		if ops[i].op == ' ' {
			i++
			continue
		}
		start, end := max(0, i-3), i
		for {
			for end < len(ops) && ops[end].op != ' ' {
				end++
			}
			run := end
			for run < len(ops) && ops[run].op == ' ' {
				run++
			}
			if run < len(ops) && run-end <= 6 {
				end = run
				continue
			}
			end = min(end+3, len(ops))
			break
		}
		if out.Len() == 0 {
			fmt.Fprintf(&out, "--- a/%s\n+++ b/%s\n", c.Path, c.Path)
		}
		fmt.Fprintf(&out, "@@ -%d,%d +%d,%d @@\n", na[start]+1, na[end]-na[start], nb[start]+1, nb[end]-nb[start])
		for _, o := range ops[start:end] {
			out.WriteString(string(o.op) + o.text + "\n")
		}
		i = end
	}
	return out.String()
}

type op struct {
	op   byte
	text string
}

// diffLines is a line diff: the common head and tail, and a longest common
// subsequence of the middle (the edits here change a few lines).
func diffLines(a, b []string) []op {
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	var out []op
	for _, l := range a[:pre] {
		out = append(out, op{' ', l})
	}
	ma, mb := a[pre:len(a)-suf], b[pre:len(b)-suf]
	lcs := make([][]int, len(ma)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(mb)+1)
	}
	for i := len(ma) - 1; i >= 0; i-- {
		for j := len(mb) - 1; j >= 0; j-- {
			if ma[i] == mb[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	for i, j := 0, 0; i < len(ma) || j < len(mb); {
		switch {
		case i < len(ma) && j < len(mb) && ma[i] == mb[j]:
			out = append(out, op{' ', ma[i]})
			i++
			j++
		case i < len(ma) && (j == len(mb) || lcs[i+1][j] >= lcs[i][j+1]):
			out = append(out, op{'-', ma[i]})
			i++
		default:
			out = append(out, op{'+', mb[j]})
			j++
		}
	}
	for _, l := range a[len(a)-suf:] {
		out = append(out, op{' ', l})
	}
	return out
}

func lines(data []byte) []string {
	s := strings.TrimSuffix(string(data), "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// Tree is the repository's files as a phase's edits leave them: it reads
// from disk and keeps every edit in memory, so the steps of a plan build on
// each other and nothing is written until the plan is applied.
type Tree struct {
	Root     string
	progress io.Writer         // told about lookups that wait on the network
	files    map[string][]byte // current content of edited files
	log      []Change          // every edit, in order
}

// NewTree returns a tree over the repository at root.
func NewTree(root string) *Tree {
	return &Tree{Root: root, files: map[string][]byte{}}
}

// Waiting says, on the phase's output, that a lookup that waits on the
// network starts.
func (t *Tree) Waiting(what string) {
	if t.progress != nil {
		fmt.Fprintf(t.progress, "  ... %s (waits on the network)\n", what)
	}
}

// Read returns a file's content as the edits so far leave it.
func (t *Tree) Read(path string) ([]byte, error) {
	if data, ok := t.files[path]; ok {
		return data, nil
	}
	data, err := os.ReadFile(filepath.Join(t.Root, filepath.FromSlash(path)))
	if err != nil {
		return nil, err
	}
	return data, nil
}

// Edit replaces a file's content with what edit makes of it, and returns
// the change (nil when the content stays).
func (t *Tree) Edit(path string, edit func([]byte) ([]byte, error)) (*Change, error) {
	old, err := t.Read(path)
	if err != nil {
		return nil, err
	}
	out, err := edit(old)
	if err != nil {
		return nil, err
	}
	if bytes.Equal(out, old) {
		return nil, nil
	}
	t.files[path] = out
	c := Change{Path: path, Old: old, New: out}
	t.log = append(t.log, c)
	return &c, nil
}
