package tags_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/confidential-containers/release-tools/tags"
	"github.com/confidential-containers/release-tools/version"
)

func ExampleOrdered() {
	root, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(root)
	for dir, gomod := range map[string]string{
		"src/cloud-providers":   "module example.com/caa/src/cloud-providers\n",
		"src/peerpod-ctrl":      "module example.com/caa/src/peerpod-ctrl\nrequire example.com/caa/src/cloud-providers v0.13.0\n",
		"src/cloud-api-adaptor": "module example.com/caa/src/cloud-api-adaptor\nrequire (\n\texample.com/caa/src/cloud-providers v0.13.0\n\texample.com/caa/src/peerpod-ctrl v0.13.0\n)\n",
		"src/csi-wrapper":       "module example.com/caa/src/csi-wrapper\nrequire example.com/caa/src/cloud-api-adaptor v0.13.0\n",
	} {
		os.MkdirAll(filepath.Join(root, dir), 0o755)
		os.WriteFile(filepath.Join(root, dir, "go.mod"), []byte(gomod), 0o644)
	}
	v, err := version.Parse("v0.13.0", nil) // once, at the edge
	if err != nil {
		fmt.Println(err)
		return
	}
	list, err := tags.Ordered(root, v)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, line := range tags.Commands(list, "410154b63f1a3a5431de308f9834052b62e7e7d7", "origin") {
		fmt.Println(line)
	}
	// Output:
	// git tag src/cloud-providers/v0.13.0 410154b63f1a3a5431de308f9834052b62e7e7d7
	// git push origin src/cloud-providers/v0.13.0
	// git tag src/peerpod-ctrl/v0.13.0 410154b63f1a3a5431de308f9834052b62e7e7d7
	// git push origin src/peerpod-ctrl/v0.13.0
	// git tag src/cloud-api-adaptor/v0.13.0 410154b63f1a3a5431de308f9834052b62e7e7d7
	// git push origin src/cloud-api-adaptor/v0.13.0
	// git tag src/csi-wrapper/v0.13.0 410154b63f1a3a5431de308f9834052b62e7e7d7
	// git push origin src/csi-wrapper/v0.13.0
}
