// Package yamledit finds a scalar in a hand-kept YAML file and replaces the
// bytes of that one value, leaving every other byte of the file as it was.
//
// It parses with go.yaml.in/yaml/v3 only to learn where things are. The
// output is the input with one span spliced, never a re-encoded document,
// and every edit re-parses its output and compares the whole tree with the
// input's before it is returned. The versions (versions.yaml, CITATION.cff),
// overlays, charts and pins editors all build on it.
package yamledit

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/confidential-containers/release-tools/internal/fsutil"
)

// Doc is a parsed single-document YAML file that remembers its bytes.
type Doc struct {
	src   []byte
	root  *yaml.Node // the document's top node
	lines []int      // byte offset where each line starts, as yaml counts lines; set by offset
}

// MaxSize is the largest input [Parse] accepts, [fsutil.MaxSize] (4 MiB):
// hundreds of times the files a release edits (versions.yaml is under 3
// KiB), and small enough that parsing stays under a second. A 50 MiB file
// took yaml.v3 11 s and 1.4 GB. File wrappers read at most MaxSize+1 bytes
// ([fsutil.ReadFile], [fsutil.EditFile]).
const MaxSize = fsutil.MaxSize

// Parse parses src, which must hold exactly one YAML document. An input
// over [MaxSize] is refused before parsing with an [*fsutil.SizeError].
func Parse(src []byte) (*Doc, error) {
	if err := fsutil.CheckSize(int64(len(src)), MaxSize); err != nil {
		return nil, err
	}
	dec := yaml.NewDecoder(bytes.NewReader(src))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("no YAML document")
		}
		return nil, err
	}
	var next yaml.Node
	if err := dec.Decode(&next); !errors.Is(err, io.EOF) {
		if err != nil {
			return nil, err
		}
		return nil, errors.New("more than one YAML document; only single-document files can be edited")
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return nil, errors.New("no YAML document")
	}
	return &Doc{src: src, root: doc.Content[0]}, nil
}

// Root returns the document's top node.
func (d *Doc) Root() *yaml.Node { return d.root }

// PathError is a path that the document does not hold.
type PathError struct {
	Path  string   // the path asked for
	Found string   // the longest prefix of Path that exists ("" for the top)
	Have  []string // the keys (or index range) available at Found
	Why   string   // set when Found holds something that cannot be walked into
}

func (e *PathError) Error() string {
	at := "the top level"
	if e.Found != "" {
		at = fmt.Sprintf("%q", e.Found)
	}
	if e.Why != "" {
		return fmt.Sprintf("no %q: %s %s", e.Path, at, e.Why)
	}
	return fmt.Sprintf("no %q: %s has %s", e.Path, at, strings.Join(e.Have, ", "))
}

// DuplicateKeyError is a path through a mapping that has the key twice:
// YAML forbids it, yaml.v3 keeps both, and which one a reader takes is
// anyone's guess, so nothing is read or set there until one is removed.
type DuplicateKeyError struct {
	Mapping string // the path of the mapping ("" for the top)
	Key     string
	Lines   [2]int // the lines of the first two occurrences
}

func (e *DuplicateKeyError) Error() string {
	in := "at the top level"
	if e.Mapping != "" {
		in = "in " + e.Mapping
	}
	return fmt.Sprintf("key %s appears twice %s (lines %d and %d): keep one", e.Key, in, e.Lines[0], e.Lines[1])
}

// Lookup walks keys from the top node. Mapping keys match by their value;
// in a sequence a key is an index. Aliases are followed. A path that does
// not exist is a [*PathError] naming the longest prefix that does and what
// is available there; a mapping on the way that has the key twice is a
// [*DuplicateKeyError].
func (d *Doc) Lookup(keys []string) (*yaml.Node, error) {
	n, _, err := d.lookup(keys)
	return n, err
}

// lookup is [Doc.Lookup] that also says whether the walk went through an
// alias (an edit there would change every place the anchor is used).
func (d *Doc) lookup(keys []string) (*yaml.Node, bool, error) {
	n := d.root
	viaAlias := false
	for i, key := range keys {
		if n.Kind == yaml.AliasNode {
			n, viaAlias = n.Alias, true
		}
		fail := func(have []string, why string) error {
			return &PathError{Path: FormatPath(keys), Found: FormatPath(keys[:i]), Have: have, Why: why}
		}
		switch n.Kind {
		case yaml.MappingNode:
			var found *yaml.Node
			var foundLine int
			var have []string
			for j := 0; j+1 < len(n.Content); j += 2 {
				k := n.Content[j]
				have = append(have, k.Value)
				if k.Kind == yaml.ScalarNode && k.Value == key {
					if found != nil {
						return nil, false, &DuplicateKeyError{Mapping: FormatPath(keys[:i]), Key: key, Lines: [2]int{foundLine, k.Line}}
					}
					found, foundLine = n.Content[j+1], k.Line
				}
			}
			if found == nil {
				if len(have) == 0 {
					return nil, false, fail(nil, "is an empty mapping")
				}
				return nil, false, fail(have, "")
			}
			n = found
		case yaml.SequenceNode:
			idx, err := strconv.Atoi(key)
			if err != nil || idx < 0 || idx >= len(n.Content) || strconv.Itoa(idx) != key {
				if len(n.Content) == 0 {
					return nil, false, fail(nil, "is an empty list")
				}
				return nil, false, fail([]string{fmt.Sprintf("list indexes 0 to %d", len(n.Content)-1)}, "")
			}
			n = n.Content[idx]
		default:
			return nil, false, fail(nil, fmt.Sprintf("is a scalar (%q), not a mapping or list", n.Value))
		}
	}
	if n.Kind == yaml.AliasNode {
		n, viaAlias = n.Alias, true
	}
	return n, viaAlias, nil
}

// Scalar is [Doc.Lookup] for a path that must end at a scalar.
func (d *Doc) Scalar(keys []string) (*yaml.Node, error) {
	n, err := d.Lookup(keys)
	if err != nil {
		return nil, err
	}
	if n.Kind != yaml.ScalarNode {
		return nil, fmt.Errorf("%q is a %s, not a single value", FormatPath(keys), kindName(n.Kind))
	}
	return n, nil
}

func kindName(k yaml.Kind) string {
	switch k {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "list"
	case yaml.DocumentNode:
		return "document"
	case yaml.AliasNode:
		return "alias"
	}
	return "scalar"
}

// lineStarts returns the byte offset at which each line starts, breaking
// lines where the YAML parser does: "\r\n", "\r", "\n", and NEL, LS, PS.
func lineStarts(src []byte) []int {
	starts := make([]int, 1, bytes.Count(src, []byte{'\n'})+2)
	for i := 0; i < len(src); i++ {
		switch c := src[i]; {
		case c == '\n':
		case c == '\r':
			if i+1 < len(src) && src[i+1] == '\n' {
				i++
			}
		case c == 0xC2 && i+1 < len(src) && src[i+1] == 0x85: // NEL
			i++
		case c == 0xE2 && i+2 < len(src) && src[i+1] == 0x80 && (src[i+2] == 0xA8 || src[i+2] == 0xA9): // LS, PS
			i += 2
		default:
			continue
		}
		starts = append(starts, i+1)
	}
	return starts
}

// offset converts a node's line and column (1-based; columns count
// characters, not bytes) into a byte offset in src.
func (d *Doc) offset(line, column int) (int, error) {
	if d.lines == nil {
		d.lines = lineStarts(d.src)
	}
	if line < 1 || line > len(d.lines) || column < 1 {
		return 0, fmt.Errorf("position %d:%d is outside the file", line, column)
	}
	off := d.lines[line-1]
	if line == 1 && bytes.HasPrefix(d.src, []byte("\uFEFF")) {
		off += 3 // the parser does not count a byte-order mark
	}
	for c := 1; c < column; c++ {
		if off >= len(d.src) {
			return 0, fmt.Errorf("position %d:%d is outside the file", line, column)
		}
		_, size := utf8.DecodeRune(d.src[off:])
		off += size
	}
	return off, nil
}

// preorder lists the nodes below n, n first, in document order, without
// following aliases.
func preorder(n *yaml.Node, out []*yaml.Node) []*yaml.Node {
	out = append(out, n)
	for _, c := range n.Content {
		out = preorder(c, out)
	}
	return out
}
