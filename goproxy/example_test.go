package goproxy_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/confidential-containers/release-tools/goproxy"
)

func ExampleFirstProxy() {
	for _, list := range []string{"", "direct|https://goproxy.example/,https://proxy.golang.org", "off"} {
		url, err := goproxy.FirstProxy(list)
		fmt.Printf("%q -> %q %v\n", list, url, err)
	}
	// Output:
	// "" -> "https://proxy.golang.org" <nil>
	// "direct|https://goproxy.example/,https://proxy.golang.org" -> "https://goproxy.example" <nil>
	// "off" -> "" goproxy: no module proxy in GOPROXY: GOPROXY="off" turns the proxy off
}

// A release asks the proxy before it tags: v0.13.0 of the first module was
// fetched by the proxy at another commit, once, and can never be tagged
// anywhere else.
func ExampleClient_Check() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/example.com/a/@v/v0.13.0.info" {
			fmt.Fprint(w, `{"Version":"v0.13.0","Origin":{"VCS":"git","Hash":"b2de40ea39b8893864e05614848bd987ac19b871"}}`)
			return
		}
		http.NotFound(w, r)
	}))
	defer srv.Close()

	c := &goproxy.Client{URL: srv.URL}
	res, err := c.Check(context.Background(), []goproxy.Module{
		{Path: "example.com/a", Version: "v0.13.0", Commit: "410154b63f1a3a5431de308f9834052b62e7e7d7"},
		{Path: "example.com/b", Version: "v0.13.0", Commit: "410154b63f1a3a5431de308f9834052b62e7e7d7"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range res {
		fmt.Println(r.Answer, r.Path+"@"+r.Version)
	}
	fmt.Println(goproxy.Conflicts(res))
	// Output:
	// CONFLICT example.com/a@v0.13.0
	// new example.com/b@v0.13.0
	// goproxy: the module proxy holds the version at another commit: example.com/a@v0.13.0 is at b2de40ea39b8, not 410154b63f1a; those versions can never point elsewhere: release the next version
}
