// Package edittest holds the checks the editors' fuzz tests share.
package edittest

import (
	"bytes"
	"fmt"
)

// OneLine returns an error unless out differs from src only inside one
// line: the bytes between their common head and common tail hold no line
// break on either side.
func OneLine(src, out []byte) error {
	p := 0
	for p < len(src) && p < len(out) && src[p] == out[p] {
		p++
	}
	s := 0
	for s < len(src)-p && s < len(out)-p && src[len(src)-1-s] == out[len(out)-1-s] {
		s++
	}
	if bytes.ContainsAny(src[p:len(src)-s], "\r\n") || bytes.ContainsAny(out[p:len(out)-s], "\r\n") {
		return fmt.Errorf("the edit crosses a line break:\nsrc: %q\nout: %q", src, out)
	}
	return nil
}
