package charts_test

import (
	"fmt"

	"github.com/confidential-containers/release-tools/charts"
)

func ExampleSetDependencyVersionBytes() {
	src := []byte(`apiVersion: v2
name: peerpods
version: 0.3.0
appVersion: "v0.21.0"
dependencies:
  - name: kata-deploy
    version: "0.0.0-dev" # set at release time
    repository: "oci://ghcr.io/kata-containers/kata-deploy-charts"
`)
	out, err := charts.SetDependencyVersionBytes(src, "kata-deploy", "3.31.0")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(string(out))
	// Output:
	// apiVersion: v2
	// name: peerpods
	// version: 0.3.0
	// appVersion: "v0.21.0"
	// dependencies:
	//   - name: kata-deploy
	//     version: "3.31.0" # set at release time
	//     repository: "oci://ghcr.io/kata-containers/kata-deploy-charts"
}

func ExampleLockBytes() {
	src := []byte(`apiVersion: v2
name: peerpods
version: 0.3.0
dependencies:
  - name: kata-deploy
    version: "3.31.0"
    repository: "oci://ghcr.io/kata-containers/kata-deploy-charts"
  - name: peerpodctrl
    version: "0.3.0"
    repository: "file://../../../../peerpod-ctrl/chart"
    alias: resourceCtrl
`)
	local := charts.LocalVersions([]charts.Chart{{Dir: "src/peerpod-ctrl/chart", Name: "peerpodctrl", Version: "0.3.0"}})
	generated, err := charts.ParseTime("2026-05-26T10:12:12.893953+01:00")
	if err != nil {
		fmt.Println(err)
		return
	}
	lock, err := charts.LockBytes("src/cloud-api-adaptor/install/charts/peerpods", src, local, generated)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(string(lock))
	// Output:
	// dependencies:
	// - name: kata-deploy
	//   repository: oci://ghcr.io/kata-containers/kata-deploy-charts
	//   version: 3.31.0
	// - name: peerpodctrl
	//   repository: file://../../../../peerpod-ctrl/chart
	//   version: 0.3.0
	// digest: sha256:71d45f6554367f2ddad3576584f65844d068071c781c9241422c10831127dc36
	// generated: "2026-05-26T10:12:12.893953+01:00"
}
