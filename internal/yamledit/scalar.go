package yamledit

import (
	"bytes"
	"fmt"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Edit replaces the scalar Node's bytes by the encoding of Value.
type Edit struct {
	Node  *yaml.Node
	Value string
}

// Set returns src with the scalar at keys set to value. Only the value's
// bytes change; see [Doc.Apply] for how the value is written. Setting the
// value a scalar already holds returns src itself.
func Set(src []byte, keys []string, value string) ([]byte, error) {
	d, err := Parse(src)
	if err != nil {
		return nil, err
	}
	n, viaAlias, err := d.lookup(keys)
	if err != nil {
		return nil, err
	}
	if n.Kind != yaml.ScalarNode {
		return nil, fmt.Errorf("%q is a %s, not a single value", FormatPath(keys), kindName(n.Kind))
	}
	if n.Value == value {
		return src, nil
	}
	if viaAlias {
		return nil, fmt.Errorf("%q is reached through an alias (*name): edit the anchored value by hand", FormatPath(keys))
	}
	return d.Apply(Edit{Node: n, Value: value})
}

// Apply returns the document's bytes with each edit's scalar replaced. Each
// scalar keeps its quoting style; a plain scalar whose new value would read
// back as another value or type is double-quoted, and a single-quoted one
// that cannot hold the value is double-quoted. Every scalar must sit on one
// line. The output is parsed again and must hold the same tree as the
// input but for the edited values, which must read back exactly as asked;
// otherwise Apply fails and returns nothing.
func (d *Doc) Apply(edits ...Edit) ([]byte, error) {
	type splice struct {
		start, end int
		text       string
	}
	var splices []splice
	want := map[*yaml.Node]string{}
	for _, e := range edits {
		start, end, err := d.span(e.Node)
		if err != nil {
			return nil, err
		}
		text, err := encode(e.Node, e.Value, d.inFlow(e.Node))
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", e.Node.Line, err)
		}
		splices = append(splices, splice{start, end, text})
		want[e.Node] = e.Value
	}
	sort.Slice(splices, func(i, j int) bool { return splices[i].start < splices[j].start })
	var out bytes.Buffer
	out.Grow(len(d.src) + 64)
	prev := 0
	for _, s := range splices {
		if s.start < prev {
			return nil, fmt.Errorf("two edits overlap at byte %d", s.start)
		}
		out.Write(d.src[prev:s.start])
		out.WriteString(s.text)
		prev = s.end
	}
	out.Write(d.src[prev:])
	if err := d.verify(out.Bytes(), want); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// verify parses out and checks it holds d's tree with the values in want.
func (d *Doc) verify(out []byte, want map[*yaml.Node]string) error {
	od, err := Parse(out)
	if err != nil {
		return fmt.Errorf("the edit would not parse (%v); nothing was written", err)
	}
	before, after := preorder(d.root, nil), preorder(od.root, nil)
	skip := map[int]bool{}
	for n, v := range want {
		i := slices.Index(before, n)
		if i < 0 || i >= len(after) || after[i].Kind != yaml.ScalarNode || after[i].Value != v {
			return fmt.Errorf("line %d: the edited value would not read back as %q; nothing was written", n.Line, v)
		}
		skip[i] = true
	}
	if len(before) != len(after) {
		return fmt.Errorf("the edit would change the document's shape; nothing was written")
	}
	for i := range before {
		if skip[i] {
			continue
		}
		if msg := sameNode(before, after, i); msg != "" {
			return fmt.Errorf("the edit would change more than the value: %s; nothing was written", msg)
		}
	}
	return nil
}

// span returns the bytes of scalar n's token, which must be on one line.
func (d *Doc) span(n *yaml.Node) (start, end int, err error) {
	fail := func(why string) (int, int, error) {
		return 0, 0, fmt.Errorf("line %d: the value %s; edit it by hand", n.Line, why)
	}
	switch {
	case n.Kind != yaml.ScalarNode:
		return fail("is a " + kindName(n.Kind) + ", not a single value")
	case n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		return fail("is a block scalar (| or >)")
	case n.Style&yaml.TaggedStyle != 0:
		return fail("has an explicit tag (!)")
	case n.Anchor != "":
		return fail("has an anchor (&" + n.Anchor + ")")
	}
	start, err = d.offset(n.Line, n.Column)
	if err != nil {
		return 0, 0, err
	}
	rest := d.src[start:]
	if eol := bytes.IndexAny(rest, "\r\n"); eol >= 0 {
		rest = rest[:eol]
	}
	var raw []byte
	switch {
	case n.Style&yaml.DoubleQuotedStyle != 0:
		raw = quoted(rest, '"')
	case n.Style&yaml.SingleQuotedStyle != 0:
		raw = quoted(rest, '\'')
	default:
		raw = plainToken(rest, d.inFlow(n))
	}
	if raw == nil {
		return fail("spans more than one line")
	}
	if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) == 0 {
		if string(raw) != n.Value {
			return fail("spans more than one line or is written in a form this tool does not edit")
		}
	} else {
		var v string
		if yaml.Unmarshal(raw, &v) != nil || v != n.Value {
			return fail("is written in a form this tool does not edit")
		}
	}
	return start, start + len(raw), nil
}

// quoted returns the quoted token at the start of line (opening quote q
// included), or nil if it does not close on the line.
func quoted(line []byte, q byte) []byte {
	if len(line) == 0 || line[0] != q {
		return nil
	}
	for i := 1; i < len(line); i++ {
		switch {
		case q == '"' && line[i] == '\\':
			i++
		case q == '\'' && line[i] == '\'' && i+1 < len(line) && line[i+1] == '\'':
			i++
		case line[i] == q:
			return line[:i+1]
		}
	}
	return nil
}

// plainToken returns the plain scalar at the start of line: up to a comment,
// a ": " indicator, or, in a flow collection, a flow indicator; trailing
// blanks trimmed.
func plainToken(line []byte, flow bool) []byte {
	end := len(line)
	for i := 0; i < len(line); i++ {
		c := line[i]
		if c == '#' && i > 0 && (line[i-1] == ' ' || line[i-1] == '\t') ||
			c == ':' && (i+1 == len(line) || line[i+1] == ' ' || line[i+1] == '\t' || flow && strings.IndexByte(",[]{}", line[i+1]) >= 0) ||
			flow && strings.IndexByte(",[]{}", c) >= 0 {
			end = i
			break
		}
	}
	return bytes.TrimRight(line[:end], " \t")
}

// inFlow reports whether n sits inside a flow collection ([...] or {...}).
func (d *Doc) inFlow(n *yaml.Node) bool {
	var walk func(p *yaml.Node, flow bool) (found, inFlow bool)
	walk = func(p *yaml.Node, flow bool) (bool, bool) {
		if p == n {
			return true, flow
		}
		flow = flow || (p.Kind == yaml.MappingNode || p.Kind == yaml.SequenceNode) && p.Style&yaml.FlowStyle != 0
		for _, c := range p.Content {
			if found, f := walk(c, flow); found {
				return true, f
			}
		}
		return false, false
	}
	_, f := walk(d.root, false)
	return f
}

// sameNode compares node i of two preorder lists, ignoring positions,
// styles and comments; it returns "" when they are the same.
func sameNode(before, after []*yaml.Node, i int) string {
	x, y := before[i], after[i]
	switch {
	case x.Kind != y.Kind || len(x.Content) != len(y.Content):
		return fmt.Sprintf("line %d changes shape", y.Line)
	case x.Value != y.Value || x.Tag != y.Tag || x.Anchor != y.Anchor:
		return fmt.Sprintf("line %d changes from %q to %q", y.Line, x.Value, y.Value)
	case (x.Alias == nil) != (y.Alias == nil) || x.Alias != nil && slices.Index(before, x.Alias) != slices.Index(after, y.Alias):
		return fmt.Sprintf("the alias on line %d changes", y.Line)
	}
	return ""
}

// SetWithComment is [Set], and the line comment after the value becomes
// "# "+comment: the comment there is replaced (the spaces before its # are
// kept) or, without one, " # "+comment is added after the value.
func SetWithComment(src []byte, keys []string, value, comment string) ([]byte, error) {
	if strings.ContainsAny(comment, "\r\n") {
		return nil, fmt.Errorf("comment %q is not one line", comment)
	}
	out, err := Set(src, keys, value)
	if err != nil {
		return nil, err
	}
	d, err := Parse(out)
	if err != nil {
		return nil, err
	}
	n, _, err := d.lookup(keys)
	if err != nil {
		return nil, err
	}
	_, end, err := d.span(n)
	if err != nil {
		return nil, err
	}
	eol := bytes.IndexByte(out[end:], '\n')
	if eol < 0 {
		eol = len(out) - end
	}
	rest := out[end : end+eol]
	cr := bytes.HasSuffix(rest, []byte("\r"))
	rest = bytes.TrimSuffix(rest, []byte("\r"))
	lead := len(rest) - len(bytes.TrimLeft(rest, " \t"))
	var repl string
	switch {
	case lead == len(rest): // no comment
		repl = " # " + comment
	case rest[lead] == '#':
		repl = string(rest[:lead]) + "# " + comment
	default:
		return nil, fmt.Errorf("line %d: unexpected %q after the value", n.Line, rest[lead:])
	}
	if cr {
		repl += "\r"
	}
	res := append(append(append([]byte{}, out[:end]...), repl...), out[end+eol:]...)
	check, err := Parse(res)
	if err != nil {
		return nil, fmt.Errorf("the comment would not parse (%v); nothing was written", err)
	}
	cn, _, err := check.lookup(keys)
	if err != nil || cn.Value != value || cn.LineComment != "# "+comment {
		return nil, fmt.Errorf("line %d: the comment would not read back as %q; nothing was written", n.Line, "# "+comment)
	}
	if err := d.verify(res, map[*yaml.Node]string{n: value}); err != nil {
		return nil, err
	}
	return res, nil
}
