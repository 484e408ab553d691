package yamledit

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// encode writes value in the place of scalar n: in n's quoting style where
// that style can hold it, otherwise double-quoted. A plain value stays plain
// only if every YAML reader reads it back as the same text and type: a
// string, or the same non-float type n had (a date stays a date, an int an
// int). So "3.10", "yes", "null", "#x", "a: b", "*x" and "" are quoted.
func encode(n *yaml.Node, value string, flow bool) (string, error) {
	if !utf8.ValidString(value) {
		return "", fmt.Errorf("the value %q is not valid UTF-8", value)
	}
	switch {
	case n.Style&yaml.DoubleQuotedStyle != 0:
		return doubleQuote(value), nil
	case n.Style&yaml.SingleQuotedStyle != 0:
		if singleQuotable(value) {
			return "'" + strings.ReplaceAll(value, "'", "''") + "'", nil
		}
		return doubleQuote(value), nil
	case plainSafe(value, n.Tag, flow):
		return value, nil
	}
	return doubleQuote(value), nil
}

// plainSafe reports whether value can be written as a plain scalar where a
// plain scalar of type oldTag stood.
func plainSafe(value, oldTag string, flow bool) bool {
	if value == "" || value != strings.TrimSpace(value) || strings.ContainsAny(value[:1], "-?:,[]{}#&*!|>'\"%@`") {
		return false
	}
	if strings.Contains(value, ": ") || strings.Contains(value, " #") || strings.HasSuffix(value, ":") ||
		flow && strings.ContainsAny(value, ",[]{}") {
		return false
	}
	for _, r := range value {
		if !printable(r) || r == '\t' || isBreak(r) {
			return false
		}
	}
	var doc yaml.Node
	if yaml.Unmarshal([]byte(value), &doc) != nil || len(doc.Content) != 1 {
		return false
	}
	got := doc.Content[0]
	if got.Kind != yaml.ScalarNode || got.Style != 0 || got.Value != value {
		return false
	}
	old := yaml11Type(value)
	switch got.Tag {
	case "!!str":
		return old == ""
	case "!!int", "!!bool", "!!timestamp":
		return got.Tag == oldTag && old == strings.TrimPrefix(got.Tag, "!!")
	}
	return false
}

// YAML 1.1 (PyYAML and other older readers) resolves more plain scalars to
// non-strings than YAML 1.2 does: yes/no/on/off, 0777, 1_000, 1:30, ...
var yaml11 = []struct {
	typ string
	re  *regexp.Regexp
}{
	{"bool", regexp.MustCompile(`^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$`)},
	{"null", regexp.MustCompile(`^(?:~|null|Null|NULL)$`)},
	{"int", regexp.MustCompile(`^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$`)},
	{"float", regexp.MustCompile(`^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?|\.[0-9_]+(?:[eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|[-+]?[0-9]+[eE][-+]?[0-9]+)$`)},
	{"timestamp", regexp.MustCompile(`^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$`)},
	{"merge", regexp.MustCompile(`^(?:<<|=)$`)},
}

// yaml11Type returns the YAML 1.1 type of a plain scalar, "" for a string.
func yaml11Type(value string) string {
	for _, t := range yaml11 {
		if t.re.MatchString(value) {
			return t.typ
		}
	}
	return ""
}

// doubleQuote writes value as a double-quoted scalar on one line.
func doubleQuote(value string) string {
	var b strings.Builder
	b.Grow(len(value) + 2)
	b.WriteByte('"')
	for _, r := range value {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case 0x85:
			b.WriteString(`\N`)
		case 0x2028:
			b.WriteString(`\L`)
		case 0x2029:
			b.WriteString(`\P`)
		default:
			switch {
			case r == utf8.RuneError, r == 0xFEFF:
				fmt.Fprintf(&b, `\u%04X`, r)
			case !printable(r) && r <= 0xFF:
				fmt.Fprintf(&b, `\x%02X`, r)
			case !printable(r) && r <= 0xFFFF:
				fmt.Fprintf(&b, `\u%04X`, r)
			case !printable(r):
				fmt.Fprintf(&b, `\U%08X`, r)
			default:
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

// singleQuotable reports whether a single-quoted scalar on one line can
// hold value.
func singleQuotable(value string) bool {
	for _, r := range value {
		if !printable(r) || isBreak(r) || r == 0xFEFF {
			return false
		}
	}
	return true
}

// printable is YAML's c-printable set.
func printable(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0x7E || r == 0x85 ||
		r >= 0xA0 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

func isBreak(r rune) bool {
	return r == '\n' || r == '\r' || r == 0x85 || r == 0x2028 || r == 0x2029
}
