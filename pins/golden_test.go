package pins_test

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/fixture"
	"github.com/confidential-containers/release-tools/pins"
)

// The v0.21 cycle's stages of internal/fixture, of which the tests take
// the six files that hold the image tag and aws.yaml, a provider without
// one ([stageFiles]).
const (
	release     = fixture.HelmRelease
	postRelease = fixture.HelmPostrelease
)

// pinFiles are the files of a stage the tests take.
var pinFiles = []string{
	"src/cloud-api-adaptor/install/charts/peerpods/values.yaml",
	"src/cloud-api-adaptor/install/charts/peerpods/providers/aws.yaml",
	"src/cloud-api-adaptor/install/charts/peerpods/providers/docker.yaml",
	"src/cloud-api-adaptor/install/charts/peerpods/providers/libvirt.yaml",
	"src/peerpod-ctrl/chart/values.yaml",
	"src/webhook/chart/values.yaml",
	"src/cloud-providers/Makefile",
}

// stageFiles returns the [pinFiles] of a stage's side, by slash path.
func stageFiles(t testing.TB, stage, side string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, name := range pinFiles {
		b, err := fixture.File(stage, side, name)
		require.NoError(t, err)
		out[name] = b
	}
	return out
}

// stageDir writes a stage's [before] files to a new directory and returns it.
func stageDir(t testing.TB, stage string) string {
	t.Helper()
	dir := t.TempDir()
	writeTree(t, dir, before(t, stage))
	return dir
}

// commentFix is the one-off documentation edit that 02-release made beside
// the pins (libvirt.yaml, docker.yaml and the Makefile's copy of their
// comment). It is not a pin, so the tests make it in their copy of the
// before files and then compare whole files. The peerpods values.yaml
// still says dev-<commit> in its comments after the release: only the
// "Update to" line changed.
var commentFix = [2][]byte{[]byte("Update to dev-<commit> at release time"), []byte("Update to <commit>-dev at release time")}

// readTree returns the files below dir by slash path.
func readTree(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = b
		return err
	})
	require.NoError(t, err)
	return out
}

// writeTree writes files below dir.
func writeTree(t testing.TB, dir string, files map[string][]byte) {
	t.Helper()
	for name, b := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, b, 0o644))
	}
}

// before returns a stage's before files, the comment fixed in 02-release.
func before(t testing.TB, stage string) map[string][]byte {
	t.Helper()
	files := stageFiles(t, stage, "before")
	if stage == release {
		fixed := 0
		for name, b := range files {
			if bytes.Contains(b, commentFix[0]) {
				files[name] = bytes.ReplaceAll(b, commentFix[0], commentFix[1])
				fixed++
			}
		}
		require.Equal(t, 3, fixed, "the files with the dev-<commit> comment")
	}
	return files
}

var stages = []struct {
	stage    string
	sha      string // "" unpins
	from, to pins.State
}{
	{release, sha, pins.Latest, pins.Pinned},
	{postRelease, "", pins.Pinned, pins.Latest},
}

// TestGolden pins (02-release) and unpins (04-postrelease) the v0.21
// places on disk with Set: the whole tree then equals the stage's after/
// byte for byte, and aws.yaml, which has no image tag, is left alone.
func TestGolden(t *testing.T) {
	for _, st := range stages {
		t.Run(filepath.Base(st.stage), func(t *testing.T) {
			t.Parallel()
			root := t.TempDir()
			writeTree(t, root, before(t, st.stage))
			var changed []string
			for _, p := range v021 {
				got, err := pins.Read(root, p)
				require.NoError(t, err)
				for _, ft := range got {
					state, _ := pins.ClassifyTag(p.Template, ft.Tag)
					require.Equal(t, st.from, state, ft.File)
				}
				files, err := pins.Set(root, p, pins.Tag(p.Template, st.sha))
				require.NoError(t, err, p)
				changed = append(changed, files...)
				got, err = pins.Read(root, p)
				require.NoError(t, err)
				for _, ft := range got {
					state, commit := pins.ClassifyTag(p.Template, ft.Tag)
					require.Equal(t, st.to, state, ft.File)
					require.Equal(t, st.sha, commit, ft.File)
				}
			}
			require.Len(t, changed, 6)
			want := stageFiles(t, st.stage, "after")
			got := readTree(t, root)
			require.Len(t, got, len(want))
			for name, b := range want {
				require.Equal(t, string(b), string(got[name]), name)
			}

			// Again: nothing left to change.
			for _, p := range v021 {
				files, err := pins.Set(root, p, pins.Tag(p.Template, st.sha))
				require.NoError(t, err)
				require.Empty(t, files, p)
			}
		})
	}
}

// TestGoldenBytes is TestGolden in memory, through ReadBytes and SetBytes,
// file by file: only a file Files lists changes.
func TestGoldenBytes(t *testing.T) {
	for _, st := range stages {
		t.Run(filepath.Base(st.stage), func(t *testing.T) {
			files := before(t, st.stage)
			want := stageFiles(t, st.stage, "after")
			dir := stageDir(t, st.stage)
			pinned := 0
			for _, p := range v021 {
				names, err := pins.Files(dir, p)
				require.NoError(t, err)
				for _, name := range names {
					out, err := pins.SetBytes(p, files[name], pins.Tag(p.Template, st.sha))
					if p.Optional && errors.Is(err, pins.ErrNoKey) {
						require.Equal(t, string(want[name]), string(files[name]), name)
						continue
					}
					require.NoError(t, err, name)
					require.Equal(t, string(want[name]), string(out), name)
					pinned++
				}
			}
			require.Equal(t, 6, pinned)
		})
	}
}
