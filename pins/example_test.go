package pins_test

import (
	"fmt"

	"github.com/confidential-containers/release-tools/pins"
)

// The dev image's tag in the Makefile that generates the providers' values,
// pinned at a release and read back.
func ExampleSetBytes() {
	p := pins.Place{
		Kind:     pins.KindLine,
		File:     "src/cloud-providers/Makefile",
		Pattern:  `^\t+"  tag: \\"([^\\"]*)\\"", \\$`,
		Template: pins.TemplateSHADev,
	}
	src := []byte("\t\t\t\"image:\", \\\n\t\t\t\"  tag: \\\"latest\\\"\", \\\n")
	out, err := pins.SetBytes(p, src, pins.Tag(p.Template, "f5dd0b2657a76482c6acabe0285cc87eb5d49473"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(string(out))
	tag, _ := pins.ReadBytes(p, out)
	state, sha := pins.ClassifyTag(p.Template, tag)
	fmt.Println(state, sha)
	// Output:
	//			"image:", \
	//			"  tag: \"f5dd0b2657a76482c6acabe0285cc87eb5d49473-dev\"", \
	// pinned f5dd0b2657a76482c6acabe0285cc87eb5d49473
}

func ExampleClassifyTag() {
	for _, tag := range []string{"latest", "dev-f5dd0b2657a76482c6acabe0285cc87eb5d49473", "v0.21.0"} {
		state, sha := pins.ClassifyTag(pins.TemplateSHADev, tag)
		if sha != "" {
			fmt.Printf("%s: %s, commit %s\n", tag, state, sha)
			continue
		}
		fmt.Printf("%s: %s\n", tag, state)
	}
	// Output:
	// latest: latest
	// dev-f5dd0b2657a76482c6acabe0285cc87eb5d49473: other template, commit f5dd0b2657a76482c6acabe0285cc87eb5d49473
	// v0.21.0: other
}
