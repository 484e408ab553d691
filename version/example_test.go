package version_test

import (
	"fmt"

	"github.com/confidential-containers/release-tools/version"
)

func ExampleParse() {
	v, err := version.Parse("v0.13.0-alpha.1", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(v, v.IsPreRelease(), v.Base(), v.Next())
	_, err = version.Parse("v0.13.0-alpha1", nil)
	fmt.Println(err)
	// Output:
	// v0.13.0-alpha.1 true v0.13.0 v0.13.0-alpha.2
	// invalid version: "v0.13.0-alpha1" has the pre-release "alpha1", which does not match ^(alpha|rc)\.[1-9][0-9]*$; did you mean "v0.13.0-alpha.1"?
}
