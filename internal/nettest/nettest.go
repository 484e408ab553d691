// Package nettest serves, for the tests, what no real server does on
// purpose: a peer that accepts a connection and never answers, the
// timeouts' case.
package nettest

import (
	"net"
	"testing"
)

// Silent listens on 127.0.0.1, accepts every connection and never
// answers, until the test ends; it returns its host:port.
func Silent(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	t.Cleanup(func() { close(done); l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() { <-done; c.Close() }()
		}
	}()
	return l.Addr().String()
}
