// Package versions reads and sets single values in hand-kept YAML files,
// such as cloud-api-adaptor's versions.yaml and CITATION.cff, by dotted
// path, changing only the bytes of the value.
//
// A path is a list of keys joined by dots: "git.kbs.reference",
// "cloudimg.rhel.9.amd64.url". In a list, a key is an index. A key that
// holds a dot is written in double quotes: `a."b.c"`.
//
// A set keeps the value's quoting style and everything else on the line
// (the comment after it, CRLF endings); it quotes a plain value that would
// otherwise read back as another type or break the line ("3.10", "yes",
// "a: b", ""), re-parses its output, and fails rather than write anything
// that does not read back as asked.
package versions

import (
	"errors"
	"fmt"
	"strings"

	"github.com/confidential-containers/release-tools/internal/fsutil"
	"github.com/confidential-containers/release-tools/internal/yamledit"
)

// DuplicateKeyError is a path through a mapping that holds the same key
// twice; its message names the key, the mapping and both lines.
type DuplicateKeyError = yamledit.DuplicateKeyError

// Get returns the value at path in the YAML file.
func Get(file, path string) (string, error) {
	src, err := fsutil.ReadFile(file, yamledit.MaxSize)
	if err != nil {
		return "", fmt.Errorf("versions: %w", err)
	}
	v, err := get(src, path)
	if err != nil {
		return "", fmt.Errorf("versions: %s: %w", file, err)
	}
	return v, nil
}

// GetBytes returns the value at path in YAML src. A path that does not
// exist is an error naming the longest prefix that does and the keys
// available there; a path to a mapping or a list is an error too.
func GetBytes(src []byte, path string) (string, error) {
	v, err := get(src, path)
	if err != nil {
		return "", fmt.Errorf("versions: %w", err)
	}
	return v, nil
}

// CommentBytes returns the comment after the value at path on its line,
// without the "#" and the spaces around it; "" when there is none. A
// path that does not exist is an error, as for [GetBytes].
func CommentBytes(src []byte, path string) (string, error) {
	keys, err := yamledit.ParsePath(path)
	if err != nil {
		return "", fmt.Errorf("versions: %w", err)
	}
	d, err := yamledit.Parse(src)
	if err != nil {
		return "", fmt.Errorf("versions: %w", err)
	}
	n, err := d.Scalar(keys)
	if err != nil {
		return "", fmt.Errorf("versions: %w", err)
	}
	return strings.TrimSpace(strings.TrimPrefix(n.LineComment, "#")), nil
}

// Set sets the value at path in the YAML file, replacing the file
// atomically. Setting the value the file already holds leaves the file
// untouched (its modification time stays). On error the file is unchanged.
func Set(file, path, value string) error {
	err := fsutil.EditFile(file, func(src []byte) ([]byte, error) {
		out, err := set(src, path, value)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		return out, nil
	})
	if err != nil {
		return fmt.Errorf("versions: %w", err)
	}
	return nil
}

// SetBytes returns src with the value at path set to value. Only that
// value's bytes change. Setting the value src already holds returns src.
func SetBytes(src []byte, path, value string) ([]byte, error) {
	out, err := set(src, path, value)
	if err != nil {
		return nil, fmt.Errorf("versions: %w", err)
	}
	return out, nil
}

// FirstPath returns the first of the candidate paths that holds a value in
// the YAML file: for keys that moved over a project's life, such as
// "oci.kata-containers.reference" and "git.kata-containers.reference".
func FirstPath(file string, candidates ...string) (string, error) {
	src, err := fsutil.ReadFile(file, yamledit.MaxSize)
	if err != nil {
		return "", fmt.Errorf("versions: %w", err)
	}
	p, err := firstPath(src, candidates)
	if err != nil {
		return "", fmt.Errorf("versions: %s: %w", file, err)
	}
	return p, nil
}

// FirstPathBytes is [FirstPath] on YAML src. If none of the candidates
// holds a value the error lists them all; a candidate that runs through a
// key written twice is a [*DuplicateKeyError], whatever the others hold.
func FirstPathBytes(src []byte, candidates ...string) (string, error) {
	p, err := firstPath(src, candidates)
	if err != nil {
		return "", fmt.Errorf("versions: %w", err)
	}
	return p, nil
}

func get(src []byte, path string) (string, error) {
	keys, err := yamledit.ParsePath(path)
	if err != nil {
		return "", err
	}
	d, err := yamledit.Parse(src)
	if err != nil {
		return "", err
	}
	n, err := d.Scalar(keys)
	if err != nil {
		return "", err
	}
	return n.Value, nil
}

func set(src []byte, path, value string) ([]byte, error) {
	keys, err := yamledit.ParsePath(path)
	if err != nil {
		return nil, err
	}
	out, err := yamledit.Set(src, keys, value)
	if err != nil {
		return nil, fmt.Errorf("set %s: %w", path, err)
	}
	return out, nil
}

func firstPath(src []byte, candidates []string) (string, error) {
	if len(candidates) == 0 {
		return "", fmt.Errorf("no candidate paths given")
	}
	d, err := yamledit.Parse(src)
	if err != nil {
		return "", err
	}
	for _, c := range candidates {
		keys, err := yamledit.ParsePath(c)
		if err != nil {
			return "", err
		}
		_, err = d.Scalar(keys)
		if err == nil {
			return c, nil
		}
		if dup := (*DuplicateKeyError)(nil); errors.As(err, &dup) {
			return "", err
		}
	}
	return "", fmt.Errorf("none of %q holds a value", candidates)
}

// SetWithCommentBytes is [SetBytes], and the comment after the value on
// its line becomes "# "+comment (replaced, or added when there is none).
func SetWithCommentBytes(src []byte, path, value, comment string) ([]byte, error) {
	keys, err := yamledit.ParsePath(path)
	if err != nil {
		return nil, fmt.Errorf("versions: %w", err)
	}
	out, err := yamledit.SetWithComment(src, keys, value, comment)
	if err != nil {
		return nil, fmt.Errorf("versions: %q: %w", path, err)
	}
	return out, nil
}
