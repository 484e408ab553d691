//go:build unix

package targets

import (
	"context"
	"errors"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestSignalsCancel: SIGTERM and SIGHUP (a dropped ssh session) cancel a
// target's context, as SIGINT does, so a phase restores what it wrote
// instead of being killed mid-write with the repository lock held.
func TestSignalsCancel(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGHUP} {
		t.Run(sig.String(), func(t *testing.T) {
			err := with(context.Background(), func(ctx context.Context, _ *runner) error {
				require.NoError(t, syscall.Kill(syscall.Getpid(), sig))
				select {
				case <-ctx.Done():
					return ctx.Err()
				case <-time.After(10 * time.Second):
					return errors.New(sig.String() + " did not cancel the context")
				}
			})
			require.ErrorIs(t, err, context.Canceled)
		})
	}
}
