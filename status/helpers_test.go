package status_test

import (
	"github.com/confidential-containers/release-tools/phase"
)

var skipGo = phase.Options{SkipGo: true}
