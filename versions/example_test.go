package versions_test

import (
	"fmt"

	"github.com/confidential-containers/release-tools/versions"
)

func ExampleSetBytes() {
	src := []byte(`git:
  coco-operator:
    url: https://github.com/confidential-containers/operator
    config: default   # release while a release pins the operator
    reference: main
`)
	out, err := versions.SetBytes(src, "git.coco-operator.reference", "v0.13.0")
	if err != nil {
		fmt.Println(err)
		return
	}
	out, _ = versions.SetBytes(out, "git.coco-operator.config", "release")
	fmt.Print(string(out))

	_, err = versions.SetBytes(src, "git.coco-operator.tag", "v0.13.0")
	fmt.Println(err)
	// Output:
	// git:
	//   coco-operator:
	//     url: https://github.com/confidential-containers/operator
	//     config: release   # release while a release pins the operator
	//     reference: v0.13.0
	// versions: set git.coco-operator.tag: no "git.coco-operator.tag": "git.coco-operator" has url, config, reference
}
