package phase_test

import (
	"fmt"

	"github.com/confidential-containers/release-tools/phase"
)

func ExampleChange_Diff() {
	c := phase.Change{
		Path: "src/cloud-api-adaptor/install/overlays/aws/kustomization.yaml",
		Old:  []byte("images:\n- name: cloud-api-adaptor\n  newName: quay.io/confidential-containers/cloud-api-adaptor\n  newTag: latest\n"),
		New:  []byte("images:\n- name: cloud-api-adaptor\n  newName: quay.io/confidential-containers/cloud-api-adaptor\n  newTag: 1265e4914a7b5c19cb48ed6ed9d9e138edde4121\n"),
	}
	fmt.Print(c.Diff())
	// Output:
	// --- a/src/cloud-api-adaptor/install/overlays/aws/kustomization.yaml
	// +++ b/src/cloud-api-adaptor/install/overlays/aws/kustomization.yaml
	// @@ -1,4 +1,4 @@
	//  images:
	//  - name: cloud-api-adaptor
	//    newName: quay.io/confidential-containers/cloud-api-adaptor
	// -  newTag: latest
	// +  newTag: 1265e4914a7b5c19cb48ed6ed9d9e138edde4121
}
