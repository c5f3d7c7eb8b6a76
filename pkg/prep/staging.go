package prep

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/godltrigger/godltrigger/pkg/runlock"
)

// Run builds its outputs in a staging folder OUT/.prepare-XXXX while it holds the lock
// OUT/.prepare.lock (package runlock): a run that holds the lock knows that no other prepare
// is live in OUT, so the staging folders there are those of killed runs, and removes them.
const (
	stagingPrefix = ".prepare-"
	lockName      = ".prepare.lock"
)

// lockOut takes OUT's lock and removes the staging folders that killed runs left.
func lockOut(out string, logf func(string, ...any)) (*runlock.Lock, error) {
	lock, err := runlock.Acquire(filepath.Join(out, lockName))
	if errors.Is(err, runlock.ErrBusy) {
		return nil, fmt.Errorf("prep: another prepare is writing into %s: %w", out, err)
	}
	if err != nil {
		return nil, fmt.Errorf("prep: %w", err)
	}
	stale, err := filepath.Glob(filepath.Join(out, stagingPrefix+"*"))
	if err != nil {
		lock.Release()
		return nil, fmt.Errorf("prep: %w", err)
	}
	for _, dir := range stale {
		if err := os.RemoveAll(dir); err != nil {
			lock.Release()
			return nil, fmt.Errorf("prep: remove the staging folder %s of a killed run: %w", dir, err)
		}
		logf("prep: removed %s, the staging folder of a run that did not finish", dir)
	}
	return lock, nil
}
