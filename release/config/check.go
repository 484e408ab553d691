package config

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Check is a command a phase runs at the repository root before each of
// its commits (a generator's check: "make -C src/cloud-providers
// sync-chart-values"). In release.yaml a check is its command alone, or a
// mapping with run, needs and if.
type Check struct {
	// Run is the command, split at spaces (no shell reads it).
	Run string `yaml:"run"`
	// Needs are the programs the command runs besides its own (those a
	// Makefile's target calls): each one missing is named before anything
	// is written, as the command's own is.
	Needs []string `yaml:"needs"`
	// If are what the tree must hold for the check to run; where one does
	// not hold, the check is skipped and the plan says which.
	If []Has `yaml:"if"`
}

// Has is a file the tree holds (a file or a directory) and, when Line is
// set, a line of it that starts with Line (a Makefile's target:
// "sync-chart-values:").
type Has struct {
	File string `yaml:"file"`
	Line string `yaml:"line"`
}

// UnmarshalYAML reads a check given as its command, or as a mapping whose
// fields are all known.
func (c *Check) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*c = Check{Run: n.Value}
		return nil
	}
	var buf bytes.Buffer
	if err := yaml.NewEncoder(&buf).Encode(n); err != nil {
		return err
	}
	dec := yaml.NewDecoder(&buf)
	dec.KnownFields(true)
	type plain Check
	if err := dec.Decode((*plain)(c)); err != nil {
		return fmt.Errorf("line %d: a check is a command, or a mapping of run, needs and if: %w", n.Line, err)
	}
	return nil
}

// Args is the command split at spaces.
func (c Check) Args() []string { return strings.Fields(c.Run) }

// Unmet says which of c.If the tree at root does not hold ("" when all
// hold): the reason the check is skipped there.
func (c Check) Unmet(root string) (string, error) {
	for _, h := range c.If {
		name := filepath.Join(root, filepath.FromSlash(h.File))
		if h.Line == "" {
			if _, err := os.Stat(name); errors.Is(err, os.ErrNotExist) {
				return h.File + " is not there", nil
			} else if err != nil {
				return "", fmt.Errorf("check %q: %w", c.Run, err)
			}
			continue
		}
		data, err := os.ReadFile(name)
		if errors.Is(err, os.ErrNotExist) {
			return h.File + " is not there", nil
		}
		if err != nil {
			return "", fmt.Errorf("check %q: %w", c.Run, err)
		}
		if !hasLine(data, h.Line) {
			return fmt.Sprintf("%s has no line starting %q", h.File, h.Line), nil
		}
	}
	return "", nil
}

func hasLine(data []byte, prefix string) bool {
	s := bufio.NewScanner(bytes.NewReader(data))
	s.Buffer(nil, len(data)+1)
	for s.Scan() {
		if strings.HasPrefix(s.Text(), prefix) {
			return true
		}
	}
	return false
}

// check checks c's fields.
func (c Check) check() error {
	if len(c.Args()) == 0 {
		return errors.New("empty command")
	}
	for _, p := range c.Needs {
		if p == "" || strings.ContainsAny(p, " \t") {
			return fmt.Errorf("needs %q: want a program's name", p)
		}
	}
	for _, h := range c.If {
		if !inside(h.File) {
			return fmt.Errorf("if file %q: want a slash-separated path inside the repository, relative to its root, without ..", h.File)
		}
	}
	return nil
}

// caaSyncChartValues is the check of cloud-api-adaptor's generated
// provider values (CAA's CI fails when they drift): its target lives in
// src/cloud-providers/Makefile, builds ./cmd/config-extractor with go and
// pipes its output through jq, finding the providers with find and sed.
// It runs where that Makefile has the target and the generator's source
// is there (trees before v0.18.0 have neither).
var caaSyncChartValues = Check{
	Run:   "make -C src/cloud-providers sync-chart-values",
	Needs: []string{"go", "jq", "find", "sed"},
	If: []Has{
		{File: "src/cloud-providers/Makefile", Line: "sync-chart-values:"},
		{File: "src/cloud-providers/cmd/config-extractor"},
	},
}
