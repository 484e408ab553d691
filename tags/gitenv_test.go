package tags_test

import (
	"testing"

	"github.com/confidential-containers/release-tools/internal/gitfixture"
)

// TestMain runs the tests with git's own configuration, whatever the
// machine's (signing, hooks, default branch, identity).
func TestMain(m *testing.M) { gitfixture.Main(m) }
