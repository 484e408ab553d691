// Package repolock is the lock that lets one run of the release tools at
// a time write a repository: the file release-tools.lock in the git
// directory of the work tree (its own one, for a linked work tree), which
// names the run that holds it, so that a second run is told who holds it
// and whether that run is gone.
package repolock

import (
	"bytes"
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
	data    []byte // the lock file's bytes, as read
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
	// TookOver is the stale lock this run took over (its holder's
	// process gone from this host), or nil.
	TookOver *BusyError
}

// Notice says that l took over a stale lock, and whose; "" when it did
// not.
func (l *RepoLock) Notice() string {
	if l.TookOver == nil {
		return ""
	}
	return "notice: took over " + l.TookOver.stale()
}

// stale describes a stale lock for a notice.
func (e *BusyError) stale() string {
	return fmt.Sprintf("the stale lock %s of the run of %q (pid %d on %s, started %s): that process is gone (a run killed while it applied leaves the files it wrote changed: see git status)",
		e.File, e.What, e.PID, e.Host, e.Started.Format(time.RFC3339))
}

// LockRepo takes the repository's lock for one run that writes it: it
// creates .git/release-tools.lock exclusively (a hard link, as exclusive
// as O_EXCL, of a file written whole beforehand), holding this process's pid,
// the host and the start time, and what runs. If another run holds it, the
// error is a [*BusyError] naming that run, and saying whether the lock is
// stale. A stale lock (its process gone from this host) is taken over:
// [RepoLock.TookOver] names it, for a notice. [RepoLock.Unlock] gives it
// back.
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
	err = os.Link(tmp.Name(), name)
	if err == nil {
		return &RepoLock{file: name}, nil
	}
	if !errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("take %s: %w", name, err)
	}
	held := holder(name)
	var be *BusyError
	if !errors.As(held, &be) || !be.Stale {
		return nil, held
	}
	if err := takeOver(name, be); err != nil {
		return nil, err
	}
	if err := os.Link(tmp.Name(), name); errors.Is(err, fs.ErrExist) {
		return nil, holder(name) // another run took it over first
	} else if err != nil {
		return nil, fmt.Errorf("take %s: %w", name, err)
	}
	return &RepoLock{file: name, TookOver: be}, nil
}

// takeOver removes the stale lock be read at name: it moves the file aside
// and removes it only if it still holds what be read, so that a lock
// another run took meanwhile is put back and reported instead.
func takeOver(name string, be *BusyError) error {
	aside := fmt.Sprintf("%s.stale-%d", name, os.Getpid())
	if err := os.Rename(name, aside); errors.Is(err, fs.ErrNotExist) {
		return nil // removed meanwhile: link ours
	} else if err != nil {
		return fmt.Errorf("take over %s: %w", be.stale(), err)
	}
	if data, err := os.ReadFile(aside); err != nil || !bytes.Equal(data, be.data) {
		// Another run's lock, taken after this one read the stale one.
		if lerr := os.Link(aside, name); lerr == nil {
			os.Remove(aside)
			return holder(name)
		}
		return fmt.Errorf("%w: %s changed while this run took over a stale lock; the other run's lock is at %s", ErrBusy, name, aside)
	}
	return os.Remove(aside)
}

// Unlock removes the lock file.
func (l *RepoLock) Unlock() error {
	return os.Remove(l.file)
}

// CheckRepoLock returns a [*BusyError] when another run holds the
// repository's lock, and nil when none does. A stale lock (its process
// gone from this host) is no error: notice says so ("" otherwise), as a
// run that writes takes it over. It writes nothing.
func CheckRepoLock(root string) (notice string, err error) {
	dir, err := gitrepo.GitDir(root)
	if err != nil {
		return "", err
	}
	name := filepath.Join(dir, RepoLockFile)
	if _, err := os.Lstat(name); errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	held := holder(name)
	if be := (*BusyError)(nil); errors.As(held, &be) && be.Stale {
		return "notice: a run that writes will take over " + be.stale(), nil
	}
	return "", held
}

// holder reads a held lock file into a [*BusyError].
func holder(name string) error {
	e := &BusyError{File: name}
	data, err := os.ReadFile(name)
	if err != nil {
		return e
	}
	e.data = data
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
