package config

import (
	"errors"
	"fmt"
	"strings"
)

// ErrBadBranch is returned, wrapped, for a branch or remote name git
// would refuse.
var ErrBadBranch = errors.New("not a valid branch name")

// BranchError is a name git refuses as a branch name, and the rule it
// breaks; it matches [ErrBadBranch].
type BranchError struct {
	Name string
	Rule string // "contains '..'", "starts with '-'", ...
}

func (e *BranchError) Error() string {
	return fmt.Sprintf("%q %s, which git refuses in a branch name", e.Name, e.Rule)
}

// Is makes a *BranchError match [ErrBadBranch].
func (e *BranchError) Is(target error) bool { return target == ErrBadBranch }

// CheckBranch checks a branch or remote name given to the tool (remote,
// branch, RELEASE_BRANCH, RELEASE_REMOTE, PR_REMOTE) by git's own rules,
// those of `git check-ref-format --branch` outside a repository: it takes
// every name git takes, rel/β included, and refuses the rest, saying
// which rule the name breaks (a [*BranchError]). A name that starts with '-', which git
// would read as an option, is refused, as is HEAD.
func CheckBranch(name string) error {
	if why := branchRule(name); why != "" {
		return &BranchError{Name: name, Rule: why}
	}
	return nil
}

// branchRule is the rule of git's check_branch_ref and
// check_refname_format (refs.c) that refs/heads/<name> breaks, "" for
// none.
func branchRule(name string) string {
	switch {
	case name == "":
		return "is empty"
	case name[0] == '-':
		return "starts with '-'"
	case name == "HEAD":
		return "is HEAD"
	case strings.HasSuffix(name, "/"):
		return "ends with '/'"
	case strings.HasSuffix(name, "."):
		return "ends with '.'"
	}
	for _, c := range strings.Split(name, "/") {
		if why := componentRule(c); why != "" {
			return why
		}
	}
	return ""
}

// componentRule is the rule one slash-separated component breaks.
func componentRule(c string) string {
	switch {
	case c == "":
		return "has an empty component ('//' or a leading '/')"
	case c[0] == '.':
		return "has a component that starts with '.'"
	case strings.HasSuffix(c, ".lock"):
		return "has a component that ends with .lock"
	case strings.Contains(c, ".."):
		return "contains '..'"
	case strings.Contains(c, "@{"):
		return "contains '@{'"
	}
	for i := 0; i < len(c); i++ {
		switch b := c[i]; {
		case b < 0x20 || b == 0x7f:
			return fmt.Sprintf("contains the control character %#02x", b)
		case strings.IndexByte(" ~^:?*[\\", b) >= 0:
			return fmt.Sprintf("contains %q", b)
		}
	}
	return ""
}
