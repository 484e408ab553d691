package pins

import (
	"fmt"
	"regexp"
	"strings"
)

// The templates of a tag: the form a commit takes in a place. "<sha>" is
// the release image; the dev image of the libvirt and docker providers was
// "dev-<sha>" up to cloud-api-adaptor v0.19.0 and "<sha>-dev" since.
const (
	TemplateSHA    = "<sha>"
	TemplateSHADev = "<sha>-dev"
	TemplateDevSHA = "dev-<sha>"
)

// LatestTag is the tag of an unpinned place.
const LatestTag = "latest"

var templates = []string{TemplateSHA, TemplateSHADev, TemplateDevSHA}

var commitRE = regexp.MustCompile(`^[0-9a-f]{40}$`)

// IsCommit reports whether s is a full commit SHA: 40 lowercase hex
// digits, the form every commit pin, KATA_REF and release commit takes.
func IsCommit(s string) bool { return commitRE.MatchString(s) }

// Commit is a full commit SHA that [ParseCommit] accepted (see
// [IsCommit]); its zero value is no commit.
type Commit string

// ParseCommit returns s as a [Commit], or an error saying that s is not
// 40 lowercase hex digits.
func ParseCommit(s string) (Commit, error) {
	if !IsCommit(s) {
		return "", fmt.Errorf("%q is not a commit SHA (40 lowercase hex digits)", s)
	}
	return Commit(s), nil
}

// Valid reports whether c is a full commit SHA ([IsCommit]).
func (c Commit) Valid() bool { return IsCommit(string(c)) }

func (c Commit) String() string { return string(c) }

// Tag returns the tag template takes for the commit sha: "<sha>-dev" gives
// sha+"-dev". An empty template is "<sha>"; an empty sha gives "latest".
func Tag(template, sha string) string {
	if sha == "" {
		return LatestTag
	}
	if template == "" {
		template = TemplateSHA
	}
	return strings.Replace(template, "<sha>", sha, 1)
}

// State is what a place's tag says about it; see [ClassifyTag].
type State int

const (
	// Other is any tag that is not a commit in a known template: a release
	// version, a registry's own tag. A release leaves it alone.
	Other State = iota
	// Latest is "latest": the place is not pinned.
	Latest
	// Pinned is a commit written with the place's template.
	Pinned
	// OtherTemplate is a commit written with another known template, such
	// as "dev-<sha>" where "<sha>-dev" is expected.
	OtherTemplate
)

func (s State) String() string {
	switch s {
	case Latest:
		return "latest"
	case Pinned:
		return "pinned"
	case OtherTemplate:
		return "other template"
	}
	return "other"
}

// ClassifyTag says what tag is in a place whose template is template (empty:
// "<sha>"), and returns the commit for [Pinned] and [OtherTemplate]. A
// commit is 40 lowercase hex digits.
func ClassifyTag(template, tag string) (State, string) {
	if tag == LatestTag {
		return Latest, ""
	}
	if template == "" {
		template = TemplateSHA
	}
	if sha, ok := commitOf(template, tag); ok {
		return Pinned, sha
	}
	for _, t := range templates {
		if t == template {
			continue
		}
		if sha, ok := commitOf(t, tag); ok {
			return OtherTemplate, sha
		}
	}
	return Other, ""
}

// commitOf returns the commit that template turns into tag.
func commitOf(template, tag string) (string, bool) {
	pre, post, ok := strings.Cut(template, "<sha>")
	if !ok || !strings.HasPrefix(tag, pre) || !strings.HasSuffix(tag, post) || len(tag) < len(pre)+len(post) {
		return "", false
	}
	sha := tag[len(pre) : len(tag)-len(post)]
	return sha, commitRE.MatchString(sha)
}
