// Package repolock is the lock that lets one run of the release tools at
// a time write a repository: the file release-tools.lock in the git
// directory of the work tree (its own one, for a linked work tree), which
// names the run that holds it, so that a second run is told who holds it
// and whether that run is gone.
package repolock

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/confidential-containers/release-tools/internal/gitrepo"
)

// ErrBusy is returned, wrapped in a [*BusyError], when another run of the
// release tools holds the repository.
var ErrBusy = errors.New("repository in use by another release-tools run")

// RepoLockFile is the lock file, in the git directory, that a run holds
// while it writes the repository.
const RepoLockFile = "release-tools.lock"

// BusyError is a repository whose lock file another run holds: who holds
// it, since when, and whether that run is certainly gone (Stale: its
// process no longer runs on this host). It wraps [ErrBusy].
type BusyError struct {
	File    string // the lock file's path
	PID     int    // 0 when the file could not be read (being written)
	Host    string
	What    string // what the holder runs ("release", a phase's name)
	Started time.Time
	Stale   bool
}

func (e *BusyError) Error() string {
	if e.PID == 0 {
		return fmt.Sprintf("%v: %s is held by a run that is starting; wait for it to finish", ErrBusy, e.File)
	}
	who := fmt.Sprintf("the run of %q (pid %d on %s, started %s) holds %s", e.What, e.PID, e.Host, e.Started.Format(time.RFC3339), e.File)
	if e.Stale {
		return fmt.Sprintf("%v: %s, but pid %d is no longer running on this host: the lock is stale; remove it (rm %s) and run again (a run killed while it applied leaves the files it wrote changed: see git status)", ErrBusy, who, e.PID, e.File)
	}
	return fmt.Sprintf("%v: %s; wait for it to finish (if it is gone, remove the lock: rm %s)", ErrBusy, who, e.File)
}

func (e *BusyError) Unwrap() error { return ErrBusy }

// RepoLock is a held repository lock; see [LockRepo].
type RepoLock struct {
	file string
}

// LockRepo takes the repository's lock for one run that writes it: it
// creates .git/release-tools.lock exclusively (a hard link, as exclusive
// as O_EXCL, of a file written whole beforehand), holding this process's pid,
// the host and the start time, and what runs. If another run holds it, the
// error is a [*BusyError] naming that run, and saying whether the lock is
// stale. [RepoLock.Unlock] gives it back.
func LockRepo(root, what string) (*RepoLock, error) {
	dir, err := gitrepo.GitDir(root)
	if err != nil {
		return nil, err
	}
	name := filepath.Join(dir, RepoLockFile)
	host, _ := os.Hostname()
	content := fmt.Sprintf("pid %d\nhost %s\nstarted %s\nwhat %s\n", os.Getpid(), host, time.Now().UTC().Format(time.RFC3339Nano), strings.Join(strings.Fields(what), " "))
	// Written beside it, then linked into place: the link is as exclusive
	// as O_EXCL, and whoever finds the lock reads it whole.
	tmp, err := os.CreateTemp(dir, RepoLockFile+".new-*")
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.WriteString(content)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("write %s: %w", tmp.Name(), err)
	}
	if err := os.Link(tmp.Name(), name); errors.Is(err, fs.ErrExist) {
		return nil, holder(name)
	} else if err != nil {
		return nil, fmt.Errorf("take %s: %w", name, err)
	}
	return &RepoLock{file: name}, nil
}

// Unlock removes the lock file.
func (l *RepoLock) Unlock() error {
	return os.Remove(l.file)
}

// CheckRepoLock returns a [*BusyError] when another run holds the
// repository's lock, and nil when none does. It writes nothing.
func CheckRepoLock(root string) error {
	dir, err := gitrepo.GitDir(root)
	if err != nil {
		return err
	}
	name := filepath.Join(dir, RepoLockFile)
	if _, err := os.Lstat(name); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return holder(name)
}

// holder reads a held lock file into a [*BusyError].
func holder(name string) error {
	e := &BusyError{File: name}
	data, err := os.ReadFile(name)
	if err != nil {
		return e
	}
	for _, line := range strings.Split(string(data), "\n") {
		k, v, _ := strings.Cut(line, " ")
		switch k {
		case "pid":
			e.PID, _ = strconv.Atoi(v)
		case "host":
			e.Host = v
		case "started":
			e.Started, _ = time.Parse(time.RFC3339Nano, v)
		case "what":
			e.What = v
		}
	}
	if e.PID > 0 {
		host, _ := os.Hostname()
		e.Stale = e.Host == host && !running(e.PID)
	}
	return e
}
