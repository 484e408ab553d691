package targets

import (
	"context"
	"errors"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestSIGTERMCancels: SIGTERM cancels a target's context, as SIGINT does,
// so a phase restores what it wrote instead of being killed mid-write.
func TestSIGTERMCancels(t *testing.T) {
	err := with(context.Background(), func(ctx context.Context, _ *Runner) error {
		require.NoError(t, syscall.Kill(syscall.Getpid(), syscall.SIGTERM))
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(10 * time.Second):
			return errors.New("SIGTERM did not cancel the context")
		}
	})
	require.ErrorIs(t, err, context.Canceled)
}
