package yamledit

import (
	"fmt"
	"strings"
)

// ParsePath splits a dotted path such as "git.kbs.reference" into its keys.
// A key that holds a dot is written in double quotes: `a."b.c".d`. Integer
// keys ("cloudimg.rhel.9.amd64") are plain keys here; [Doc.Lookup] reads them
// as sequence indexes or as mapping keys, whichever the document has.
func ParsePath(path string) ([]string, error) {
	if path == "" {
		return nil, fmt.Errorf("empty path")
	}
	var keys []string
	for i := 0; i <= len(path); {
		var key string
		if i < len(path) && path[i] == '"' {
			end := strings.IndexByte(path[i+1:], '"')
			if end < 0 {
				return nil, fmt.Errorf("path %q: unterminated quote at byte %d", path, i)
			}
			key = path[i+1 : i+1+end]
			i += end + 2
			if i < len(path) && path[i] != '.' {
				return nil, fmt.Errorf("path %q: a quoted key must be followed by '.' or end the path (byte %d)", path, i)
			}
		} else {
			end := strings.IndexByte(path[i:], '.')
			if end < 0 {
				end = len(path) - i
			}
			key = path[i : i+end]
			if strings.Contains(key, `"`) {
				return nil, fmt.Errorf("path %q: quote in the middle of key %q; quote the whole key", path, key)
			}
			i += end
		}
		if key == "" {
			return nil, fmt.Errorf("path %q: empty key", path)
		}
		keys = append(keys, key)
		i++ // the '.'
	}
	return keys, nil
}

// FormatPath is the inverse of [ParsePath]: keys joined by dots, a key that
// holds a dot in double quotes.
func FormatPath(keys []string) string {
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte('.')
		}
		if strings.Contains(k, ".") {
			b.WriteString(`"` + k + `"`)
		} else {
			b.WriteString(k)
		}
	}
	return b.String()
}
