package gomod_test

import (
	"fmt"

	"github.com/confidential-containers/release-tools/gomod"
	"github.com/confidential-containers/release-tools/version"
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
	v, err := version.Parse("v0.13.0", nil) // once, where the version comes in
	if err != nil {
		fmt.Println(err)
		return
	}
	out, err := gomod.BumpRequires("src/csi-wrapper/go.mod", src, internal, v)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(string(out))

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
}
