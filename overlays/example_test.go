package overlays_test

import (
	"fmt"

	"github.com/confidential-containers/release-tools/overlays"
)

func ExamplePinImageBytes() {
	src := []byte(`apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization

bases:
  - ../../yamls

images:
  - name: cloud-api-adaptor
    newName: quay.io/confidential-containers/cloud-api-adaptor # change image if needed
    newTag: latest
`)
	out, err := overlays.PinImageBytes(src, "cloud-api-adaptor", "dev-1265e4914a7b5c19cb48ed6ed9d9e138edde4121")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(string(out))
	// Output:
	// apiVersion: kustomize.config.k8s.io/v1beta1
	// kind: Kustomization
	//
	// bases:
	//   - ../../yamls
	//
	// images:
	//   - name: cloud-api-adaptor
	//     newName: quay.io/confidential-containers/cloud-api-adaptor # change image if needed
	//     newTag: dev-1265e4914a7b5c19cb48ed6ed9d9e138edde4121
}
