package ledger_test

import (
	"fmt"
	"strings"

	"github.com/confidential-containers/release-tools/ledger"
	"github.com/confidential-containers/release-tools/version"
)

// ExampleRead reads CAA's v0.21 history: v0.21.0's tag two commits after
// its module tags, and the chart-only v0.21.1.
func ExampleRead() {
	m, b, c := strings.Repeat("7", 40), strings.Repeat("b", 40), strings.Repeat("c", 40)
	tags := map[string]string{"src/webhook/v0.21.0": m, "v0.21.0": b, "v0.21.1": c}
	l := ledger.Read(ledger.Facts{
		Modules: []string{"src/webhook/"}, Remote: tags,
		Parse: func(s string) (version.Version, error) { return version.Parse(s, nil) },
	})
	for _, r := range l.Releases() {
		fmt.Println(r.Version, "-", r.Describe())
		for _, d := range r.Disagreements() {
			fmt.Println("  ", d)
		}
	}
	fmt.Println("latest:", l.Latest().Version, "on", l.Latest().Commit()[:12])
	v, _ := version.Parse("v0.20.9", nil)
	_, err := l.Check(v)
	fmt.Println(err)
	// Output:
	// v0.21.0 - full release, module tags on 777777777777
	//    the tag v0.21.0 is on bbbbbbbbbbbb, not on 777777777777 where the module tags are
	// v0.21.1 - chart-only patch release, tag v0.21.1 on cccccccccccc, no module tags
	// latest: v0.21.1 on cccccccccccc
	// v0.20.9 is below the latest release v0.21.1: versions only go up on their line; valid now: v0.21.2, v0.22.0, v1.0.0
}
