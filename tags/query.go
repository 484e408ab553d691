package tags

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strings"

	git "github.com/go-git/go-git/v5"
	"golang.org/x/mod/module"

	"github.com/confidential-containers/release-tools/gomod"
	"github.com/confidential-containers/release-tools/internal/gitremote"
	"github.com/confidential-containers/release-tools/internal/gitrepo"
	"github.com/confidential-containers/release-tools/internal/redact"
	"github.com/confidential-containers/release-tools/version"
)

// Name is the module's tag for v under Go's rules: [Prefix] then the
// version, whose major must match the module path's /vN suffix (else an
// error wrapping [ErrWrongMajor]).
func Name(m gomod.Module, v version.Version) (string, error) {
	name, err := tagName(m, v)
	if err != nil {
		return "", fmt.Errorf("tags: %w", err)
	}
	return name, nil
}

func tagName(m gomod.Module, v version.Version) (string, error) {
	if v.IsZero() {
		return "", errors.New("no version")
	}
	_, major, ok := module.SplitPathVersion(m.Path)
	if !ok {
		return "", fmt.Errorf("module path %q (in %s) is malformed", m.Path, m.Dir)
	}
	if err := module.CheckPathMajor(v.String(), major); err != nil {
		if major == "" {
			return "", fmt.Errorf("%w: module %s (in %s) cannot take %s: from v2 on, Go requires the major version in the module path (%s/%s); change the module path or tag v0/v1",
				ErrWrongMajor, m.Path, m.Dir, v, m.Path, v.Major())
		}
		return "", fmt.Errorf("%w: module %s (in %s) takes only %s.x.y versions, not %s", ErrWrongMajor, m.Path, m.Dir, strings.TrimPrefix(major, "/"), v)
	}
	return Prefix(m) + v.String(), nil
}

// Prefix is what comes before the version in the module's tags: its
// directory and a slash, "" at the root. A trailing /vN major-version
// directory is not part of it: the module example.com/r/foo/v2 in foo/v2
// is tagged foo/v2.1.0.
func Prefix(m gomod.Module) string {
	dir := m.Dir
	if _, major, ok := module.SplitPathVersion(m.Path); ok && major != "" && path.Base(dir) == strings.TrimPrefix(major, "/") {
		dir = path.Dir(dir)
	}
	if dir == "." || dir == "" {
		return ""
	}
	return dir + "/"
}

// Local returns the commit the local tag name of repo points at, peeling
// annotated tags (down to what the last tag object names); "" and no error
// when there is no such tag. It looks up that one name: a repository can
// hold thousands of tags.
func Local(repo *git.Repository, name string) (string, error) {
	c, err := gitrepo.LocalTag(repo, name)
	if err != nil {
		return "", fmt.Errorf("tags: %w", err)
	}
	return c, nil
}

// remoteTags maps each tag of the remote called name in repo to the
// commit it points at ([gitremote.RemoteTags]); its errors carry no
// credentials of the remote's URL.
func remoteTags(ctx context.Context, repo *git.Repository, name string) (_ map[string]string, err error) {
	defer func() { err = redact.Error(err) }()
	remote, err := repo.Remote(name)
	if err != nil {
		return nil, fmt.Errorf("tags: remote %q: %w", name, err)
	}
	urls := remote.Config().URLs
	if len(urls) == 0 {
		return nil, fmt.Errorf("tags: remote %q has no URL", name)
	}
	out, err := gitremote.RemoteTags(ctx, urls[0])
	if err != nil {
		return nil, fmt.Errorf("tags: list the tags of %s: %w", name, err)
	}
	return out, nil
}

// State is where a tag stands, from [Classify].
type State int

const (
	Absent    State = iota // on neither side: to create and push
	Pushed                 // on the remote at the wanted commit (locally too, or not at all)
	Conflict               // local and remote, or either and the wanted commit, disagree
	LocalOnly              // only local, at the wanted commit: to push
)

func (s State) String() string {
	switch s {
	case Absent:
		return "new"
	case Pushed:
		return "done"
	case Conflict:
		return "CONFLICT"
	case LocalOnly:
		return "local"
	}
	return fmt.Sprintf("State(%d)", int(s))
}

// Classify says where a tag stands from the commits it points at locally
// and on the remote ("" where it does not exist) and the commit it should
// be on. With want "", any one commit is right: the remote's if the tag is
// there, else the local one.
func Classify(local, remote, want string) State {
	if want == "" {
		want = remote
		if want == "" {
			want = local
		}
	}
	switch {
	case local != "" && local != want, remote != "" && remote != want:
		return Conflict
	case remote != "":
		return Pushed
	case local != "":
		return LocalOnly
	}
	return Absent
}

// RemoteNamed lists the tags of the remote called name in repo, each mapped to the commit it points at (annotated tags
// peeled), with a note that says how many it listed; nil, with a note that
// says why, when there is no such remote or it cannot be reached.
func RemoteNamed(ctx context.Context, repo *git.Repository, name string) (map[string]string, string) {
	remote, err := repo.Remote(name)
	if errors.Is(err, git.ErrRemoteNotFound) {
		return nil, fmt.Sprintf("no remote %q: local tags only", name)
	}
	if err != nil {
		return nil, fmt.Sprintf("remote %q: %v: local tags only", name, err)
	}
	if len(remote.Config().URLs) == 0 {
		return nil, fmt.Sprintf("remote %q has no URL: local tags only", name)
	}
	out, err := remoteTags(ctx, repo, name)
	if err != nil {
		return nil, fmt.Sprintf("%s not reached (%v): local tags only", name, err)
	}
	return out, fmt.Sprintf("%s listed (%d tags)", name, len(out))
}
