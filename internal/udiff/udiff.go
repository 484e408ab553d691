// Package udiff renders the change of one file as a unified diff, as git
// diff shows it.
package udiff

import (
	"fmt"
	"strings"
)

// File renders the change of the file at path (slash-separated) from
// before to after as a unified diff with three lines of context; nil is a file that
// does not exist, so a created or removed file is diffed against
// /dev/null, as git does. Equal contents give "".
func File(path string, before, after []byte) string {
	ops := diffLines(lines(before), lines(after))
	// na[k], nb[k]: lines of before and after ahead of ops[k].
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
	from, to := "a/"+path, "b/"+path
	if before == nil {
		from = "/dev/null"
	}
	if after == nil {
		to = "/dev/null"
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
			fmt.Fprintf(&out, "--- %s\n+++ %s\n", from, to)
		}
		fmt.Fprintf(&out, "@@ -%s +%s @@\n", hunkRange(na[start], na[end]-na[start]), hunkRange(nb[start], nb[end]-nb[start]))
		for _, o := range ops[start:end] {
			out.WriteString(string(o.op) + o.text + "\n")
		}
		i = end
	}
	return out.String()
}

// hunkRange is a hunk's line range as diff writes it: an empty range
// names the line before it (0 at the start of a file).
func hunkRange(before, n int) string {
	if n == 0 {
		return fmt.Sprintf("%d,0", before)
	}
	return fmt.Sprintf("%d,%d", before+1, n)
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
