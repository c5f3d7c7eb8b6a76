//go:build unix

package runlock

import (
	"os"
	"syscall"
)

// errWouldBlock is what TryLock returns when another process holds the lock.
var errWouldBlock = syscall.EWOULDBLOCK

// TryLock takes an exclusive advisory lock (flock) on f, failing at once if another process
// holds it. The lock goes away with the process, so a killed process never blocks the next.
func TryLock(f *os.File) error {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
}
