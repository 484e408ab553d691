package github_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"

	gogithub "github.com/google/go-github/v84/github"

	"github.com/confidential-containers/release-tools/github"
	"github.com/confidential-containers/release-tools/internal/ghfake"
	"github.com/confidential-containers/release-tools/version"
)

func ExampleParseRemote() {
	for _, remote := range []string{
		"https://github.com/confidential-containers/cloud-api-adaptor.git",
		"git@github.com:confidential-containers/cloud-api-adaptor.git",
		"/srv/git/cloud-api-adaptor.git",
	} {
		r, err := github.ParseRemote(remote)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(r.Host, r.Owner, r.Repo)
	}
	// Output:
	// github.com confidential-containers cloud-api-adaptor
	// github.com confidential-containers cloud-api-adaptor
	// github: remote "/srv/git/cloud-api-adaptor.git" is a local path, not a GitHub URL
}

func ExampleFromEnv() {
	env := map[string]string{"GITHUB_TOKEN": "ghp_secret"}
	o, err := github.FromEnv(func(k string) string { return env[k] }, "git@github.com:confidential-containers/cloud-api-adaptor.git")
	fmt.Printf("%+v %v\n", o, err)
	// Output:
	// {Token:[redacted] APIURL: Owner:confidential-containers Repo:cloud-api-adaptor HTTP:<nil>} <nil>
}

// The release candidate of a cycle: a pre-release, not marked latest,
// whose notes start at the previous pre-release. Run again, it
// finds the release and leaves it alone.
func ExampleClient_PlanRelease() {
	srv := httptest.NewServer(&ghfake.Server{Releases: []*gogithub.RepositoryRelease{ghfake.Rel("v0.12.0", false), ghfake.Rel("v0.12.0-alpha.1", false)}})
	defer srv.Close()
	c, err := github.New(context.Background(), github.Options{Token: token, APIURL: srv.URL, Owner: "confidential-containers", Repo: "cloud-api-adaptor"})
	if err != nil {
		fmt.Println(err)
		return
	}
	v, err := version.Parse("v0.13.0-alpha.1", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for range 2 {
		p, err := c.PlanRelease(context.Background(), v, "410154b63f1a3a5431de308f9834052b62e7e7d7")
		if err != nil {
			fmt.Println(err)
			return
		}
		p.WriteTo(os.Stdout)
		_, outcome, err := p.Apply(context.Background())
		fmt.Println(outcome, err)
	}
	// Output:
	// github: create release v0.13.0-alpha.1 on confidential-containers/cloud-api-adaptor at 410154b63f1a3a5431de308f9834052b62e7e7d7: pre-release, not marked latest; notes from v0.12.0-alpha.1
	//   | ## What's Changed
	//   | * everything from v0.12.0-alpha.1 to v0.13.0-alpha.1
	// created <nil>
	// github: release v0.13.0-alpha.1 exists on confidential-containers/cloud-api-adaptor (target 410154b63f1a3a5431de308f9834052b62e7e7d7): left alone
	//   https://github.com/confidential-containers/cloud-api-adaptor/releases/tag/v0.13.0-alpha.1
	// exists, left alone <nil>
}

// Locking says what the lock was before; locking again changes nothing.
func ExampleClient_Lock() {
	srv := httptest.NewServer(&ghfake.Server{Admin: true, Protection: map[string]*gogithub.Protection{"main": {}}})
	defer srv.Close()
	c, err := github.New(context.Background(), github.Options{Token: token, APIURL: srv.URL, Owner: "o", Repo: "r"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, on := range []bool{true, true, false} {
		before, err := c.Lock(context.Background(), "main", on)
		fmt.Printf("lock %t: was %t, %v\n", on, before, err)
	}
	// Output:
	// lock true: was false, <nil>
	// lock true: was true, <nil>
	// lock false: was true, <nil>
}

// A release that is not there is (nil, nil); a check that could not be
// made is an error wrapping ErrUnavailable, never "not there".
func ExampleClient_FindRelease() {
	f := &ghfake.Server{Releases: []*gogithub.RepositoryRelease{ghfake.Rel("v0.12.0", false)}}
	srv := httptest.NewServer(f)
	defer srv.Close()
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprint(w, `{"message":"Service Unavailable"}`)
	}))
	defer down.Close()
	for _, api := range []string{srv.URL, down.URL} {
		c, err := github.New(context.Background(), github.Options{Token: token, APIURL: api, Owner: "o", Repo: "r"})
		if err != nil {
			fmt.Println(err)
			return
		}
		for _, tag := range []string{"v0.12.0", "v0.13.0"} {
			r, err := c.FindRelease(context.Background(), tag)
			switch {
			case errors.Is(err, github.ErrUnavailable):
				fmt.Printf("%s: could not ask: %v\n", tag, err)
			case err != nil:
				fmt.Printf("%s: %v\n", tag, err)
			case r == nil:
				fmt.Printf("%s: no release\n", tag)
			default:
				fmt.Printf("%s: released (%s)\n", tag, r.URL)
			}
		}
	}
	// Output:
	// v0.12.0: released (https://github.com/o/r/releases/tag/v0.12.0)
	// v0.13.0: no release
	// v0.12.0: could not ask: github: list the releases of o/r: GitHub answered 503 Service Unavailable: Service Unavailable
	// v0.13.0: could not ask: github: list the releases of o/r: GitHub answered 503 Service Unavailable: Service Unavailable
}
