package tune

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/godltrigger/godltrigger/pkg/runlock"
)

// LockFile, in an output directory, is the lock (package runlock) that Run and Merge hold
// while they write there: a second search or merge into the same directory fails at once
// instead of clearing the first's scratch models and racing on its results log and table.
const LockFile = ".tune.lock"

// lockOut creates out when missing and takes its lock; when another live run holds it, the
// error names the directory and that run.
func lockOut(out string) (*runlock.Lock, error) {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, fmt.Errorf("tune: create output directory: %w", err)
	}
	lock, err := runlock.Acquire(filepath.Join(out, LockFile))
	if errors.Is(err, runlock.ErrBusy) {
		return nil, fmt.Errorf("tune: another run is writing into the output directory %s: %w; wait for it to end or choose another directory", out, err)
	}
	if err != nil {
		return nil, fmt.Errorf("tune: %w", err)
	}
	return lock, nil
}
