package pins

import (
	"errors"
	"fmt"
	"regexp"

	"github.com/confidential-containers/release-tools/internal/yamledit"
	"github.com/confidential-containers/release-tools/overlays"
	"github.com/confidential-containers/release-tools/versions"
)

// ErrNoKey is returned, wrapped, when a file lacks the place's key, images
// entry or line. [Read] and [Set] skip such a file of an optional place.
var ErrNoKey = errors.New("no such key")

// tagRE is the syntax of an image tag, as the OCI distribution spec has it.
var tagRE = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$`)

// ReadBytes returns the tag at place p in src, the bytes of one file of p.
// For a kustomize entry pinned by digest it returns the digest. A src that
// lacks the key, entry or line is an error wrapping [ErrNoKey].
func ReadBytes(p Place, src []byte) (string, error) {
	if err := p.Validate(); err != nil {
		return "", err
	}
	tag, err := read(p, src)
	if err != nil {
		return "", fmt.Errorf("pins: %s: %w", p, err)
	}
	return tag, nil
}

// SetBytes returns src with the tag at place p set to tag, which must be
// an image tag (1 to 128 letters, digits, '_', '.' or '-', not starting
// with '.' or '-'). Only the tag's bytes change: a YAML value keeps its
// quotes (through [versions.SetBytes]), a kustomize entry its newTag
// (through [overlays.PinImageBytes]), a line everything outside the
// pattern's capture group. Setting the tag src already holds returns src.
// A src that lacks the key, entry or line is an error wrapping [ErrNoKey].
func SetBytes(p Place, src []byte, tag string) ([]byte, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if err := checkTag(p, tag); err != nil {
		return nil, err
	}
	out, err := set(p, src, tag)
	if err != nil {
		return nil, fmt.Errorf("pins: %s: %w", p, err)
	}
	return out, nil
}

// checkTag says why tag is no image tag, if it is not.
func checkTag(p Place, tag string) error {
	if !tagRE.MatchString(tag) {
		return fmt.Errorf("pins: %s: %q is not an image tag (1 to 128 letters, digits, '_', '.' or '-', not starting with '.' or '-')", p, tag)
	}
	return nil
}

func read(p Place, src []byte) (string, error) {
	switch p.Kind {
	case KindYAML:
		tag, err := versions.GetBytes(src, p.Key)
		return tag, noKey(err)
	case KindKustomize:
		o, err := overlays.Read(src, p.Key)
		if err != nil {
			return "", noKey(err)
		}
		if o.NewTag == "" && o.Digest != "" {
			return o.Digest, nil
		}
		return o.NewTag, nil
	default:
		m, err := matchLine(p.Pattern, src)
		if err != nil {
			return "", err
		}
		return string(src[m.start:m.end]), nil
	}
}

func set(p Place, src []byte, tag string) ([]byte, error) {
	switch p.Kind {
	case KindYAML:
		out, err := versions.SetBytes(src, p.Key, tag)
		return out, noKey(err)
	case KindKustomize:
		out, err := overlays.PinImageBytes(src, p.Key, tag)
		return out, noKey(err)
	default:
		return setLine(p.Pattern, src, tag)
	}
}

// noKey marks the errors that say a key or an images entry is missing with
// [ErrNoKey].
func noKey(err error) error {
	var pe *yamledit.PathError
	if errors.As(err, &pe) || errors.Is(err, overlays.ErrNoEntry) {
		return fmt.Errorf("%w: %w", ErrNoKey, err)
	}
	return err
}
