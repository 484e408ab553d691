package steps

import (
	"context"
	"fmt"
	"strings"

	"github.com/confidential-containers/release-tools/phase"
	"github.com/confidential-containers/release-tools/versions"
)

// set is one value to set in a YAML file, at the first of several
// candidate paths that exists.
type set struct {
	candidates []string
	value      string
	optional   bool // a missing key is left alone
}

// setStep sets values in one YAML file.
func setStep(name, file string, sets ...set) phase.Edit {
	return phase.Edit{Name: name, Plan: func(_ context.Context, t *phase.Tree) (string, error) {
		var absent []string
		_, err := t.Edit(file, func(src []byte) ([]byte, error) {
			for _, s := range sets {
				p, err := versions.FirstPathBytes(src, s.candidates...)
				if err != nil && s.optional {
					absent = append(absent, strings.Join(s.candidates, " or "))
					continue
				}
				if err != nil {
					return nil, fmt.Errorf("%s: %w", file, err)
				}
				if src, err = versions.SetBytes(src, p, s.value); err != nil {
					return nil, fmt.Errorf("%s: %w", file, err)
				}
			}
			return src, nil
		})
		if len(absent) > 0 {
			return "no " + strings.Join(absent, ", ") + " in " + file + ": left alone", err
		}
		return "", err
	}}
}

// Operator pins the operator to ref in the versions file file: the first
// of refKeys that exists takes ref, and configKey, where the file has it
// ("" for none), "release". With ref "main" it unpins the operator:
// configKey takes "default".
func Operator(file string, refKeys []string, configKey, ref string) phase.Edit {
	config := "release"
	name := "pin the operator to " + ref
	if ref == "main" {
		config, name = "default", "unpin the operator (back to main)"
	}
	sets := []set{{candidates: refKeys, value: ref}}
	if configKey != "" {
		sets = append(sets, set{candidates: []string{configKey}, value: config, optional: true})
	}
	return setStep(name, file, sets...)
}

// Citation updates the citation file (CITATION.cff) for the release of
// version: its version (without the v), date-released and commit.
func Citation(file, version, date, commit string) phase.Edit {
	return setStep("update "+file+" for "+version, file,
		set{candidates: []string{"version"}, value: strings.TrimPrefix(version, "v")},
		set{candidates: []string{"date-released"}, value: date},
		set{candidates: []string{"commit"}, value: commit},
	)
}
