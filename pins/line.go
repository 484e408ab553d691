package pins

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
)

// lineMatch is where a line pattern's capture group is in src.
type lineMatch struct {
	line       int // 1-based
	start, end int // byte offsets of the group in src
}

// matchLine finds the one line of src that pattern matches. Lines end at
// "\n", "\r\n" or a lone "\r" (as in YAML), which are not part of the
// line, so the tag never spans a line break. No match, several, or a match
// whose group takes no part (an unmatched alternative) is an error.
func matchLine(pattern string, src []byte) (lineMatch, error) {
	re, err := regexp.Compile(pattern)
	if err != nil {
		return lineMatch{}, err
	}
	var found []lineMatch
	for n, off := 1, 0; ; n++ {
		end := len(src)
		next := end
		if i := bytes.IndexAny(src[off:], "\r\n"); i >= 0 {
			end, next = off+i, off+i+1
			if src[end] == '\r' && next < len(src) && src[next] == '\n' {
				next++
			}
		}
		line := src[off:end]
		if loc := re.FindSubmatchIndex(line); loc != nil {
			if loc[2] < 0 {
				return lineMatch{}, fmt.Errorf("line %d matches %q but its capture group takes no part in the match: make the group hold the tag", n, pattern)
			}
			found = append(found, lineMatch{line: n, start: off + loc[2], end: off + loc[3]})
		}
		if next == len(src) {
			break
		}
		off = next
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return lineMatch{}, fmt.Errorf("%w: no line matches %q", ErrNoKey, pattern)
	}
	lines := make([]string, len(found))
	for i, m := range found {
		lines[i] = fmt.Sprint(m.line)
	}
	return lineMatch{}, fmt.Errorf("%d lines match %q (lines %s): make the pattern match exactly one", len(found), pattern, strings.Join(lines, ", "))
}

// setLine replaces the capture group's bytes on the one line that pattern
// matches with tag, and checks that the result reads back as tag.
func setLine(pattern string, src []byte, tag string) ([]byte, error) {
	m, err := matchLine(pattern, src)
	if err != nil {
		return nil, err
	}
	if string(src[m.start:m.end]) == tag {
		return src, nil
	}
	out := make([]byte, 0, len(src)-(m.end-m.start)+len(tag))
	out = append(out, src[:m.start]...)
	out = append(out, tag...)
	out = append(out, src[m.end:]...)
	back, err := matchLine(pattern, out)
	if err != nil {
		return nil, fmt.Errorf("line %d: after the edit: %v; nothing was written", m.line, err)
	}
	if got := string(out[back.start:back.end]); got != tag || back.line != m.line {
		return nil, fmt.Errorf("line %d: the edited line would read back as %q on line %d, not %q: make the capture group hold only the tag; nothing was written", m.line, got, back.line, tag)
	}
	return out, nil
}
