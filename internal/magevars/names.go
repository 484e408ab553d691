package magevars

import (
	"fmt"
	"io"

	"github.com/confidential-containers/release-tools/internal/magevars/near"
)

// Names are the variables the frontend reads: [Read]'s, adopt's, and those
// of the wrapper .mage runs the targets with (cmd/mage).
var Names = []string{
	"DRY_RUN", "NO_COMMIT", "PUSH", "SKIP_GO", "SIGN", "SKIP_REGISTRY", "ALLOW_TIDY_DROPS", "ALLOW_DOWNGRADE",
	"PR", "PR_DRAFT", "PR_REMOTE", "RELEASE_REMOTE", "RELEASE_BRANCH",
	"OPERATOR_REF", "OPERATOR_REPO", "KATA_REPO", "KATA_REF", "KATA_REF_NOTE", "GUEST_COMPONENTS_REF", "TRUSTEE_REF",
	"CHART_VERSION", "RELEASE_TIME", "RELEASE_DATE", "RELEASE_COMMIT", "TAG_COMMIT", "GOPROXY", "FORMAT",
	"GH_TOKEN", "GITHUB_TOKEN", "RELEASE_TOOLS_TOKEN", "GITHUB_API_URL", "GITHUB_REPOSITORY",
	"RELEASE_AUTHOR", "WAIT", "WAIT_TIMEOUT", "ANNOUNCE",
	"RELEASE_TOOLS_VERSION", "RELEASE_TOOLS_DIR", // adopt
	"MAGEFILE_HASHFAST", "MAGEFILE_CACHE", // cmd/mage
}

// Warn writes to w a warning for each variable of environ (NAME=value)
// whose name is close to one of [Names] but is none of them (DRYRUN,
// RELEASE_BRANC): it would be ignored without a word.
func Warn(w io.Writer, environ []string) {
	for _, line := range near.Warnings(environ, Names) {
		fmt.Fprintf(w, "release-tools: warning: %s\n", line)
	}
}
