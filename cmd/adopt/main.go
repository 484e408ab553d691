// Command adopt writes .mage/ into the working directory, the root of a
// repository without a go.mod at its root such as cloud-api-adaptor, so
// that the release targets run from there with
// "go -C .mage tool mage -w .. <target>". It is the mage target adopt for
// a first time, when no mage has the targets yet:
//
//	go run github.com/confidential-containers/release-tools/cmd/adopt@latest
//
// requires the version it was run at. The variables are adopt's:
// RELEASE_TOOLS_VERSION, RELEASE_TOOLS_DIR, DRY_RUN, SKIP_GO.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/confidential-containers/release-tools/internal/adoptrun"
)

func main() {
	if err := adoptrun.Main(context.Background(), os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "Error:", err)
		os.Exit(1)
	}
}
