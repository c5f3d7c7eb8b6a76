//go:build unix

package runlock_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/godltrigger/godltrigger/pkg/runlock"
)

// A second run into the same output directory finds the lock held and stops; once the first
// run has released it (or died), the lock can be taken again.
func ExampleAcquire() {
	dir, err := os.MkdirTemp("", "runlock")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, ".prepare.lock")

	first, err := runlock.Acquire(path)
	fmt.Println("first run:", err)
	_, err = runlock.Acquire(path)
	fmt.Println("second run busy:", errors.Is(err, runlock.ErrBusy))
	first.Release()
	again, err := runlock.Acquire(path)
	fmt.Println("after release:", err)
	again.Release()
	// Output:
	// first run: <nil>
	// second run busy: true
	// after release: <nil>
}
