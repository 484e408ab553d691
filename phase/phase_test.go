package phase_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"testing"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/gitfixture"
	"github.com/confidential-containers/release-tools/internal/gitrepo"
	"github.com/confidential-containers/release-tools/internal/slow"
	"github.com/confidential-containers/release-tools/phase"
)

// twoFiles is the repository repo copies, built once.
var twoFiles = gitfixture.Template{Build: func(dirs ...string) error {
	_, err := gitfixture.Init(dirs[0], map[string][]byte{"a/go.mod": []byte("module a\n"), "b.yaml": []byte("b: 1\n")}, "init")
	return err
}}

// repo makes a repository with two files committed on main.
func repo(t *testing.T) (string, plumbing.Hash) {
	t.Helper()
	slow.Git(t)
	root := t.TempDir()
	require.NoError(t, twoFiles.Copy(root))
	r, err := git.PlainOpen(root)
	require.NoError(t, err)
	head, err := r.Head()
	require.NoError(t, err)
	return root, head.Hash()
}

func set(path, value string) phase.Edit {
	return phase.Edit{Name: "set " + path, Plan: func(_ context.Context, t *phase.Tree) (string, error) {
		_, err := t.Write(path, []byte(value))
		return "", err
	}}
}

// goFunc is a go command runner that runs f instead.
type goFunc func(dir string) error

func (g goFunc) Get(_ context.Context, dir, _, _ string) error { return g(dir) }
func (g goFunc) Tidy(_ context.Context, dir string) error      { return g(dir) }

func branch(t *testing.T, root string) plumbing.Hash {
	t.Helper()
	r, err := git.PlainOpen(root)
	require.NoError(t, err)
	ref, err := r.Reference(plumbing.NewBranchReferenceName("main"), true)
	require.NoError(t, err)
	return ref.Hash()
}

func read(t *testing.T, root, p string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(p)))
	require.NoError(t, err)
	return string(data)
}

// TestCreateAndRemove: a phase creates a file and removes another, in one
// commit, and the work tree is clean after it.
func TestCreateAndRemove(t *testing.T) {
	t.Parallel()
	root, head := repo(t)
	p := &phase.Phase{Name: "p", Root: root, Git: openRepo(t, root), Steps: []phase.Step{
		set("c/new.lock", "new\n"),
		phase.Edit{Name: "remove b.yaml", Plan: func(_ context.Context, t *phase.Tree) (string, error) {
			_, err := t.Remove("b.yaml")
			return "", err
		}},
		phase.Commit{Message: "create and remove"},
	}}
	var out strings.Builder
	require.NoError(t, p.Run(t.Context(), phase.Options{Out: &out}))
	require.Contains(t, out.String(), "--- /dev/null\n    +++ b/c/new.lock\n    @@ -0,0 +1,1 @@\n    +new\n")
	require.Contains(t, out.String(), "--- a/b.yaml\n    +++ /dev/null\n    @@ -1,1 +0,0 @@\n    -b: 1\n")
	require.NoFileExists(t, filepath.Join(root, "b.yaml"))
	require.Equal(t, "new\n", read(t, root, "c/new.lock"))
	r, err := git.PlainOpen(root)
	require.NoError(t, err)
	c, err := r.CommitObject(branch(t, root))
	require.NoError(t, err)
	require.Equal(t, head, c.ParentHashes[0])
	_, err = c.File("b.yaml")
	require.Error(t, err, "b.yaml must be gone from the commit")
	f, err := c.File("c/new.lock")
	require.NoError(t, err)
	got, err := f.Contents()
	require.NoError(t, err)
	require.Equal(t, "new\n", got)
	wt, err := r.Worktree()
	require.NoError(t, err)
	st, err := wt.Status()
	require.NoError(t, err)
	require.True(t, st.IsClean(), st.String())
}

// TestRestoreFailureKeepsBytes: a go command that leaves a directory where
// the phase wrote a file makes the rollback fail for that file: the error
// names it and where its bytes from before the phase are, and nothing is
// deleted. (The rollback used to read any read error as "absent" and
// delete the file.)
func TestRestoreFailureKeepsBytes(t *testing.T) {
	t.Parallel()
	root, head := repo(t)
	boom := errors.New("tidy failed")
	p := &phase.Phase{Name: "p", Root: root, Git: openRepo(t, root), Steps: []phase.Step{
		set("b.yaml", "b: 2\n"),
		phase.Go{Dir: "a"},
		phase.Commit{Message: "m"},
	}}
	err := p.Run(t.Context(), phase.Options{Go: goFunc(func(dir string) error {
		name := filepath.Join(dir, "go.mod")
		require.NoError(t, os.Remove(name))
		require.NoError(t, os.Mkdir(name, 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(name, "keep"), []byte("x"), 0o644))
		return boom
	})})
	require.ErrorIs(t, err, boom)
	var se *phase.StepError
	require.ErrorAs(t, err, &se)
	require.Equal(t, 1, se.Restored, "b.yaml is put back")
	var re *phase.RestoreError
	require.ErrorAs(t, err, &re)
	require.Equal(t, []string{"a/go.mod"}, re.Files)
	require.Contains(t, err.Error(), re.Saved)
	saved, rerr := os.ReadFile(filepath.Join(re.Saved, "a", "go.mod"))
	require.NoError(t, rerr)
	require.Equal(t, "module a\n", string(saved))
	require.Equal(t, "b: 1\n", read(t, root, "b.yaml"))
	require.DirExists(t, filepath.Join(root, "a", "go.mod"), "what could not be read is not deleted")
	require.Equal(t, head, branch(t, root))
	os.RemoveAll(re.Saved)
}

// TestCancelBeforeApply: a context cancelled while the phase is planned
// writes nothing.
func TestCancelBeforeApply(t *testing.T) {
	t.Parallel()
	root, head := repo(t)
	ctx, cancel := context.WithCancel(t.Context())
	p := &phase.Phase{Name: "p", Root: root, Git: openRepo(t, root), Steps: []phase.Step{
		phase.Check{Name: "slow check", Run: func(context.Context, *phase.Tree) (string, error) {
			cancel()
			return "fine", nil
		}},
		set("b.yaml", "b: 2\n"),
		phase.Commit{Message: "m"},
	}}
	err := p.Run(ctx, phase.Options{})
	require.ErrorIs(t, err, context.Canceled)
	require.Contains(t, err.Error(), "cancelled before anything was written")
	require.Equal(t, "b: 1\n", read(t, root, "b.yaml"))
	require.Equal(t, head, branch(t, root))
}

// TestSkippedCheck: a check that could not be made is reported and the
// phase goes on; any other error of a check stops the plan.
func TestSkippedCheck(t *testing.T) {
	t.Parallel()
	root, _ := repo(t)
	skip := &phase.Phase{Name: "p", Root: root, Git: openRepo(t, root), Steps: []phase.Step{
		phase.Check{Name: "ask the network", Run: func(context.Context, *phase.Tree) (string, error) {
			return "", phase.Skip("unreachable")
		}},
	}}
	var out strings.Builder
	require.NoError(t, skip.Run(t.Context(), phase.Options{DryRun: true, Out: &out}))
	require.Contains(t, out.String(), "  -   ask the network: skipped: unreachable\n")
	fail := &phase.Phase{Name: "p", Root: root, Git: openRepo(t, root), Steps: []phase.Step{
		phase.Check{Name: "read a key", Run: func(context.Context, *phase.Tree) (string, error) {
			return "", errors.New("no such key")
		}},
	}}
	require.ErrorContains(t, fail.Run(t.Context(), phase.Options{DryRun: true}), "p: read a key: no such key")
}

// TestDetachedHEAD: a phase that commits refuses a detached HEAD: its
// commits would be on no branch.
func TestDetachedHEAD(t *testing.T) {
	t.Parallel()
	root, head := repo(t)
	r, err := git.PlainOpen(root)
	require.NoError(t, err)
	require.NoError(t, r.Storer.SetReference(plumbing.NewHashReference(plumbing.HEAD, head)))
	p := &phase.Phase{Name: "p", Root: root, Git: openRepo(t, root), Steps: []phase.Step{set("b.yaml", "b: 2\n"), phase.Commit{Message: "m"}}}
	err = p.Run(t.Context(), phase.Options{})
	require.ErrorIs(t, err, phase.ErrDetached)
	require.Equal(t, "b: 1\n", read(t, root, "b.yaml"))
}

// TestTreeRefusesOutside: paths that leave the repository, or go through a
// symbolic link, are refused while planning.
func TestTreeRefusesOutside(t *testing.T) {
	t.Parallel()
	root, _ := repo(t)
	outside := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(outside, "x.yaml"), []byte("x: 1\n"), 0o644))
	require.NoError(t, os.Symlink(outside, filepath.Join(root, "link")))
	tree := phase.NewTree(root)
	for _, p := range []string{"../x.yaml", "/etc/passwd", "a/../../x.yaml", "./b.yaml", "", "link/x.yaml"} {
		_, err := tree.Edit(p, func(b []byte) ([]byte, error) { return b, nil })
		require.ErrorIs(t, err, phase.ErrOutside, p)
	}
	_, err := tree.Read("nope.yaml")
	require.ErrorIs(t, err, fs.ErrNotExist)
}

// TestGoDrops: a go command that removes more than MaxDrops requires (a
// tidy on a tree whose packages do not import them) or one the step must
// keep stops the phase, which restores every file; AllowDrops lets the
// drops through.
func TestGoDrops(t *testing.T) {
	slow.Git(t)
	t.Parallel()
	gomod := "module a\n\ngo 1.25\n\nrequire (\n"
	for i := range MaxDropsPlus {
		gomod += "\tex.com/m" + string(rune('a'+i)) + " v1.0.0\n"
	}
	gomod += "\tex.com/own v0.1.0\n)\n"
	tidyAll := goFunc(func(dir string) error { // what tidy does on a tree without sources
		return os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module a\n\ngo 1.25\n"), 0o644)
	})
	for _, tc := range []struct {
		name  string
		step  phase.Go
		allow bool
		err   string
	}{
		{"too many drops", phase.Go{Dir: "a"}, false, "go mod tidy (in a) removed 7 requires from a/go.mod (ex.com/ma, ex.com/mb"},
		{"a require to keep", phase.Go{Dir: "a", Keep: map[string]string{"ex.com/own": "v0.1.0"}}, true, "a/go.mod must require ex.com/own v0.1.0, but go mod tidy (in a) removed it"},
		{"allowed", phase.Go{Dir: "a"}, true, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			_, err := gitfixture.Init(root, map[string][]byte{"a/go.mod": []byte(gomod)}, "init")
			require.NoError(t, err)
			p := &phase.Phase{Name: "p", Root: root, Git: openRepo(t, root), Steps: []phase.Step{tc.step, phase.Commit{Message: "m"}}}
			err = p.Run(t.Context(), phase.Options{Go: tidyAll, AllowDrops: tc.allow})
			if tc.err == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, phase.ErrDrops)
			require.ErrorContains(t, err, tc.err)
			require.Equal(t, gomod, read(t, root, "a/go.mod"), "restored")
		})
	}
}

// MaxDropsPlus is one more require than a go command may drop.
const MaxDropsPlus = phase.MaxDrops + 1

// TestCancelDuringApply: a context cancelled while the phase writes (here
// by its go command, as SIGINT or SIGTERM would) stops it before the next
// step and restores every file; the branch stays.
func TestCancelDuringApply(t *testing.T) {
	t.Parallel()
	root, head := repo(t)
	ctx, cancel := context.WithCancel(t.Context())
	p := &phase.Phase{Name: "p", Root: root, Git: openRepo(t, root), Steps: []phase.Step{
		set("b.yaml", "b: 2\n"),
		phase.Go{Dir: "a"},
		set("c.yaml", "c: 1\n"),
		phase.Commit{Message: "m"},
	}}
	err := p.Run(ctx, phase.Options{Go: goFunc(func(string) error { cancel(); return nil })})
	require.ErrorIs(t, err, context.Canceled)
	require.Equal(t, "b: 1\n", read(t, root, "b.yaml"), "restored")
	require.NoFileExists(t, filepath.Join(root, "c.yaml"))
	require.Equal(t, head, branch(t, root))
}

// TestPanicRestores: a step that panics after the phase wrote a file,
// created another and made a commit is a failure like any other: every
// file is put back (the created one removed), the branch stays, and the
// panic is reported as a [*phase.PanicError] with its stack. (A panic used
// to skip the restore and leave the edits and the new file behind.)
func TestPanicRestores(t *testing.T) {
	t.Parallel()
	root, head := repo(t)
	p := &phase.Phase{Name: "p", Root: root, Git: openRepo(t, root), Steps: []phase.Step{
		set("b.yaml", "b: 2\n"),
		set("c/new.lock", "new\n"),
		phase.Commit{Message: "first"},
		phase.Go{Dir: "a"},
		phase.Commit{Message: "second"},
	}}
	err := p.Run(t.Context(), phase.Options{Go: goFunc(func(dir string) error {
		require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module a\n\ngo 1.25\n"), 0o644))
		var m map[string]int
		m["boom"]++ // a nil map: the kind of bug a step can have
		return nil
	})})
	var pe *phase.PanicError
	require.ErrorAs(t, err, &pe, "%v", err)
	require.Contains(t, err.Error(), "assignment to entry in nil map")
	require.Contains(t, string(pe.Stack), "phase_test.go")
	var se *phase.StepError
	require.ErrorAs(t, err, &se)
	require.Equal(t, "go mod tidy (in a)", se.Step)
	require.Equal(t, "b: 1\n", read(t, root, "b.yaml"))
	require.Equal(t, "module a\n", read(t, root, "a/go.mod"))
	require.NoFileExists(t, filepath.Join(root, "c", "new.lock"))
	require.Equal(t, head, branch(t, root))
	r, err := git.PlainOpen(root)
	require.NoError(t, err)
	wt, err := r.Worktree()
	require.NoError(t, err)
	st, err := wt.Status()
	require.NoError(t, err)
	require.True(t, st.IsClean(), st.String())
	require.NoFileExists(t, filepath.Join(root, ".git", "release-tools.lock"), "the repository lock is given back")
}

// TestInProgress: a merge (or cherry-pick, revert, rebase) in progress is
// refused, named, and nothing is written. (The phase used to commit, and
// the user's next git commit became a merge commit.)
func TestInProgress(t *testing.T) {
	t.Parallel()
	git := func(root string, args ...string) { gitfixture.Git(t, root, args...) }
	for _, tc := range []struct{ name, want string }{
		{"merge", "a merge is in progress"},
		{"cherry-pick", "a cherry-pick is in progress"},
		{"rebase", "a rebase is in progress"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root, head := repo(t)
			git(root, "checkout", "-q", "-b", "other")
			require.NoError(t, os.WriteFile(filepath.Join(root, "c.txt"), []byte("c\n"), 0o644))
			git(root, "add", "c.txt")
			git(root, "commit", "-q", "-m", "other")
			git(root, "checkout", "-q", "main")
			switch tc.name {
			case "merge": // resolved to main's side: a clean tree, MERGE_HEAD left
				git(root, "merge", "-q", "--no-commit", "-s", "ours", "other")
			case "cherry-pick": // stopped on a conflict, then put back by hand
				require.NoError(t, os.WriteFile(filepath.Join(root, "c.txt"), []byte("mine\n"), 0o644))
				git(root, "add", "c.txt")
				git(root, "commit", "-q", "-m", "mine")
				head = branch(t, root)
				cmd := exec.Command("git", "cherry-pick", "other")
				cmd.Dir = root
				require.Error(t, cmd.Run())
				git(root, "checkout", "HEAD", "--", "c.txt")
			case "rebase": // an interactive rebase stopped at edit
				cmd := exec.Command("git", "rebase", "-i", "--root")
				cmd.Dir = root
				cmd.Env = append(os.Environ(), "GIT_SEQUENCE_EDITOR=sed -i s/^pick/edit/")
				out, err := cmd.CombinedOutput()
				require.NoError(t, err, string(out))
				head = branch(t, root)
			}
			p := &phase.Phase{Name: "p", Root: root, Git: openRepo(t, root), Steps: []phase.Step{set("b.yaml", "b: 2\n"), phase.Commit{Message: "m"}}}
			err := p.Run(t.Context(), phase.Options{})
			require.ErrorIs(t, err, phase.ErrInProgress)
			require.ErrorContains(t, err, tc.want)
			require.ErrorContains(t, err, "--abort")
			require.Equal(t, "b: 1\n", read(t, root, "b.yaml"))
			require.Equal(t, head, branch(t, root))
		})
	}
}

// TestGoRefusesSymlinks: a go.sum (or go.mod, or the module's directory)
// that is a symbolic link stops the phase while it is planned: go mod tidy
// wrote through the link, outside the repository, and the commit recorded
// the link to an emptied blob.
func TestGoRefusesSymlinks(t *testing.T) {
	t.Parallel()
	for _, link := range []string{"a/go.sum", "a/go.mod", "a"} {
		t.Run(link, func(t *testing.T) {
			root, _ := repo(t)
			outside := filepath.Join(t.TempDir(), "target")
			require.NoError(t, os.MkdirAll(outside, 0o755))
			require.NoError(t, os.WriteFile(filepath.Join(outside, "go.mod"), []byte("module a\n"), 0o644))
			name := filepath.Join(root, filepath.FromSlash(link))
			require.NoError(t, os.RemoveAll(name))
			target := outside
			if link != "a" {
				target = filepath.Join(outside, path.Base(link))
			}
			require.NoError(t, os.Symlink(target, name))
			gitfixture.Git(t, root, "add", "-A")
			gitfixture.Git(t, root, "commit", "-q", "-m", "a link")
			head := branch(t, root)
			ran := false
			p := &phase.Phase{Name: "p", Root: root, Git: openRepo(t, root), Steps: []phase.Step{set("b.yaml", "b: 2\n"), phase.Go{Dir: "a"}, phase.Commit{Message: "m"}}}
			err := p.Run(t.Context(), phase.Options{NoCommit: true, Go: goFunc(func(string) error { ran = true; return nil })})
			require.ErrorIs(t, err, phase.ErrOutside)
			require.ErrorContains(t, err, "is a symbolic link")
			require.False(t, ran, "the go command never runs")
			require.Equal(t, "b: 1\n", read(t, root, "b.yaml"))
			require.Equal(t, head, branch(t, root))
		})
	}
}

// TestRunKeepsWhatItWrote: a check that rewrites a file the phase edited
// and adds another fails the phase; both are left exactly as the check
// wrote them, the phase's other file is put back, the branch stays, and
// the error names each kind. A check that fails after writing keeps its
// file too.
func TestRunKeepsWhatItWrote(t *testing.T) {
	t.Parallel()
	for name, script := range map[string]string{
		"changes": "printf 'b: 3\\n' > b.yaml; printf 'x\\n' > d.txt",
		"exits 2": "printf 'b: 3\\n' > b.yaml; printf 'x\\n' > d.txt; exit 2",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			root, head := repo(t)
			p := &phase.Phase{Name: "p", Root: root, Git: openRepo(t, root), Steps: []phase.Step{
				set("b.yaml", "b: 2\n"),
				set("c.yaml", "c: 1\n"),
				phase.Run{Args: []string{"sh", "-c", script}},
				phase.Commit{Message: "m"},
			}}
			err := p.Run(t.Context(), phase.Options{})
			require.ErrorIs(t, err, phase.ErrRunFailed)
			var se *phase.StepError
			require.ErrorAs(t, err, &se)
			require.Equal(t, []string{"b.yaml", "d.txt"}, se.Kept)
			require.Equal(t, []string{"c.yaml"}, se.RestoredFiles)
			require.Contains(t, err.Error(), "kept as the check wrote them: b.yaml, d.txt\nrestored to their bytes before the phase: c.yaml; the branch did not move")
			require.Equal(t, "b: 3\n", read(t, root, "b.yaml"))
			require.Equal(t, "x\n", read(t, root, "d.txt"))
			require.NoFileExists(t, filepath.Join(root, "c.yaml"))
			require.Equal(t, head, branch(t, root))
		})
	}
}

// openRepo is the handle of the repository at root, as release.New opens it.
func openRepo(t testing.TB, root string) *git.Repository {
	t.Helper()
	repo, err := gitrepo.Open(root)
	require.NoError(t, err)
	return repo
}

// TestNoRepositoryHandle: a phase is given the repository's handle by
// whoever built it (release.New opens it once); one without it is refused,
// and nothing is opened behind the caller's back.
func TestNoRepositoryHandle(t *testing.T) {
	root := t.TempDir()
	p := &phase.Phase{Name: "p", Root: root, Steps: []phase.Step{set("b.yaml", "b: 2\n")}}
	require.ErrorIs(t, p.Run(context.Background(), phase.Options{DryRun: true}), phase.ErrNoRepository)
	_, err := phase.NewTree(root).Repository()
	require.ErrorIs(t, err, phase.ErrNoRepository)
	_, err = os.Stat(filepath.Join(root, "b.yaml"))
	require.ErrorIs(t, err, os.ErrNotExist, "nothing written")
}
