package train

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/checkpoint"
)

// Checkpoints are written atomically and read with care. GoMLX's Handler.Save writes the two
// files of a checkpoint (NAME.bin, the variables, and NAME.json, their layout, by which
// checkpoints are listed) in place, so a run killed or out of disk space while saving leaves a
// checkpoint that cannot be read, and a reader that takes the newest checkpoint fails on it.
// Here GoMLX saves into a staging folder inside checkpoint/; the checkpoint is read back
// there, synced, and renamed into place, its data first and its layout last: a checkpoint
// listed in checkpoint/ is complete. Readers (modeldir.LoadNewest) still check what they read and take
// the newest checkpoint that reads completely, naming the damaged ones they skip (written by
// older versions, or damaged since).

const (
	// stagingDir, in checkpoint/, is where GoMLX writes a checkpoint before it is renamed
	// into place; it exists only while a checkpoint is saved (a killed save leaves it, and
	// the next run removes it).
	stagingDir = ".saving"
	// keepCheckpoints is the number of complete checkpoints kept in checkpoint/.
	keepCheckpoints = 2
)

// checkpointName is a checkpoint's base name: its save counter and the rest.
var checkpointName = regexp.MustCompile(`^checkpoint-n(\d+)-(.+)$`)

// checkpoints saves the checkpoints of a model directory's checkpoint/ folder.
type checkpoints struct {
	dir     string              // checkpoint/
	store   *model.Store        // what is saved
	staging *checkpoint.Handler // GoMLX's handler, saving into dir/stagingDir
	epochs  int                 // epochs completed at the last save (or load)
}

// newCheckpoints prepares saving store into ckDir, whose last checkpoint holds the state after
// epochs epochs: it empties the staging folder and attaches a GoMLX handler saving there. The
// handler loads nothing, and the loader of store (a checkpoint loaded by modeldir.LoadNewest) stays the
// one that gives variables their values.
func newCheckpoints(store *model.Store, ckDir string, epochs int) (*checkpoints, error) {
	staging := filepath.Join(ckDir, stagingDir)
	if err := os.RemoveAll(staging); err != nil {
		return nil, fmt.Errorf("train: remove the staging folder of an interrupted save: %w", err)
	}
	if err := os.MkdirAll(staging, 0o755); err != nil {
		return nil, fmt.Errorf("train: create %s: %w", staging, err)
	}
	loader := store.Loader()
	h, err := checkpoint.Build(store).Dir(staging).Keep(-1).Done()
	if err != nil {
		return nil, fmt.Errorf("train: prepare saving checkpoints in %s: %w", ckDir, err)
	}
	store.SetLoader(loader)
	if err := os.Remove(staging); err != nil { // made again for each save
		return nil, fmt.Errorf("train: %w", err)
	}
	return &checkpoints{dir: ckDir, store: store, staging: h, epochs: epochs}, nil
}

// Dir is the checkpoint folder.
func (c *checkpoints) Dir() string { return c.dir }

// ListCheckpoints returns the base names of the checkpoints in the folder, oldest first.
func (c *checkpoints) ListCheckpoints() ([]string, error) { return modeldir.ListCheckpoints(c.dir) }

// Save saves the state after one more epoch as a new checkpoint, atomically, and keeps the
// last keepCheckpoints checkpoints. When it fails, the folder holds what it held before.
func (c *checkpoints) Save() error {
	c.store.SetParam(modeldir.EpochsParam, c.epochs+1)
	staging := c.staging.Dir()
	err := os.MkdirAll(staging, 0o755)
	if err == nil {
		err = c.staging.Save()
	}
	var name string
	if err == nil {
		name, err = c.install(staging)
	}
	if rerr := os.RemoveAll(staging); err == nil {
		err = rerr
	}
	if err != nil {
		return fmt.Errorf("save checkpoint in %s: %w", c.dir, err)
	}
	c.epochs++
	return c.prune(name)
}

// install checks the one checkpoint saved in staging, syncs it and renames it into the
// folder under the next save counter; it returns its name there.
func (c *checkpoints) install(staging string) (string, error) {
	saved, err := modeldir.ListCheckpoints(staging)
	if err != nil {
		return "", err
	}
	if len(saved) != 1 {
		return "", fmt.Errorf("GoMLX saved %d checkpoints in %s, want 1", len(saved), staging)
	}
	if _, _, err := modeldir.ReadCheckpoint(staging, saved[0]); err != nil {
		return "", fmt.Errorf("the checkpoint does not read back: %w", err)
	}
	names, err := modeldir.ListCheckpoints(c.dir)
	if err != nil {
		return "", err
	}
	next := 0
	for _, n := range names {
		if m := checkpointName.FindStringSubmatch(n); m != nil {
			k, _ := strconv.Atoi(m[1])
			next = max(next, k+1)
		}
	}
	m := checkpointName.FindStringSubmatch(saved[0])
	if m == nil {
		return "", fmt.Errorf("GoMLX saved a checkpoint named %q", saved[0])
	}
	name := fmt.Sprintf("checkpoint-n%07d-%s", next, m[2])
	// The data first: a checkpoint is listed (by its layout file) only once both are in place.
	for _, suffix := range []string{checkpoint.BinDataSuffix, checkpoint.JsonNameSuffix} {
		src := filepath.Join(staging, saved[0]+suffix)
		if err := syncFile(src); err != nil {
			return "", err
		}
		if err := os.Rename(src, filepath.Join(c.dir, name+suffix)); err != nil {
			return "", err
		}
	}
	return name, syncFile(c.dir)
}

// prune removes the checkpoints older than the last keepCheckpoints (the layout first, so
// that no listed checkpoint lacks its data) and data files whose layout is missing.
func (c *checkpoints) prune(newest string) error {
	names, err := modeldir.ListCheckpoints(c.dir)
	if err != nil {
		return err
	}
	listed := map[string]bool{}
	for i, n := range names {
		if i < len(names)-keepCheckpoints && n != newest {
			for _, suffix := range []string{checkpoint.JsonNameSuffix, checkpoint.BinDataSuffix} {
				if err := os.Remove(filepath.Join(c.dir, n+suffix)); err != nil && !errors.Is(err, os.ErrNotExist) {
					return fmt.Errorf("remove old checkpoint: %w", err)
				}
			}
			continue
		}
		listed[n] = true
	}
	orphans, err := filepath.Glob(filepath.Join(c.dir, "checkpoint-*"+checkpoint.BinDataSuffix))
	if err != nil {
		return err
	}
	for _, path := range orphans {
		if !listed[strings.TrimSuffix(filepath.Base(path), checkpoint.BinDataSuffix)] {
			if err := os.Remove(path); err != nil {
				return fmt.Errorf("remove the data of an incomplete checkpoint: %w", err)
			}
		}
	}
	return nil
}

// syncFile flushes the file (or directory) path to disk.
func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// loadRecorded loads into store the state that hist, the history of the model directory dir,
// records: its checkpoint. When that one is damaged (an older version saved in place; a disk
// failed), it loads the newest complete checkpoint before it and, so that the run continues
// exactly as an uninterrupted one, cuts hist (and history.json) back to the epochs that
// checkpoint was saved after; the later epochs are trained again. Checkpoints newer than the
// one loaded are removed.
func loadRecorded(store *model.Store, dir string, hist *modeldir.History, log io.Writer) error {
	ckDir := filepath.Join(dir, modeldir.CheckpointDir)
	name, epochs, skipped, err := modeldir.LoadNewest(store, ckDir, hist.Checkpoint)
	if err != nil {
		return fmt.Errorf("train: resume %s: %w", dir, err)
	}
	if name != hist.Checkpoint {
		cause := "missing"
		if len(skipped) > 0 {
			cause = "damaged (" + strings.Join(skipped, "; ") + ")"
		}
		if epochs < 0 || epochs >= hist.Epochs() {
			return fmt.Errorf("train: resume %s: checkpoint %s, recorded in %s after epoch %d, is %s; the newest complete one, %s, does not say after which epoch it was saved: the run cannot continue exactly",
				dir, hist.Checkpoint, modeldir.HistoryFile, hist.Epochs(), cause, name)
		}
		if log != nil {
			fmt.Fprintf(log, "resume: checkpoint %s, recorded after epoch %d, is %s: continuing from %s, saved after epoch %d; epochs %d to %d are trained again\n",
				hist.Checkpoint, hist.Epochs(), cause, name, epochs, epochs+1, hist.Epochs())
		}
		info, err := modeldir.ReadInfo(dir)
		if err != nil {
			return err
		}
		oldBest := hist.BestEpoch
		truncateHistory(hist, epochs, info.Options)
		hist.Checkpoint = name
		switch {
		case hist.BestEpoch == 0:
			hist.BestCheckpoint = ""
		case hist.BestEpoch == epochs && hist.BestEpoch != oldBest: // the checkpoint loaded is the best
			hist.BestCheckpoint = name
			if err := keepBest(ckDir, name); err != nil {
				return err
			}
		case hist.BestEpoch != oldBest:
			return fmt.Errorf("train: resume %s: checkpoint %s is %s, and the best epoch before it, %d, was kept only until epoch %d bettered it: the run cannot continue exactly; train into another directory",
				dir, hist.Checkpoint, cause, hist.BestEpoch, oldBest)
		}
		if err := modeldir.WriteHistory(dir, hist); err != nil {
			return err
		}
	} else if epochs >= 0 && epochs != hist.Epochs() {
		return fmt.Errorf("train: resume %s: checkpoint %s was saved after epoch %d, %s records %d epochs", dir, name, epochs, modeldir.HistoryFile, hist.Epochs())
	}
	names, err := modeldir.ListCheckpoints(ckDir)
	if err != nil {
		return err
	}
	for _, n := range names {
		if n > name {
			for _, suffix := range []string{checkpoint.JsonNameSuffix, checkpoint.BinDataSuffix} {
				if err := os.Remove(filepath.Join(ckDir, n+suffix)); err != nil && !errors.Is(err, os.ErrNotExist) {
					return fmt.Errorf("train: remove damaged checkpoint: %w", err)
				}
			}
		}
	}
	return nil
}

// truncateHistory keeps the first epochs epochs of h and rebuilds the training controls' state
// (next learning rate, plateau count, best and stopped epochs) as it stood after them, by
// replaying the controls' decisions of opts over the kept epochs.
func truncateHistory(h *modeldir.History, epochs int, opts modeldir.Options) {
	cut := func(s []float64) []float64 { return s[:min(len(s), epochs)] }
	lrs := h.LearningRate
	h.Loss, h.Accuracy, h.ValLoss, h.ValAccuracy = cut(h.Loss), cut(h.Accuracy), cut(h.ValLoss), cut(h.ValAccuracy)
	h.RowsPerSecond, h.LearningRate = cut(h.RowsPerSecond), cut(h.LearningRate)
	replay := &modeldir.History{}
	for e := range h.Epochs() {
		lr := opts.LearningRate
		if e < len(lrs) {
			lr = lrs[e]
		}
		s := nextControls(opts, replay, lr, h.ValLoss[e])
		replay.ValLoss = append(replay.ValLoss, h.ValLoss[e])
		replay.Loss = append(replay.Loss, h.Loss[e])
		replay.NextLearningRate, replay.PlateauWait = s.LearningRate, s.PlateauWait
		if s.Improved {
			replay.BestEpoch = e + 1
		}
		if s.Stop && replay.StoppedEpoch == 0 {
			replay.StoppedEpoch = e + 1
		}
	}
	h.NextLearningRate, h.PlateauWait, h.BestEpoch, h.StoppedEpoch = replay.NextLearningRate, replay.PlateauWait, replay.BestEpoch, replay.StoppedEpoch
}
