package train

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/runlock"
)

// LockFile, in a model directory, is the lock (package runlock) that a training run holds
// while it writes there: a second run into the same directory fails at once, instead of mixing
// its model.json, history and checkpoints with the first's. The kernel drops the lock when the
// process ends, however it ends.
const LockFile = ".train.lock"

// claim is a run's hold on its model directory.
type claim struct {
	dir     string
	lock    *runlock.Lock
	created bool // the run created dir
}

// claimModelDir creates dir when missing and takes its lock. When another live run holds
// it, the error names the directory and that run.
func claimModelDir(dir string) (*claim, error) {
	_, err := os.Stat(dir)
	created := errors.Is(err, os.ErrNotExist)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("train: create model directory: %w", err)
	}
	lock, err := runlock.Acquire(filepath.Join(dir, LockFile))
	if errors.Is(err, runlock.ErrBusy) {
		return nil, fmt.Errorf("train: another run is writing into the model directory %s: %w; wait for it to end or choose another directory", dir, err)
	}
	if err != nil {
		return nil, fmt.Errorf("train: %w", err)
	}
	return &claim{dir: dir, lock: lock, created: created}, nil
}

// release drops the lock. After a failed run (failed set) whose directory holds no completed
// epoch, the directory is no model: release removes the files of a model directory that the
// run wrote (model.json, data.json, history.json, checkpoint/), and the directory itself when
// the run created it and nothing else is left in it, so that no directory that looks like a
// model stays behind.
func (c *claim) release(failed bool) error {
	var err error
	if failed {
		err = c.removeUntrained()
	}
	if lerr := c.lock.Release(); err == nil && lerr != nil {
		err = fmt.Errorf("train: %w", lerr)
	}
	if failed && c.created {
		os.Remove(c.dir) // only when empty
	}
	return err
}

// removeUntrained removes the model files of c.dir when its history holds no epoch.
func (c *claim) removeUntrained() error {
	if h, err := modeldir.ReadHistory(c.dir); err != nil || h.Epochs() > 0 {
		return nil // a model (or a history not to touch)
	}
	for _, name := range []string{modeldir.ModelFile, modeldir.DataFile, modeldir.HistoryFile, modeldir.CheckpointDir} {
		if err := os.RemoveAll(filepath.Join(c.dir, name)); err != nil {
			return fmt.Errorf("train: remove what the failed run wrote: %w", err)
		}
	}
	return nil
}

// claimed runs launch with prepare holding job.Dir's lock, unless the caller holds it
// (job.dirClaimed): root alone (the rank that writes the directory) takes it, before prepare.
// After a failed run, the directory's files are removed when no epoch completed (see
// claim.release).
func claimed(ctx context.Context, job Job, prepare func(Job) (*modeldir.Info, *modeldir.History, error)) (*modeldir.History, error) {
	var c *claim
	locked := prepare
	if !job.dirClaimed {
		locked = func(job Job) (*modeldir.Info, *modeldir.History, error) {
			var err error
			if c, err = claimModelDir(job.Dir); err != nil {
				return nil, nil, err
			}
			return prepare(job)
		}
	}
	hist, _, err := launch(ctx, job, locked)
	if c != nil {
		if rerr := c.release(err != nil); err == nil {
			err = rerr
		}
	}
	return hist, err
}
