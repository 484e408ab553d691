package tags_test

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/confidential-containers/release-tools/gomod"
	"github.com/confidential-containers/release-tools/tags"
)

// BenchmarkTags6Modules10kCommits plans, creates and pushes the tags of
// the 6 CAA modules on a repository with 10,000 commits: one iteration is
// one version's full run (fetch, read go.mod files, list remote tags, tag,
// one atomic push). bench/tags/cli.sh does the same with the git CLI.
func BenchmarkTags6Modules10kCommits(b *testing.B) {
	mods := map[string]string{}
	for name, data := range caaGoMods(b, "04-release-gomod-bump", "after") {
		mods[name] = string(bytes.ReplaceAll(data, []byte(" v0.13.0"), []byte(" "+gomod.ZeroPseudoVersion)))
	}
	benchmarkTags(b, mods, 10000, 5, []string{podvm})
}

// BenchmarkTags200Modules plans, creates and pushes the tags of 200
// modules (module i requires module i/2) in one atomic push.
func BenchmarkTags200Modules(b *testing.B) {
	mods := map[string]string{}
	for i := range 200 {
		gm := fmt.Sprintf("module example.com/r/m%03d\n", i)
		if i > 0 {
			gm += fmt.Sprintf("\nrequire example.com/r/m%03d %s\n", i/2, gomod.ZeroPseudoVersion)
		}
		mods[fmt.Sprintf("m%03d/go.mod", i)] = gm
	}
	benchmarkTags(b, mods, 100, 200, nil)
}

func benchmarkTags(b *testing.B, files map[string]string, commits, want int, exclude []string) {
	dir, remote := b.TempDir(), b.TempDir()
	buildHistory(b, dir, remote, files, commits)
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		v := ver(b, fmt.Sprintf("v1.0.%d", i))
		p, err := tags.NewPlan(ctx, openRepo(b, dir), dir, v, tags.Options{Exclude: exclude})
		if err != nil {
			b.Fatal(err)
		}
		if len(p.Tags) != want {
			b.Fatalf("%d tags, want %d", len(p.Tags), want)
		}
		if err := p.Apply(ctx); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// buildHistory makes a repository in dir with commits commits (the last
// one adding files) through git fast-import, and a bare remote holding main.
func buildHistory(b *testing.B, dir, remote string, files map[string]string, commits int) {
	b.Helper()
	git := func(dir string, stdin []byte, args ...string) {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Stdin = bytes.NewReader(stdin)
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	var s bytes.Buffer
	for c := 1; c <= commits; c++ {
		fmt.Fprintf(&s, "commit refs/heads/main\nmark :%d\ncommitter T <t@example.com> %d +0000\ndata 8\ncommit %d\n", c, 1700000000+c, c%10)
		if c > 1 {
			fmt.Fprintf(&s, "from :%d\n", c-1)
		}
		content := fmt.Sprintf("%d\n", c)
		fmt.Fprintf(&s, "M 100644 inline history.txt\ndata %d\n%s\n", len(content), content)
		if c == commits {
			for name, data := range files {
				fmt.Fprintf(&s, "M 100644 inline %s\ndata %d\n%s\n", name, len(data), data)
			}
		}
	}
	git(filepath.Dir(dir), nil, "init", "-q", "-b", "main", dir)
	git(dir, s.Bytes(), "fast-import", "--quiet")
	git(dir, nil, "reset", "-q", "--hard", "main")
	git(filepath.Dir(remote), nil, "init", "-q", "--bare", "-b", "main", remote)
	git(dir, nil, "remote", "add", "origin", "file://"+remote)
	git(dir, nil, "push", "-q", "origin", "main")
}
