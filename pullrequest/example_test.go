package pullrequest_test

import (
	"fmt"

	"github.com/confidential-containers/release-tools/pullrequest"
)

// The body of a pull request, from what a phase printed.
func ExampleBody() {
	printed := `deps:sync 3.31.0: plan
  ok  check that the registry has kata-deploy 3.31.0: it has
  * pin the kata-deploy chart to 3.31.0
    --- a/Chart.yaml
    +++ b/Chart.yaml
    @@ -1 +1 @@
    -version: "0.0.0-dev"
    +version: "3.31.0"

  * commit "deps: sync with Kata Containers 3.31.0"
deps:sync 3.31.0: apply
`
	fmt.Print(pullrequest.Body("deps:sync 3.31.0", printed,
		[]pullrequest.Commit{{SHA: "af88c629b8c9d0e1f2a3b4c5d6e7f8091a2b3c4d", Subject: "deps: sync with Kata Containers 3.31.0"}},
		[]pullrequest.Next{{What: "merge this pull request"}, {Command: "release v0.21.0 <imageSHA>", What: "when the release is due"}}))
	// Output:
	// The phase `deps:sync 3.31.0`, made by release-tools.
	//
	// ### What it did
	// - `ok` check that the registry has kata-deploy 3.31.0: it has
	// - `*` pin the kata-deploy chart to 3.31.0
	//   <details><summary>diff of Chart.yaml</summary>
	//
	//   ```diff
	//   --- a/Chart.yaml
	//   +++ b/Chart.yaml
	//   @@ -1 +1 @@
	//   -version: "0.0.0-dev"
	//   +version: "3.31.0"
	//   ```
	//   </details>
	// - `*` commit "deps: sync with Kata Containers 3.31.0"
	//
	// ### Commits
	// - af88c629b8c9 deps: sync with Kata Containers 3.31.0
	//
	// ### Once this is merged, in order
	// 1. merge this pull request
	// 2. `release v0.21.0 <imageSHA>`: when the release is due
}
