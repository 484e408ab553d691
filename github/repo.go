package github

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/confidential-containers/release-tools/internal/redact"
)

// Remote is the GitHub repository a git remote URL names.
type Remote struct {
	Host, Owner, Repo string
}

// ParseRemote returns the host, owner and repository of a git remote URL
// in any of the forms GitHub gives: https://github.com/o/r(.git),
// git@github.com:o/r.git, ssh://git@github.com(:22)/o/r.git (and git://).
// Credentials in the URL are ignored and never quoted back. A local path
// or file:// URL, or a path that is not owner/repo, is an error.
func ParseRemote(remote string) (Remote, error) {
	var host, path string
	switch {
	case strings.Contains(remote, "://"):
		u, err := url.Parse(remote)
		if err != nil {
			return Remote{}, fmt.Errorf("github: remote %q is not a URL", redact.URL(remote))
		}
		switch u.Scheme {
		case "https", "http", "ssh", "git", "git+ssh", "ssh+git":
		default:
			return Remote{}, fmt.Errorf("github: remote %q is not on GitHub (a %s:// URL)", redact.URL(remote), u.Scheme)
		}
		host, path = u.Hostname(), u.Path
	case strings.Contains(remote, ":") && !strings.HasPrefix(remote, "/"):
		// scp-like: [user@]host:owner/repo.git
		h, p, _ := strings.Cut(remote, ":")
		if i := strings.LastIndex(h, "@"); i >= 0 {
			h = h[i+1:]
		}
		host, path = h, p
	default:
		return Remote{}, fmt.Errorf("github: remote %q is a local path, not a GitHub URL", remote)
	}
	path = strings.TrimSuffix(strings.Trim(path, "/"), ".git")
	owner, repo, ok := strings.Cut(path, "/")
	if host == "" || !ok || checkRepo(owner, repo) != nil {
		return Remote{}, fmt.Errorf("github: remote %q does not name a GitHub repository (host/owner/repo)", redact.URL(remote))
	}
	return Remote{Host: strings.ToLower(host), Owner: owner, Repo: repo}, nil
}

// FromEnv returns the options the environment gives, read through getenv
// (os.Getenv, or a map in tests): the token from GITHUB_TOKEN (it may be
// empty: [New] refuses it then), the API from GITHUB_API_URL, and the
// repository from GITHUB_REPOSITORY ("owner/repo") or else from
// remoteURL, the release remote's URL ([ParseRemote]). A remote on
// another host than github.com needs GITHUB_API_URL.
func FromEnv(getenv func(string) string, remoteURL string) (Options, error) {
	o := Options{Token: Token(getenv("GITHUB_TOKEN")), APIURL: getenv("GITHUB_API_URL")}
	if r := getenv("GITHUB_REPOSITORY"); r != "" {
		owner, repo, _ := strings.Cut(r, "/")
		if err := checkRepo(owner, repo); err != nil {
			return Options{}, fmt.Errorf("github: GITHUB_REPOSITORY=%q: %w", r, err)
		}
		o.Owner, o.Repo = owner, repo
		return o, nil
	}
	rem, err := ParseRemote(remoteURL)
	if err != nil {
		return Options{}, fmt.Errorf("%w; or set GITHUB_REPOSITORY=owner/repo", err)
	}
	if rem.Host != "github.com" && o.APIURL == "" {
		return Options{}, fmt.Errorf("github: remote %q is on %s, not github.com: set GITHUB_API_URL to its API (https://%s/api/v3)", redact.URL(remoteURL), rem.Host, rem.Host)
	}
	o.Owner, o.Repo = rem.Owner, rem.Repo
	return o, nil
}

var (
	ownerRE = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$`)
	repoRE  = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)
)

// checkRepo says what is wrong with owner/repo, if anything.
func checkRepo(owner, repo string) error {
	if !ownerRE.MatchString(owner) || !repoRE.MatchString(repo) || repo == "." || repo == ".." {
		return fmt.Errorf("github: repository %q is not owner/repo (letters, digits, '-', and '.', '_' in the name)", owner+"/"+repo)
	}
	return nil
}
