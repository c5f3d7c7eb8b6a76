package train

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train/optimizer"

	"github.com/godltrigger/godltrigger/pkg/atomicfile"
	"github.com/godltrigger/godltrigger/pkg/modeldir"
)

// The training controls are Keras's callbacks EarlyStopping, ReduceLROnPlateau and
// ModelCheckpoint(save_best_only), all watching the validation loss with min_delta 0. Their
// state lives in history.json (BestEpoch, PlateauWait, NextLearningRate, StoppedEpoch), the
// learning rate also in the checkpoint (Adam's variable), so that a resumed run decides as an
// uninterrupted one.

// controlStep is what the controls decide after an epoch.
type controlStep struct {
	Improved     bool    // the validation loss is the lowest so far: the new best epoch
	LearningRate float64 // the learning rate of the next epoch
	PlateauWait  int     // the new History.PlateauWait
	Stop         bool    // early stopping ends the run
}

// nextControls decides after the epoch that follows those of hist, which trained with the
// learning rate lr and gave the validation loss valLoss. A history without a best epoch (a
// new run, or one written before the best was recorded) takes the epoch as the best.
func nextControls(opts modeldir.Options, hist *modeldir.History, lr, valLoss float64) controlStep {
	epoch := hist.Epochs() + 1
	s := controlStep{LearningRate: lr, PlateauWait: hist.PlateauWait + 1}
	best := hist.BestEpoch
	if best == 0 || valLoss < hist.ValLoss[best-1] {
		s.Improved, s.PlateauWait, best = true, 0, epoch
	}
	if opts.LRPlateauPatience > 0 && s.PlateauWait >= opts.LRPlateauPatience && lr > opts.MinLR {
		s.LearningRate, s.PlateauWait = max(lr*opts.LRPlateauFactor, opts.MinLR), 0
	}
	s.Stop = opts.EarlyStoppingPatience > 0 && epoch-best >= opts.EarlyStoppingPatience
	return s
}

// learningRatePath is the variable of Adam's learning rate.
var learningRatePath = model.JoinPath("/"+optimizer.Scope, optimizer.ParamLearningRate)

// learningRateVar returns Adam's learning-rate variable of store (nil before the first
// training step created it, or a checkpoint loaded it).
func learningRateVar(store *model.Store) *model.Variable { return store.GetVariable(learningRatePath) }

// setLearningRate sets Adam's learning rate in store, where the training step reads it.
func setLearningRate(store *model.Store, lr float64) error {
	v := learningRateVar(store)
	if v == nil {
		return fmt.Errorf("train: no variable %s to set the learning rate in", learningRatePath)
	}
	var t *tensors.Tensor
	switch dt := v.Shape().DType; dt {
	case dtypes.Float32:
		t = tensors.FromScalar(float32(lr))
	case dtypes.Float64:
		t = tensors.FromScalar(lr)
	default:
		return fmt.Errorf("train: learning rate variable %s is %s, want a float", learningRatePath, dt)
	}
	if err := v.SetValue(t); err != nil {
		return fmt.Errorf("train: set the learning rate: %w", err)
	}
	return nil
}

// checkLearningRate verifies that the learning rate a checkpoint loaded into store is lr (as
// the variable stores it), when the checkpoint holds one.
func checkLearningRate(store *model.Store, lr float64, ckDir string) error {
	v := learningRateVar(store)
	if v == nil {
		return nil
	}
	x, err := v.Value()
	if err != nil {
		return fmt.Errorf("train: %s: learning rate: %w", ckDir, err)
	}
	var got, want float64
	switch v.Shape().DType {
	case dtypes.Float32:
		got, want = float64(tensors.ToScalar[float32](x)), float64(float32(lr))
	case dtypes.Float64:
		got, want = tensors.ToScalar[float64](x), lr
	default:
		return fmt.Errorf("train: %s: learning rate variable %s is %s, want a float", ckDir, learningRatePath, v.Shape().DType)
	}
	if got != want {
		return fmt.Errorf("train: %s: the checkpoint's learning rate %g differs from %s's next_learning_rate %g",
			ckDir, got, modeldir.HistoryFile, lr)
	}
	return nil
}

// keepBest puts the checkpoint name of ckDir into ckDir/best (a hard link, or a copy where
// links fail), besides the best checkpoints already there (pruneBest removes those).
func keepBest(ckDir, name string) error {
	best := filepath.Join(ckDir, modeldir.BestDir)
	if err := os.MkdirAll(best, 0o755); err != nil {
		return fmt.Errorf("train: keep the best checkpoint: %w", err)
	}
	dst := modeldir.CheckpointFiles(best, name)
	for i, src := range modeldir.CheckpointFiles(ckDir, name) {
		if err := os.Remove(dst[i]); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("train: keep the best checkpoint: %w", err)
		}
		if os.Link(src, dst[i]) == nil {
			continue
		}
		data, err := os.ReadFile(src)
		if err == nil {
			err = atomicfile.WriteFile(dst[i], data)
		}
		if err != nil {
			return fmt.Errorf("train: keep the best checkpoint %s: %w", src, err)
		}
	}
	return nil
}

// pruneBest removes from ckDir/best every file but those of the checkpoint keep (all when
// keep is ""): older best checkpoints, and one saved by an epoch that a crash left out of the
// history.
func pruneBest(ckDir, keep string) error {
	best := filepath.Join(ckDir, modeldir.BestDir)
	entries, err := os.ReadDir(best)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("train: read %s: %w", best, err)
	}
	for _, e := range entries {
		if keep != "" && strings.HasPrefix(e.Name(), keep+".") {
			continue
		}
		if err := os.RemoveAll(filepath.Join(best, e.Name())); err != nil {
			return fmt.Errorf("train: remove an old best checkpoint: %w", err)
		}
	}
	return nil
}
