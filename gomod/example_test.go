package gomod_test

import (
	"fmt"

	"github.com/confidential-containers/release-tools/gomod"
)

func ExampleBumpRequires() {
	src := []byte(`module github.com/confidential-containers/cloud-api-adaptor/src/csi-wrapper

go 1.23.0

require (
	github.com/confidential-containers/cloud-api-adaptor/src/cloud-api-adaptor v0.12.0
	github.com/container-storage-interface/spec v1.9.0
)

replace github.com/confidential-containers/cloud-api-adaptor/src/cloud-api-adaptor => ../cloud-api-adaptor
`)
	internal := []string{"github.com/confidential-containers/cloud-api-adaptor/src/cloud-api-adaptor"}
	out, err := gomod.BumpRequires("src/csi-wrapper/go.mod", src, internal, "v0.13.0")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(string(out))

	_, err = gomod.BumpRequires("src/csi-wrapper/go.mod", src, internal, "v0.13.0-alpha1+build")
	fmt.Println(err)
	// Output:
	// module github.com/confidential-containers/cloud-api-adaptor/src/csi-wrapper
	//
	// go 1.23.0
	//
	// require (
	// 	github.com/confidential-containers/cloud-api-adaptor/src/cloud-api-adaptor v0.13.0
	// 	github.com/container-storage-interface/spec v1.9.0
	// )
	//
	// replace github.com/confidential-containers/cloud-api-adaptor/src/cloud-api-adaptor => ../cloud-api-adaptor
	// gomod: src/csi-wrapper/go.mod: version "v0.13.0-alpha1+build" is not canonical semver; did you mean "v0.13.0-alpha1"?
}
