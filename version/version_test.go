package version_test

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/version"
)

func parse(t testing.TB, s string) version.Version {
	t.Helper()
	v, err := version.Parse(s, nil)
	require.NoError(t, err)
	return v
}

func TestParse(t *testing.T) {
	for _, s := range []string{"v0.13.0", "v0.13.0-alpha.1", "v0.13.0-rc.12", "v1.0.0", "v2.3.4"} {
		v, err := version.Parse(s, nil)
		require.NoError(t, err, s)
		require.Equal(t, s, v.String())
		require.False(t, v.IsZero())
	}
	for s, want := range map[string]string{
		"v0.10.0-alpha1":                        `invalid version: "v0.10.0-alpha1" has the pre-release "alpha1", which does not match ^(alpha|rc)\.[1-9][0-9]*$; did you mean "v0.10.0-alpha.1"?`,
		"v0.9.0-alpha1-alpha.1":                 `did you mean "v0.9.0-alpha.1"?`,
		"v0.10.0-alpha.0":                       `did you mean "v0.10.0-alpha.1"?`,
		"v0.10.0-rc1":                           `did you mean "v0.10.0-rc.1"?`,
		"v0.10.0-beta.1":                        `does not match`,
		"0.10.0":                                `does not start with v; did you mean "v0.10.0"?`,
		"v0.10":                                 `not a canonical semantic version (vMAJOR.MINOR.PATCH[-PRERELEASE]); did you mean "v0.10.0"?`,
		"v0.10.0+build":                         `carries build metadata`,
		"":                                      `does not start with v`,
		"v0.10.0-alpha.1.extra":                 `does not match`,
		"V0.10.0":                               `does not start with v`,
		"v0.16.0 ":                              `"v0.16.0 " has trailing whitespace; did you mean "v0.16.0"?`,
		"v0.16.0\r":                             `"v0.16.0\r" has trailing whitespace; did you mean "v0.16.0"?`,
		" v0.16.0":                              `has leading whitespace; did you mean "v0.16.0"?`,
		"v0.16.0-alpha1\n":                      `has trailing whitespace; did you mean "v0.16.0-alpha.1"?`,
		" \t":                                   `is only whitespace`,
		"v1." + strings.Repeat("1", 200) + ".0": `is 205 bytes long; a version is at most 128`,
	} {
		v, err := version.Parse(s, nil)
		require.ErrorIs(t, err, version.ErrInvalid, "%q", s)
		require.ErrorContains(t, err, want, "%q", s)
		require.True(t, v.IsZero())
		var e *version.Error
		require.True(t, errors.As(err, &e))
		require.LessOrEqual(t, len(e.Input), version.MaxLen+3)
	}
}

func TestParsePattern(t *testing.T) {
	beta := regexp.MustCompile(`^beta\.[0-9]+$`)
	v, err := version.Parse("v0.13.0-beta.1", beta)
	require.NoError(t, err)
	require.True(t, v.IsPreRelease())
	_, err = version.Parse("v0.13.0-alpha.1", beta)
	require.ErrorContains(t, err, `does not match ^beta\.[0-9]+$`)
	require.NotContains(t, err.Error(), "did you mean", "alpha.1 fits the default, not beta")
}

func TestMethods(t *testing.T) {
	rc := parse(t, "v1.2.9-rc.9")
	require.True(t, rc.IsPreRelease())
	require.Equal(t, "v1.2.9", rc.Base().String())
	require.False(t, rc.Base().IsPreRelease())
	require.Equal(t, "v1", rc.Major())
	require.Equal(t, "v0", parse(t, "v0.13.0").Major())
	for s, want := range map[string]string{"v0.13.0": "v0.13.1", "v0.13.0-alpha.1": "v0.13.0-alpha.2", "v1.2.9-rc.9": "v1.2.9-rc.10"} {
		require.Equal(t, want, parse(t, s).Next().String(), s)
	}
	beta, err := version.Parse("v1.0.0-beta", regexp.MustCompile(`^beta$`))
	require.NoError(t, err)
	require.True(t, beta.Next().IsZero(), "no number to count up")
	require.True(t, version.Version{}.Next().IsZero())

	a, b := parse(t, "v0.13.0-alpha.2"), parse(t, "v0.13.0")
	require.True(t, a.Less(b))
	require.Equal(t, 1, b.Compare(a))
	require.Equal(t, 0, a.Compare(parse(t, "v0.13.0-alpha.2")))
	require.True(t, version.Version{}.Less(a))
	require.Equal(t, a, parse(t, "v0.13.0-alpha.2"), "== compares Versions")
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"v0.13.0", "v0.13.0-alpha.1", "0.1", "v1.2.3+x", "v0.16.0 "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := version.Parse(s, nil)
		if err != nil {
			var e *version.Error
			if !errors.As(err, &e) || e.Proposal != "" && e.Proposal == s {
				t.Fatalf("%q: %v", s, err)
			}
			if e.Proposal != "" {
				if _, err := version.Parse(e.Proposal, nil); err != nil {
					t.Fatalf("%q: proposal %q does not parse: %v", s, e.Proposal, err)
				}
			}
			return
		}
		if v.String() != s {
			t.Fatalf("%q parsed as %q", s, v)
		}
		if n := v.Next(); !n.IsZero() && !v.Less(n) {
			t.Fatalf("%q: next %q is not higher", s, n)
		}
	})
}
