package goproxy

import (
	"context"
	"errors"
	"fmt"
	"github.com/confidential-containers/release-tools/internal/redact"
	"io"
	"strings"
	"time"
)

// WarmOptions bound how long [Client.Warm] waits for versions to appear.
// The zero value is usable: retries after 1s, 2s, 4s... (at most 30s
// apart), for at most 5 minutes in all.
type WarmOptions struct {
	// Initial is the first retry delay; each next one doubles, up to
	// MaxDelay.
	Initial, MaxDelay time.Duration
	// MaxWait bounds the time the whole Warm call spends, all modules
	// together; the last sleep is cut to fit.
	MaxWait time.Duration
	// Sleep waits d or until ctx ends; nil means a timer.
	Sleep func(ctx context.Context, d time.Duration) error
	// Now is the clock; nil means time.Now. The time spent is the larger
	// of the clock's and the sum of the sleeps, so a Sleep that returns at
	// once still ends the waiting.
	Now func() time.Time
	// Out, when set, gets one line per wait.
	Out io.Writer
}

func (o WarmOptions) withDefaults() WarmOptions {
	if o.Initial <= 0 {
		o.Initial = time.Second
	}
	if o.MaxDelay <= 0 {
		o.MaxDelay = 30 * time.Second
	}
	if o.MaxWait <= 0 {
		o.MaxWait = 5 * time.Minute
	}
	if o.Sleep == nil {
		o.Sleep = sleep
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Out == nil {
		o.Out = io.Discard
	}
	return o
}

// Warm requests every module version in the given (dependency) order, so
// that the proxy fetches them now, and checks that the commit it reports
// is the expected one. A not-found answer is retried with exponential
// backoff until the version appears or MaxWait is spent.
//
// It stops at the first failure: a version still not found ([ErrNotFound]),
// a proxy that cannot be reached ([ErrUnreachable]), refuses
// ([ErrRefused]) or fails to answer ([ErrFailed]), a version held at
// another commit ([ErrConflict]), or ctx ending. A file:// proxy is
// refused at once ([ErrFileProxy]): waiting on it would wait out MaxWait.
func (c *Client) Warm(ctx context.Context, mods []Module, o WarmOptions) error {
	if strings.HasPrefix(c.URL, "file://") {
		return fmt.Errorf("goproxy: %s is a file:// proxy, which cannot be warmed: %w", redact.URL(c.URL), ErrFileProxy)
	}
	o = o.withDefaults()
	start, slept := o.Now(), time.Duration(0)
	for _, m := range mods {
		delay := o.Initial
		for {
			info, err := c.Info(ctx, m.Path, m.Version)
			if err == nil {
				if answer, commit := classify(info, m.Commit); answer == KnownElsewhere {
					return fmt.Errorf("goproxy: warm %s@%s: %w: it has %s, not the tagged %s", m.Path, m.Version, ErrConflict, short(commit), short(m.Commit))
				}
				break
			}
			spent := max(o.Now().Sub(start), slept)
			if !errors.Is(err, ErrNotFound) {
				return fmt.Errorf("goproxy: warm %s@%s: %w", m.Path, m.Version, err)
			}
			if spent >= o.MaxWait {
				return fmt.Errorf("goproxy: warm %s@%s: still not found after %s (MaxWait): %w", m.Path, m.Version, spent.Round(time.Second), err)
			}
			d := min(delay, o.MaxWait-spent)
			fmt.Fprintf(o.Out, "proxy: %s@%s not there yet; asking again in %s\n", m.Path, m.Version, d)
			if err := o.Sleep(ctx, d); err != nil {
				return fmt.Errorf("goproxy: warm %s@%s: %w", m.Path, m.Version, err)
			}
			slept += d
			delay = min(2*delay, o.MaxDelay)
		}
	}
	return nil
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
