package goproxy_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/goproxy"
)

// TestWarmFileProxy: a file:// proxy is refused at once. It fetches
// nothing, so warming it used to wait out MaxWait (5 minutes).
func TestWarmFileProxy(t *testing.T) {
	c := &goproxy.Client{URL: "file://" + t.TempDir()}
	start := time.Now()
	err := c.Warm(context.Background(), []goproxy.Module{{Path: "example.com/m", Version: "v0.1.0", Commit: "0123456789abcdef0123456789abcdef01234567"}}, goproxy.WarmOptions{})
	require.ErrorIs(t, err, goproxy.ErrFileProxy)
	require.ErrorContains(t, err, "is a file:// proxy, which cannot be warmed")
	require.Less(t, time.Since(start), 5*time.Second)
}
