//go:build unix

package serve

import (
	"os"
	"syscall"
)

// lockFile takes an exclusive advisory lock on f, failing at once if another process holds it.
// The lock goes away with the process, so a killed server never blocks its restart.
func lockFile(f *os.File) error {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
}
