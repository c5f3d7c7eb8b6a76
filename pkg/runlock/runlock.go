// Package runlock keeps two runs of a step off one output directory and tells a run that what
// a killed run left there is stale. A run holds an exclusive advisory lock (flock) on a lock
// file in the directory while it works; the kernel drops the lock when the process ends,
// however it ends (kill -9 included), so a lock that can be taken belongs to no live run, and
// the staging files of the directory's earlier runs can be removed.
//
//	l, err := runlock.Acquire(filepath.Join(out, ".prepare.lock"))
//	if err != nil {
//		return err // errors.Is(err, runlock.ErrBusy): another live run holds it
//	}
//	defer l.Release()
//	// remove the staging folders of earlier runs, then work
package runlock

import (
	"errors"
	"fmt"
	"os"
	"strings"
)

// ErrBusy is wrapped by Acquire's error when another live process holds the lock.
var ErrBusy = errors.New("held by another live run")

// Lock is a held lock file.
type Lock struct {
	f    *os.File
	path string
}

// Acquire takes the lock file path, creating it, and records this process (pid and host) in
// it. When another process holds it, the error wraps ErrBusy and names that process.
func Acquire(path string) (*Lock, error) {
	for {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
		if err := TryLock(f); err != nil {
			holder, _ := os.ReadFile(path)
			f.Close()
			if errors.Is(err, errWouldBlock) {
				return nil, fmt.Errorf("lock %s: %w (%s)", path, ErrBusy, describe(holder))
			}
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
		// The holder before us may have removed the file between our open and our lock: the
		// lock is then on a file no one else will open. Start again on the file now there.
		if same, err := samePath(f, path); err != nil || !same {
			f.Close()
			if err != nil {
				return nil, fmt.Errorf("lock %s: %w", path, err)
			}
			continue
		}
		host, _ := os.Hostname()
		if err := f.Truncate(0); err == nil {
			fmt.Fprintf(f, "pid %d on %s\n", os.Getpid(), host)
		}
		return &Lock{f: f, path: path}, nil
	}
}

// Release removes the lock file and drops the lock.
func (l *Lock) Release() error {
	err := os.Remove(l.path)
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("unlock %s: %w", l.path, err)
	}
	return nil
}

// samePath reports whether the open file f is still the file at path.
func samePath(f *os.File, path string) (bool, error) {
	a, err := f.Stat()
	if err != nil {
		return false, err
	}
	b, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return os.SameFile(a, b), nil
}

// describe turns a lock file's content into words.
func describe(holder []byte) string {
	if s := strings.TrimSpace(string(holder)); s != "" {
		return s
	}
	return "process unknown"
}
