package charts

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLockYAML11: the digest reads every field helm hashes as helm does,
// YAML 1.1: `condition: yes` and a tag `on` hash as "true", an unquoted
// number in a string field as the number's text. A dependency field
// helm reads otherwise than written (an unquoted `version: 0.10` is 0.1
// to helm) is refused, saying how to quote it.
func TestLockYAML11(t *testing.T) {
	src := "apiVersion: v2\nname: top\nversion: 0.1.0\ndependencies:\n" +
		"- name: kd\n  version: 1.0.0\n  repository: https://charts.example.org\n  condition: yes\n  tags: [on, 12, '0.10']\n"
	const want = `[[{"name":"kd","version":"1.0.0","repository":"https://charts.example.org","condition":"true","tags":["true","12","0.10"]}],` +
		`[{"name":"kd","version":"1.0.0","repository":"https://charts.example.org"}]]`
	sum := sha256.Sum256([]byte(want))
	l, err := newLock("top", []byte(src), nil, time.Unix(0, 0).UTC())
	require.NoError(t, err)
	assert.Equal(t, "sha256:"+hex.EncodeToString(sum[:]), l.Digest)
	ok, err := l.Matches([]byte(src))
	require.NoError(t, err)
	assert.True(t, ok)

	for name, tc := range map[string]struct{ dep, want string }{
		"version 0.10": {"- name: kd\n  version: 0.10\n  repository: file://./kd\n",
			`dependency "kd": helm reads version: 0.10 as "0.1" (YAML 1.1 reads it unquoted as a number or a boolean): quote it, version: "0.10"`},
		"version 1.0": {"- name: kd\n  version: 1.0\n  repository: https://charts.example.org\n", `helm reads version: 1.0 as "1"`},
		"octal":       {"- name: kd\n  version: 010\n  repository: https://charts.example.org\n", `helm reads version: 010 as "8"`},
		"alias":       {"- name: kd\n  version: 1.0.0\n  alias: y\n  repository: https://charts.example.org\n", `helm reads alias: y as "true"`},
		"name":        {"- name: no\n  version: 1.0.0\n  repository: https://charts.example.org\n", `helm reads name: no as "false"`},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := LockBytes("top", []byte("name: top\nversion: 0.1.0\ndependencies:\n"+tc.dep), nil, time.Unix(0, 0).UTC())
			require.ErrorContains(t, err, tc.want)
		})
	}
}

// TestDuplicateDependency: two dependencies with the same name and no
// alias are refused, as helm refuses them; the same name under two
// aliases, or one alias and the plain name, is a chart helm takes.
func TestDuplicateDependency(t *testing.T) {
	dep := func(extra string) string {
		return "- name: kata-deploy\n  version: 3.22.0\n  repository: oci://ghcr.io/kata-containers/kata-deploy-charts\n" + extra
	}
	chart := func(deps ...string) []byte {
		return []byte("name: top\nversion: 0.1.0\ndependencies:\n" + strings.Join(deps, ""))
	}
	_, err := Parse(".", chart(dep(""), dep("")))
	require.ErrorContains(t, err, `dependencies 0 and 1: more than one dependency with name or alias "kata-deploy", which helm refuses: give one an alias`)
	_, err = Parse(".", chart(dep("  alias: a\n"), dep("  alias: a\n")))
	require.ErrorContains(t, err, `more than one dependency with name or alias "a"`)
	_, err = Parse(".", chart(dep("  alias: kata-deploy\n"), dep("")))
	require.ErrorContains(t, err, `more than one dependency with name or alias "kata-deploy"`)
	_, err = LockBytes(".", chart(dep(""), dep("")), nil, time.Unix(0, 0).UTC())
	require.ErrorContains(t, err, "more than one dependency")

	for _, deps := range [][]string{{dep("  alias: a\n"), dep("  alias: b\n")}, {dep("  alias: kata-as-coco-runtime\n"), dep("")}} {
		c, err := Parse(".", chart(deps...))
		require.NoError(t, err)
		require.Len(t, c.Dependencies, 2)
	}
}

// FuzzHelmRequested: reading a Chart.yaml as helm does never panics;
// where the chart model reads the file and helm's reading agrees on the
// fields that resolve a dependency, both read as many dependencies, with
// the same names, versions, repositories and aliases.
func FuzzHelmRequested(f *testing.F) {
	f.Add([]byte("name: top\nversion: 0.1.0\ndependencies:\n- name: kd\n  version: 0.10\n  condition: yes\n  tags: [on]\n"))
	f.Add([]byte("name: top\nversion: 0.1.0\ndependencies:\n- name: kd\n  version: '1.0.0'\n  repository: oci://x\n  alias: a\n  import-values: [{parent: y, child: x}]\n"))
	f.Add([]byte("dependencies: [{name: 1, version: 1e3, tags: [~, .inf]}]\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		helm, err := helmRequested(src)
		m, perr := parseMeta(src)
		if err != nil || perr != nil {
			return
		}
		deps := make([]Dependency, len(m.Dependencies))
		for i, d := range m.Dependencies {
			deps[i] = Dependency{Name: d.Name, Version: d.Version, Repository: d.Repository, Alias: d.Alias}
		}
		if sameToHelm(src, deps) != nil {
			return
		}
		require.Len(t, helm, len(deps))
		for i, d := range deps {
			assert.Equal(t, []string{d.Name, d.Version, d.Repository, d.Alias}, []string{helm[i].Name, helm[i].Version, helm[i].Repository, helm[i].Alias})
		}
	})
}
