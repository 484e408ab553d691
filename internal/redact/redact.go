// Package redact removes the credentials a URL may carry (the userinfo of
// https://user:token@host/...) from the text the tool prints or wraps in
// an error: a remote's URL, KATA_REPO, a push URL, GOPROXY, and the error
// text of go-git or git that quotes them.
package redact

import (
	"io"
	"regexp"
)

// userinfo matches the userinfo of a URL with a scheme (https, http, ssh,
// git, git+ssh, ...): what lies between "://" and the last "@" before the
// host's end (a "/", "?", "#", a space or a quote).
var userinfo = regexp.MustCompile(`([A-Za-z][A-Za-z0-9+.-]*://)[^/?#\s"'<>]*@`)

// URL returns s with the userinfo of every URL in it replaced by "***":
// "fetch https://u:ghp_x@github.com/o/r failed" becomes
// "fetch https://***@github.com/o/r failed". A string without credentials
// is returned unchanged; scp-like addresses (git@github.com:o/r) carry no
// password and are left as they are.
func URL(s string) string {
	return userinfo.ReplaceAllString(s, "${1}***@")
}

// Error returns err with its message passed through [URL]; nil stays nil.
// errors.Is and errors.As see through it to err.
func Error(err error) error {
	if err == nil {
		return nil
	}
	msg := URL(err.Error())
	if msg == err.Error() {
		return err
	}
	return &redacted{msg: msg, err: err}
}

type redacted struct {
	msg string
	err error
}

func (e *redacted) Error() string { return e.msg }
func (e *redacted) Unwrap() error { return e.err }

// Writer returns a writer that passes what it is given through [URL] to w.
// Each Write is redacted on its own: the tool writes a URL within one
// Write (a line), never split across two.
func Writer(w io.Writer) io.Writer {
	if w == nil {
		return nil
	}
	if _, ok := w.(writer); ok {
		return w
	}
	return writer{w}
}

type writer struct{ w io.Writer }

// Write writes p redacted; it reports len(p) when the redacted bytes were
// all written, as a caller counts what it gave.
func (r writer) Write(p []byte) (int, error) {
	if _, err := io.WriteString(r.w, URL(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}
