package github_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	gogithub "github.com/google/go-github/v84/github"
	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/github"
	"github.com/confidential-containers/release-tools/internal/ghfake"
)

// TestTokenNeverShown runs every operation, on success and failure paths,
// against a server that quotes the Authorization header in its errors, and
// prints everything it gets back every way fmt and slog can: the token
// appears nowhere.
func TestTokenNeverShown(t *testing.T) {
	var out bytes.Buffer
	log := slog.New(slog.NewTextHandler(&out, nil))
	show := func(vs ...any) {
		for _, v := range vs {
			fmt.Fprintf(&out, "%v|%+v|%#v|%s|%q|%d|%x\n", v, v, v, v, v, v, v)
			log.Info("value", "v", v)
		}
	}
	ctx := context.Background()

	o := github.Options{Token: token, Owner: "o", Repo: "r"}
	show(o, &o, o.Token)

	// Success: plan, print, apply, lock, unlock.
	f := &ghfake.Server{Admin: true, Echo: true, Releases: history(), Protection: map[string]*gogithub.Protection{"main": mainProtection()}}
	c := newFake(t, f)
	show(c, *c)
	p, err := c.PlanRelease(ctx, ver(t, "v0.13.0"), commit)
	require.NoError(t, err)
	p.WriteTo(&out)
	r, outcome, err := p.Apply(ctx)
	require.NoError(t, err)
	show(p, *p, r, outcome)
	for _, on := range []bool{true, true, false} {
		before, err := c.Lock(ctx, "main", on)
		require.NoError(t, err)
		show(before)
	}

	// Failures: no admin rights, a wrong token, GitHub failing, a closed
	// server, bad input, a cancelled context.
	var errs []error
	f.Mu.Lock()
	f.Admin, f.DropSigs = false, true
	f.Mu.Unlock()
	_, err = c.Lock(ctx, "main", true)
	errs = append(errs, err)
	_, err = c.LockState(ctx, "main")
	errs = append(errs, err)

	srv := httptest.NewServer(f)
	defer srv.Close()
	wrong, err := github.New(ctx, github.Options{Token: token + "X", APIURL: srv.URL, Owner: "o", Repo: "r"})
	require.NoError(t, err)
	_, err = wrong.PlanRelease(ctx, ver(t, "v0.14.0"), commit)
	errs = append(errs, err)
	_, err = wrong.Lock(ctx, "main", true)
	errs = append(errs, err)

	failing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprintf(w, `{"message":"boom %s","errors":[{"resource":"Release","code":"custom","message":"%s"}]}`, r.Header.Get("Authorization"), r.Header.Get("Authorization"))
	}))
	defer failing.Close()
	fc, err := github.New(ctx, github.Options{Token: token, APIURL: failing.URL, Owner: "o", Repo: "r"})
	require.NoError(t, err)
	_, err = fc.PlanRelease(ctx, ver(t, "v0.14.0"), commit)
	errs = append(errs, err)
	_, err = fc.Lock(ctx, "main", true)
	errs = append(errs, err)
	f.Mu.Lock()
	f.FailCreate = true
	f.Mu.Unlock()
	p, err = c.PlanRelease(ctx, ver(t, "v0.14.0"), commit)
	require.NoError(t, err)
	_, _, err = p.Apply(ctx)
	errs = append(errs, err)

	closed := httptest.NewServer(f)
	closed.Close()
	cc, err := github.New(ctx, github.Options{Token: token, APIURL: closed.URL, Owner: "o", Repo: "r"})
	require.NoError(t, err)
	_, err = cc.PlanRelease(ctx, ver(t, "v0.14.0"), commit)
	errs = append(errs, err)
	_, err = cc.Lock(ctx, "main", true)
	errs = append(errs, err)

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, err = c.PlanRelease(cancelled, ver(t, "v0.14.0"), commit)
	require.ErrorIs(t, err, context.Canceled)
	errs = append(errs, err)

	_, err = github.New(ctx, github.Options{Token: token, APIURL: "https://x:" + token + "@ghe.example.com", Owner: "o", Repo: "r"})
	errs = append(errs, err)
	_, err = github.ParseRemote("https://x-access-token:" + token + "@github.com/o")
	errs = append(errs, err)
	_, err = github.FromEnv(func(k string) string { return map[string]string{"GITHUB_TOKEN": token}[k] }, "https://x:"+token+"@ghe.example.com/o/r")
	errs = append(errs, err)

	var walk func(error)
	walk = func(e error) {
		if e == nil {
			return
		}
		show(e)
		switch u := e.(type) {
		case interface{ Unwrap() error }:
			walk(u.Unwrap())
		case interface{ Unwrap() []error }:
			for _, e := range u.Unwrap() {
				walk(e)
			}
		}
	}
	for i, err := range errs {
		require.Error(t, err, "failure %d", i)
		walk(err)
	}
	require.Contains(t, out.String(), "Bearer [redacted]", "the server did echo it")
	require.Contains(t, out.String(), "[redacted]")
	require.NotContains(t, out.String(), token)
	require.NotContains(t, out.String(), strings.TrimPrefix(token, "ghp_"))
	require.NotContains(t, out.String(), fmt.Sprintf("%x", token[4:]), "nor in hex")
}
