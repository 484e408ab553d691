package charts

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/confidential-containers/release-tools/internal/edittest"
	"github.com/confidential-containers/release-tools/internal/yamledit"
)

// FuzzSet checks the three editors: each either fails, or returns output
// that reads as a chart, differs from the input only inside one line,
// and reads back as the value set; setting the value held returns the
// input itself.
func FuzzSet(f *testing.F) {
	files, _ := filepath.Glob(cycle + "/*/*/src/*/*/Chart.yaml")
	more, _ := filepath.Glob(cycle + "/*/*/src/*/install/charts/*/Chart.yaml")
	for _, file := range append(files, more...) {
		src, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src, uint8(0), "", "0.4.0")
		f.Add(src, uint8(1), "", "v0.22.0")
		f.Add(src, uint8(2), "webhook", "0.4.0-rc.1+b")
		f.Add(src, uint8(2), "kata-deploy", "yes")
	}
	f.Add([]byte("name: x\nversion: '1.0.0'\ndependencies: [{name: a, version: 1}]\n"), uint8(2), "a", "1.0")
	f.Fuzz(func(t *testing.T, src []byte, which uint8, dep, value string) {
		var (
			out  []byte
			err  error
			keys []string
		)
		switch which % 3 {
		case 0:
			out, err = SetVersionBytes(src, value)
			keys = []string{"version"}
		case 1:
			out, err = SetAppVersionBytes(src, value)
			keys = []string{"appVersion"}
		case 2:
			out, err = SetDependencyVersionBytes(src, dep, value)
		}
		if err != nil {
			return
		}
		m, perr := parseMeta(out)
		if perr != nil {
			t.Fatalf("output does not read as a chart: %v\n%q", perr, out)
		}
		if err := edittest.OneLine(src, out); err != nil {
			t.Fatal(err)
		}
		if keys == nil {
			for i, d := range m.Dependencies {
				if d.Name == dep || d.Alias == dep {
					keys = []string{"dependencies", strconv.Itoa(i), "version"}
				}
			}
			if keys == nil {
				t.Fatalf("dependency %q is gone:\n%q", dep, out)
			}
		}
		d, err := yamledit.Parse(out)
		if err != nil {
			t.Fatal(err)
		}
		n, err := d.Scalar(keys)
		if err != nil {
			t.Fatal(err)
		}
		if n.Value != value {
			t.Fatalf("reads back %q, want %q\n%q", n.Value, value, out)
		}
		if line := changedLine(src, out); line != 0 && line != n.Line {
			t.Fatalf("the edit is on line %d, the value on line %d:\n%q\n%q", line, n.Line, src, out)
		}
		again, err := setAgain(out, which, dep, value)
		if err != nil || string(again) != string(out) {
			t.Fatalf("setting the value held changed the file (%v):\n%q\n%q", err, out, again)
		}
	})
}

func setAgain(src []byte, which uint8, dep, value string) ([]byte, error) {
	switch which % 3 {
	case 0:
		return SetVersionBytes(src, value)
	case 1:
		return SetAppVersionBytes(src, value)
	}
	return SetDependencyVersionBytes(src, dep, value)
}

// changedLine returns the line (1-based, breaking lines where the YAML
// parser does) on which src and out first differ; 0 if they do not.
func changedLine(src, out []byte) int {
	p := 0
	for p < len(src) && p < len(out) && src[p] == out[p] {
		p++
	}
	if p == len(src) && p == len(out) {
		return 0
	}
	line := 1
	for i := 0; i < p; i++ {
		switch c := src[i]; {
		case c == '\n':
		case c == '\r':
			if i+1 < len(src) && src[i+1] == '\n' {
				i++
			}
		case c == 0xC2 && i+1 < len(src) && src[i+1] == 0x85, // NEL
			c == 0xE2 && i+2 < len(src) && src[i+1] == 0x80 && (src[i+2] == 0xA8 || src[i+2] == 0xA9): // LS, PS
		default:
			continue
		}
		line++
	}
	return line
}
