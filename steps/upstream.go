package steps

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/confidential-containers/release-tools/internal/gitremote"
	"github.com/confidential-containers/release-tools/phase"
)

// ErrBehind is returned, wrapped, by [Upstream] for a branch that is
// behind or diverged from the remote's release branch: a phase's commits
// would be made on a stale tree, and a pull request would carry commits
// the release branch has already (or copies of them). The error is a
// [*CommandsError] whose commands are the git commands that catch up.
var ErrBehind = errors.New("branch behind the remote's release branch")

// ErrNoRemote is returned, wrapped, by [Upstream] when the repository has
// no remote of the name given; ErrNoBranch when the remote has no branch
// of the name given.
var (
	ErrNoRemote = gitremote.ErrNoRemote
	ErrNoBranch = gitremote.ErrNoRemoteBranch
)

// Upstream is the first step of every committing phase: HEAD must have
// every commit of branch of the remote named remote (the release branch)
// as the remote has it now (read fresh; nothing is fetched, so a dry run writes nothing). Equal
// or ahead is fine, and an ahead branch's commits are named: they are not
// the phase's, and a pull request would carry them too. Behind or
// diverged is an error wrapping [ErrBehind] that says how many commits
// each side has and the git commands that catch up. A remote that cannot
// be read stops the phase too: publishing from a stale branch is what the
// check prevents.
func Upstream(remote, branch string) phase.Check {
	track := remote + "/" + branch
	return phase.Check{Name: "check the branch against " + track, Run: func(ctx context.Context, t *phase.Tree) (string, error) {
		repo, err := t.Repository()
		if err != nil {
			return "", err
		}
		s, err := gitremote.Upstream(ctx, repo, t.Root, remote, branch, t.Waiting)
		switch {
		case errors.Is(err, ErrNoRemote):
			return "", fixedBy(fmt.Errorf("%w: the release remote is the one whose %s the phase's commits go to: add it (git remote add %s <url>), or name another remote in the configuration",
				err, branch, remote), "git remote add "+remote+" <url>")
		case errors.Is(err, ErrNoBranch):
			return "", fmt.Errorf("%w: nothing to compare with; push it if the repository is new (git push %s %s), or name the release branch in the configuration",
				err, remote, branch)
		case err != nil:
			return "", fmt.Errorf("%w: cannot tell whether the branch has every commit of %s, and a phase does not commit on a branch that may be stale: check the network and the remote's URL (git remote get-url %s), then run again",
				err, track, remote)
		}
		return standing(s)
	}}
}

// fixedBy is err, put right by commands.
func fixedBy(err error, commands ...string) error {
	return &CommandsError{Commands: commands, Err: err}
}

// standing is the check's outcome for s: a line for equal or ahead, an
// error wrapping [ErrBehind] otherwise.
func standing(s *gitremote.Standing) (string, error) {
	track, remote, branch := s.Tracking(), s.Remote, s.RemoteBranch
	pull := func(how string) string { return "git pull " + how + " " + remote + " " + branch }
	switch {
	case !s.Known:
		return "", fixedBy(fmt.Errorf("%w: %s is at %s on %s now, a commit this repository has not fetched: %s is behind or diverged from it; fetch it (git fetch %s), then rebase %s on it (git rebase %s) or merge it (git merge %s), or run again to see how far apart they are",
			ErrBehind, track, shortSHA(s.RemoteHead), remote, s.Branch, remote, s.Branch, track, track), "git fetch "+remote)
	case len(s.Behind) > 0 && len(s.Ahead) == 0:
		return "", fixedBy(fmt.Errorf("%w: %s is %s behind %s as %s has it now (%s): catch up with git pull --ff-only %s %s (or rebase)",
			ErrBehind, s.Branch, nCommits(len(s.Behind)), track, remote, firstLines(s.Behind), remote, branch), pull("--ff-only"))
	case len(s.Behind) > 0:
		found := fmt.Sprintf("%s has %s %s lacks (%s) and %s has %s %s lacks (%s)",
			s.Branch, nCommits(len(s.Ahead)), track, firstLines(s.Ahead), track, nCommits(len(s.Behind)), s.Branch, firstLines(s.Behind))
		if sameSubjects(s.Ahead, s.Behind) {
			return "", fixedBy(fmt.Errorf("%w: %s; every commit of %s has a copy on %s (merged by a rebase or a squash?), which a rebase drops: git pull --rebase %s %s",
				ErrBehind, found, s.Branch, track, remote, branch), pull("--rebase"))
		}
		return "", fixedBy(fmt.Errorf("%w: %s: rebase %s on it with git pull --rebase %s %s, or merge it with git pull --no-rebase %s %s",
			ErrBehind, found, s.Branch, remote, branch, remote, branch), pull("--rebase"), pull("--no-rebase"))
	case len(s.Ahead) > 0:
		return fmt.Sprintf("%s is %s ahead of %s, not this phase's (a pull request carries them too): %s",
			s.Branch, nCommits(len(s.Ahead)), track, firstLines(s.Ahead)), nil
	}
	return fmt.Sprintf("%s is at %s (%s)", s.Branch, track, shortSHA(s.RemoteHead)), nil
}

// firstLines are the first three commits and a count of the rest.
func firstLines(ls []gitremote.Line) string {
	var out []string
	for i, l := range ls {
		if i == 3 {
			out = append(out, fmt.Sprintf("and %d more", len(ls)-i))
			break
		}
		out = append(out, l.String())
	}
	return strings.Join(out, ", ")
}

// sameSubjects reports whether every commit of ahead has one of behind's
// subjects: commits merged as copies.
func sameSubjects(ahead, behind []gitremote.Line) bool {
	subjects := map[string]bool{}
	for _, l := range behind {
		subjects[l.Subject] = true
	}
	for _, l := range ahead {
		if !subjects[l.Subject] {
			return false
		}
	}
	return true
}

func nCommits(n int) string {
	if n == 1 {
		return "1 commit"
	}
	return fmt.Sprintf("%d commits", n)
}

func shortSHA(sha string) string { return sha[:min(12, len(sha))] }
