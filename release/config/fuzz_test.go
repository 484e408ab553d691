package config

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// FuzzCheckBranch: CheckBranch never panics; a name it takes breaks none
// of git's rules for a branch, and a name it refuses gives an error that
// quotes the name and matches ErrBadBranch.
func FuzzCheckBranch(f *testing.F) {
	for _, name := range branchNames {
		f.Add(name)
	}
	f.Fuzz(func(t *testing.T, name string) {
		err := CheckBranch(name)
		if err != nil {
			if !errors.Is(err, ErrBadBranch) {
				t.Fatalf("CheckBranch(%q) = %v, which is not ErrBadBranch", name, err)
			}
			if !strings.Contains(err.Error(), fmt.Sprintf("%q", name)) {
				t.Fatalf("CheckBranch(%q) = %v, which does not quote the name", name, err)
			}
			return
		}
		for _, bad := range []string{"..", "@{", "//", " ", "~", "^", ":", "?", "*", "[", "\\", "\x7f", "/."} {
			if strings.Contains(name, bad) {
				t.Fatalf("CheckBranch takes %q, which contains %q", name, bad)
			}
		}
		for i := 0; i < len(name); i++ {
			if name[i] < 0x20 {
				t.Fatalf("CheckBranch takes %q, which holds the control character %#02x", name, name[i])
			}
		}
		if name == "" || name == "HEAD" || name[0] == '-' || name[0] == '.' || name[0] == '/' ||
			strings.HasSuffix(name, "/") || strings.HasSuffix(name, ".") {
			t.Fatalf("CheckBranch takes %q", name)
		}
		for _, c := range strings.Split(name, "/") {
			if strings.HasSuffix(c, ".lock") {
				t.Fatalf("CheckBranch takes %q, whose component %q ends with .lock", name, c)
			}
		}
	})
}

// FuzzPublished: on any YAML, reading a published: list and checking it
// never panics; an artifact the check refuses gives an error that quotes
// its reference, and the references of a list it takes expand, for any
// release, to host/path:tag references that differ from one release to
// the next.
func FuzzPublished(f *testing.F) {
	for _, s := range []string{
		"published:\n  - quay.io/org/app:{version}\n  - ref: oci://ghcr.io/org/charts/app:{chartVersion}\n  - ref: quay.io/org/app:{version}-dev\n    platforms: [linux/amd64, linux/arm64/v8]\n",
		"published: ['quay.io/org/app:{tag}']\n",
		"published: [quay.io/org/app:latest]\n",
		"published: ['app:{version}']\n",
		"published: [{ref: 'quay.io/o/a:{version}', platforms: [amd64]}]\n",
		"published: ['quay.io/o/a:{version}', 'quay.io/o/a:{version}']\n",
		"published: [{ref: 'quay.io/o/a:{version}', platform: [linux/amd64]}]\n",
		"published: [oci://localhost:5000/o/a:{version}, 'oci://quay.io/o/a{version}:latest']\n",
	} {
		f.Add([]byte(s))
	}
	for _, a := range caaPublished() {
		b, err := yaml.Marshal(map[string][]Artifact{"published": {a}})
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var doc struct {
			Published []Artifact `yaml:"published"`
		}
		if yaml.Unmarshal(data, &doc) != nil {
			return
		}
		for i, a := range doc.Published {
			if err := a.check(); err != nil && !strings.Contains(err.Error(), fmt.Sprintf("%q", a.Ref)) {
				t.Fatalf("published[%d]: %v, which does not quote %q", i, err, a.Ref)
			}
		}
		if checkPublished(doc.Published) != nil {
			return
		}
		for _, a := range doc.Published {
			one, err := a.Expand("v9.9.8", "9.9.8+x")
			if err != nil {
				t.Fatalf("%q: %v", a.Ref, err)
			}
			two, err := a.Expand("v9.9.9", "9.9.9+x")
			if err != nil {
				t.Fatalf("%q: %v", a.Ref, err)
			}
			if !artifactRef.MatchString(one) || !artifactRef.MatchString(two) {
				t.Fatalf("%q expands to %q and %q, want host/path:tag", a.Ref, one, two)
			}
			if one == two {
				t.Fatalf("%q expands to %q for two releases", a.Ref, one)
			}
			if strings.ContainsAny(one, "{}") {
				t.Fatalf("%q expands to %q, which keeps a placeholder", a.Ref, one)
			}
		}
	})
}
