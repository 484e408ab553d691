//go:build linux

package phase_test

import (
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/run"
	"github.com/confidential-containers/release-tools/internal/slow"
	"github.com/confidential-containers/release-tools/phase"
)

// fullDiskChild is set in the environment of the process that runs the
// full-disk test under its file size limit.
const fullDiskChild = "RELEASE_TOOLS_FULLDISK_CHILD"

// TestFullDisk: a write that fails for want of room while the commits
// are written (simulated with a limit on the size of a file, which makes
// a write fail with EFBIG as a full disk makes it fail with ENOSPC) leaves
// a repository git fsck finds whole: the phase either fails, its files
// put back and its branch where it was, or succeeds; run again with room,
// it commits. With a limit of 1 KiB a small commit fits as loose objects
// but not go-git's pack index, which used to be left empty (a re-run then
// said "done" while git fsck reported an invalid sha1 pointer); with 1 MiB,
// the 1.5 MiB file's object cannot be written at all.
//
// The limit is the whole process's: the test runs in a child process of
// its own (the test binary again), so that neither another test nor the
// test binary's own log (go test's cache log, which grows past any small
// limit) writes under it.
func TestFullDisk(t *testing.T) {
	slow.Git(t)
	if os.Getenv(fullDiskChild) == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestFullDisk$", "-test.v")
		cmd.Env = append(os.Environ(), fullDiskChild+"=1")
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "the full-disk test in its own process:\n%s", out)
		require.Contains(t, string(out), "--- PASS: TestFullDisk/object")
		return
	}
	for _, tc := range []struct {
		name  string
		size  int
		limit uint64
	}{
		{"pack index", 10, 1 << 10},
		{"object", 3 << 19, 1 << 20}, // random bytes: no smaller compressed
	} {
		t.Run(tc.name, func(t *testing.T) {
			root, head := repo(t)
			data := make([]byte, tc.size) // random: as large compressed
			_, err := rand.Read(data)
			require.NoError(t, err)
			p := &phase.Phase{Name: "p", Root: root, Git: openRepo(t, root), Steps: []phase.Step{
				set("data.bin", string(data)), phase.Go{Dir: "a"}, phase.Commit{Message: "data"},
			}}

			var old syscall.Rlimit
			require.NoError(t, syscall.Getrlimit(syscall.RLIMIT_FSIZE, &old))
			unlimit := func() {
				require.NoError(t, syscall.Setrlimit(syscall.RLIMIT_FSIZE, &old))
				signal.Reset(syscall.SIGXFSZ)
			}
			t.Cleanup(unlimit)
			err = p.Run(t.Context(), phase.Options{Go: goFunc(func(string) error {
				// The files are written; from here on, no file grows
				// past the limit, and a write past it fails with EFBIG.
				signal.Ignore(syscall.SIGXFSZ)
				lim := old
				lim.Cur = tc.limit
				return syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim)
			})})
			unlimit()
			fsck := func(when string) {
				t.Helper()
				_, err := run.Cmd(t.Context(), root, nil, "git", "fsck", "--strict", "--no-dangling")
				require.NoError(t, err, when)
			}
			fsck(fmt.Sprintf("after a run with the limit (%v)", err))
			if err != nil {
				var se *phase.StepError
				require.True(t, errors.As(err, &se), "%v", err)
				require.Equal(t, head, branch(t, root))
				require.NoFileExists(t, filepath.Join(root, "data.bin"))
				require.NoError(t, p.Run(t.Context(), phase.Options{Go: goFunc(func(string) error { return nil })}))
				fsck("after a run with room")
			}
			out, err := run.Cmd(t.Context(), root, nil, "git", "cat-file", "-s", "HEAD:data.bin")
			require.NoError(t, err)
			require.Equal(t, fmt.Sprintf("%d\n", tc.size), string(out))
		})
	}
}
