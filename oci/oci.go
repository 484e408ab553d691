// Package oci asks OCI registries (container images, helm charts) what
// they hold, through go-containerregistry: whether a manifest exists
// ([Client.Head], [Client.Missing]) and which tags a repository has
// ([Client.Tags]). Each call is bounded by a timeout, and a failure says
// which kind it is: a registry that could not be reached wraps
// [ErrUnreachable]; one that answered an error status, something
// unreadable or nothing in time is an error of its own, never folded
// into "not found". The package prints nothing and reads no environment.
package oci

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"

	"github.com/confidential-containers/release-tools/internal/reach"
)

// ErrUnreachable is a registry that could not be reached: its host name
// does not resolve, or nothing accepts the connection. A registry that
// was reached and failed (a 5xx, a timeout, an unreadable answer) does not
// wrap it.
var ErrUnreachable = errors.New("registry unreachable")

// DefaultTimeout bounds one call of a [Client] whose Timeout is zero.
const DefaultTimeout = reach.DefaultTimeout

// Client asks OCI registries. The zero Client asks anonymously over
// go-containerregistry's default transport, each call bounded by
// [DefaultTimeout].
type Client struct {
	// Keychain gives credentials per registry; nil asks anonymously.
	// authn.DefaultKeychain reads the user's docker config and credential
	// helpers.
	Keychain authn.Keychain
	// Transport carries the requests; nil means remote.DefaultTransport.
	Transport http.RoundTripper
	// Timeout bounds each call (its retries included); zero means
	// [DefaultTimeout].
	Timeout time.Duration
	// Options are passed to go-containerregistry after the ones above, for
	// example remote.WithRetryBackoff or remote.WithUserAgent.
	Options []remote.Option
}

// Call returns ctx bounded by the client's timeout, and the options that
// make go-containerregistry ask as the client does, for a call of one's
// own; cancel releases the timer.
func (c Client) Call(ctx context.Context) (_ context.Context, opts []remote.Option, cancel context.CancelFunc) {
	ctx, cancel = context.WithTimeout(ctx, reach.Timeout(c.Timeout))
	opts = []remote.Option{remote.WithContext(ctx)}
	if c.Keychain != nil {
		opts = append(opts, remote.WithAuthFromKeychain(c.Keychain))
	}
	if c.Transport != nil {
		opts = append(opts, remote.WithTransport(c.Transport))
	}
	return ctx, append(opts, c.Options...), cancel
}

// Head returns the descriptor of the manifest ref names. A manifest (or a
// repository) the registry does not have is found == false with no error.
func (c Client) Head(ctx context.Context, ref name.Reference) (desc *v1.Descriptor, found bool, err error) {
	ctx, opts, cancel := c.Call(ctx)
	defer cancel()
	desc, err = remote.Head(ref, opts...)
	if err != nil {
		if NotFound(err) {
			return nil, false, nil
		}
		return nil, false, fmt.Errorf("oci: look up %s: %w", ref, c.Classify(ctx, err))
	}
	return desc, true, nil
}

// Tags returns the tags of repo; a repository the registry does not know
// has none.
func (c Client) Tags(ctx context.Context, repo name.Repository) ([]string, error) {
	ctx, opts, cancel := c.Call(ctx)
	defer cancel()
	tags, err := remote.List(repo, opts...)
	if err != nil {
		if NotFound(err) {
			return nil, nil
		}
		return nil, fmt.Errorf("oci: list the tags of %s: %w", repo, c.Classify(ctx, err))
	}
	return tags, nil
}

// Missing asks for each reference ("quay.io/org/image:tag") and returns
// those the registries do not have, in the order given. It stops at the
// first reference that could not be asked.
func (c Client) Missing(ctx context.Context, refs []string) ([]string, error) {
	var missing []string
	for _, r := range refs {
		ref, err := name.ParseReference(r)
		if err != nil {
			return nil, fmt.Errorf("oci: parsing reference %q: %w", r, err)
		}
		_, found, err := c.Head(ctx, ref)
		if err != nil {
			return nil, err
		}
		if !found {
			missing = append(missing, r)
		}
	}
	return missing, nil
}

// NotFound reports whether err is the registry's "not found" (404).
func NotFound(err error) bool {
	var te *transport.Error
	return errors.As(err, &te) && te.StatusCode == http.StatusNotFound
}

// Classify says what kind of failure err, from a call bounded by ctx
// (see [Client.Call]), is: a registry that could not be reached wraps
// [ErrUnreachable]; a call that ran out of the client's time says so;
// anything else (an error status, an unreadable answer, a cancelled
// call) is returned as it is.
func (c Client) Classify(ctx context.Context, err error) error {
	switch {
	case reach.Unreachable(err):
		return fmt.Errorf("%w: %w", ErrUnreachable, err)
	case reach.TimedOut(err) || errors.Is(ctx.Err(), context.DeadlineExceeded):
		return fmt.Errorf("no answer within %s: %w", reach.Timeout(c.Timeout), err)
	}
	return err
}
