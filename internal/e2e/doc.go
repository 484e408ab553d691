// Package e2e holds the end-to-end test: it compiles the mage frontend as
// a user gets it and drives it, as a subprocess, through today's whole
// Helm-era release cycle (v0.21 files) and the overlay-era release
// (v0.13.0 files), with no SKIP_* variable set. Every outside service is a
// stand-in on 127.0.0.1 that speaks the real protocol: a file:// Go module
// proxy (the go command runs for real, on small modules in place of the
// fixture's go.mod files), an OCI registry over TLS answering for ghcr.io
// and quay.io through a CONNECT proxy (HTTPS_PROXY, SSL_CERT_FILE), a Kata
// Containers git repository (KATA_REPO), a bare origin and the fake GitHub
// (GITHUB_API_URL). Nothing leaves the machine. It has no code outside its
// tests.
package e2e
