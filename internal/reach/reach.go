// Package reach tells a host that could not be reached (its name does not
// resolve, or nothing accepts the connection) from one that was reached
// and answered badly or not at all, and bounds each network call with a
// timeout. The registry, module proxy and git lookups share it so that
// they classify failures alike.
package reach

import (
	"context"
	"errors"
	"net"
	"syscall"
	"time"
)

// DefaultTimeout bounds one network call (a registry or proxy request, a
// lookup in another git repository) when its client sets none.
const DefaultTimeout = 30 * time.Second

// Timeout is d, or [DefaultTimeout] when d is not positive.
func Timeout(d time.Duration) time.Duration {
	if d <= 0 {
		return DefaultTimeout
	}
	return d
}

// Unreachable reports whether err says that the host could not be
// reached: its name does not resolve, or the connection to it was refused
// or could not be made (no route, a dial that failed). A host that
// accepted the connection and then failed, answered an error status,
// answered something unreadable or did not answer in time is not
// unreachable: it is a failure of its own. A cancelled call is neither.
func Unreachable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return true
	}
	var op *net.OpError
	if errors.As(err, &op) && (op.Op == "dial" || op.Op == "proxyconnect") {
		return true
	}
	return errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.EHOSTUNREACH) || errors.Is(err, syscall.ENETUNREACH)
}

// TimedOut reports whether err is a call that ran out of time.
func TimedOut(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
