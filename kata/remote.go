package kata

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/confidential-containers/release-tools/internal/gitremote"
	"github.com/confidential-containers/release-tools/internal/reach"
	"github.com/confidential-containers/release-tools/internal/redact"
	"github.com/confidential-containers/release-tools/versions"
)

// DefaultTimeout bounds a lookup in Kata's repository when
// Remote.Timeout is zero: a shallow fetch of one commit of Kata
// Containers takes a while on a slow link.
const DefaultTimeout = 2 * time.Minute

// ErrUnreachable marks a repository that could not be reached (its host
// name does not resolve, nothing accepts the connection): a check reports
// it and is skipped. A repository that was reached and failed, or did not
// answer within the timeout, is an error without it.
var ErrUnreachable = errors.New("could not reach the Kata Containers repository")

// ErrNoCommit is returned, wrapped, by [Remote.HasCommit] for a commit
// the repository does not have.
var ErrNoCommit = gitremote.ErrNoCommit

// Remote is Kata Containers' repository, read over git (a local path or
// file:// URL is read in place).
type Remote struct {
	URL string
	// GuestComponentsKey and TrusteeKey are the keys of its versions.yaml
	// that give the guest-components and trustee references.
	GuestComponentsKey, TrusteeKey string
	// Timeout bounds each lookup; zero means [DefaultTimeout].
	Timeout time.Duration
}

// Release is what a Kata Containers release gives a deps sync: the commit
// its tag names, and the guest-components and trustee references of its
// versions.yaml, as read: [Set] checks each is a version or a commit
// before it writes it.
type Release struct {
	Version, URL             string // the release, and the repository it was read from
	Commit                   string
	GuestComponents, Trustee Value
}

// Value is a value of Kata's versions.yaml: its key and what it holds.
type Value struct {
	Key, Value string
}

// Release reads versions.yaml at the tag version, within r's timeout;
// waiting is told the lookup starts. An unreachable host is an error
// wrapping [ErrUnreachable].
func (r Remote) Release(ctx context.Context, version string, waiting func(string)) (Release, error) {
	if !r.local() {
		waiting("reading Kata Containers' versions.yaml at " + version + " from " + redact.URL(r.URL))
	}
	gctx, cancel := r.call(ctx)
	defer cancel()
	data, commit, err := gitremote.ReadRemoteFile(gctx, r.URL, version, "versions.yaml")
	if err != nil {
		return Release{}, r.gitError(ctx, gctx, err)
	}
	gc, err := versions.GetBytes(data, r.GuestComponentsKey)
	if err != nil {
		return Release{}, fmt.Errorf("Kata %s versions.yaml: %w", version, err)
	}
	tr, err := versions.GetBytes(data, r.TrusteeKey)
	if err != nil {
		return Release{}, fmt.Errorf("Kata %s versions.yaml: %w", version, err)
	}
	return Release{Version: version, URL: r.URL, Commit: commit,
		GuestComponents: Value{r.GuestComponentsKey, gc}, Trustee: Value{r.TrusteeKey, tr}}, nil
}

// Names reads Kata's versions.yaml at version from the repository url
// (a URL, a path or a file:// URL), within timeout: what each key of
// keys (a name and its key; an empty key is skipped) holds, by name.
func Names(ctx context.Context, url, version string, keys map[string]string, timeout time.Duration) (map[string]string, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	data, _, err := gitremote.ReadRemoteFile(ctx, url, version, "versions.yaml")
	if err != nil {
		if ctx.Err() != nil {
			err = fmt.Errorf("no answer within %s: %w", timeout, err)
		}
		return nil, err
	}
	names := map[string]string{}
	for name, key := range keys {
		if key == "" {
			continue
		}
		v, err := versions.GetBytes(data, key)
		if err != nil {
			return names, fmt.Errorf("Kata %s versions.yaml: %w", version, err)
		}
		names[name] = v
	}
	return names, nil
}

// local reports whether the repository is read in place, on this
// machine: a lookup there waits on no network.
func (r Remote) local() bool { return gitremote.OpenLocal(r.URL) != nil }

// HasCommit checks that the repository has commit sha, within r's
// timeout; waiting is told the lookup starts. A commit it lacks is an
// error wrapping [ErrNoCommit].
func (r Remote) HasCommit(ctx context.Context, sha string, waiting func(string)) error {
	if !r.local() {
		waiting("asking " + redact.URL(r.URL) + " for the Kata commit " + sha)
	}
	gctx, cancel := r.call(ctx)
	defer cancel()
	if err := gitremote.HasCommit(gctx, r.URL, sha); err != nil {
		return r.gitError(ctx, gctx, err)
	}
	return nil
}

func (r Remote) timeout() time.Duration {
	if r.Timeout <= 0 {
		return DefaultTimeout
	}
	return r.Timeout
}

// call bounds ctx by r's timeout.
func (r Remote) call(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, r.timeout())
}

// gitError says what kind of failure err, from a lookup bounded by gctx
// (from ctx), is: an unreachable host wraps [ErrUnreachable], and running
// out of r's time says so.
func (r Remote) gitError(ctx, gctx context.Context, err error) error {
	switch {
	case ctx.Err() != nil:
		return err
	case reach.Unreachable(err):
		return fmt.Errorf("%w: %w", ErrUnreachable, err)
	case gctx.Err() != nil:
		return fmt.Errorf("no answer within %s: %w", r.timeout(), err)
	}
	return err
}
