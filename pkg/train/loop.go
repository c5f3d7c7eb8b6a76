package train

import (
	stdcontext "context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gomlx/gomlx/backends"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
	"github.com/gomlx/gomlx/pkg/ml/context/checkpoints"

	"github.com/godltrigger/godltrigger/pkg/models"
	"github.com/godltrigger/godltrigger/pkg/progress"
	"github.com/godltrigger/godltrigger/pkg/vjp"
)

// Job is one training run.
type Job struct {
	Dir        string        // model directory (see ModelFile); created when missing
	Model      models.Config // the classifier (Resume reads it from model.json instead)
	Options    Options       // training settings (Resume reads them from model.json, see Resume)
	Train      Source        // training rows, shuffled every epoch
	Validation Source        // rows evaluated after every epoch (required)
	// Scaler, when set, is stored in model.json (see ModelInfo.Scaler).
	Scaler json.RawMessage
	// Backend runs the graphs; nil chooses one with NewBackend.
	Backend backends.Backend
	// Progress shows the rows done in each epoch; nil shows nothing.
	Progress progress.Sink
	// Log receives the backend line and one line per epoch; nil writes nothing.
	Log io.Writer
}

// Train trains job.Model from freshly initialised weights for job.Options.Epochs epochs,
// validating and checkpointing after each, and returns the history (also in history.json).
// It refuses a directory that already holds completed epochs: Resume continues those.
// Cancelling ctx stops at the next batch; the last completed epoch stays resumable.
func Train(ctx stdcontext.Context, job Job) (*History, error) {
	if err := job.Model.Validate(); err != nil {
		return nil, err
	}
	if err := job.Options.Validate(); err != nil {
		return nil, err
	}
	hist, err := ReadHistory(job.Dir)
	if err != nil {
		return nil, err
	}
	if hist.Epochs() > 0 {
		return nil, fmt.Errorf("train: %s already holds %d trained epochs: resume it or choose another directory",
			job.Dir, hist.Epochs())
	}
	info := &ModelInfo{Model: job.Model, Options: job.Options, Scaler: job.Scaler}
	if err := WriteModelInfo(job.Dir, info); err != nil {
		return nil, err
	}
	return run(ctx, job, info, &History{})
}

// Resume continues the run of job.Dir from its last completed epoch, with the model and the
// options of its model.json; job.Options.Epochs, when > 0, replaces the number of epochs (to
// train further). The result equals that of an uninterrupted run with the same seed.
func Resume(ctx stdcontext.Context, job Job) (*History, error) {
	info, err := ReadModelInfo(job.Dir)
	if err != nil {
		return nil, err
	}
	if job.Options.Epochs > 0 && job.Options.Epochs != info.Options.Epochs {
		info.Options.Epochs = job.Options.Epochs
		if err := WriteModelInfo(job.Dir, info); err != nil {
			return nil, err
		}
	}
	if len(job.Scaler) > 0 {
		info.Scaler = job.Scaler
		if err := WriteModelInfo(job.Dir, info); err != nil {
			return nil, err
		}
	}
	hist, err := ReadHistory(job.Dir)
	if err != nil {
		return nil, err
	}
	return run(ctx, job, info, hist)
}

// run trains from the state recorded in hist (nothing, or a checkpoint after some epochs).
func run(ctx stdcontext.Context, job Job, info *ModelInfo, hist *History) (result *History, err error) {
	cfg, opts := info.Model, info.Options
	if job.Train == nil || job.Validation == nil {
		return nil, errors.New("train: a training and a validation source are needed")
	}
	defer func() { // graph building reports errors by panicking
		if r := recover(); r != nil {
			result, err = nil, fmt.Errorf("train: %s: %v", job.Dir, r)
		}
	}()
	if opts.StockGradients {
		vjp.Uninstall()
	} else {
		vjp.Install()
	}
	backend := job.Backend
	if backend == nil {
		if backend, _, err = NewBackend(job.Log); err != nil {
			return nil, err
		}
	}

	gctx := context.New()
	gctx.SetParam(context.ParamInitialSeed, opts.Seed)
	ckpt, err := openCheckpoints(gctx, job.Dir, hist)
	if err != nil {
		return nil, err
	}
	resumed := hist.Epochs() > 0
	if resumed {
		gctx = gctx.Reuse()
	}
	trainStep, err := newTrainStep(backend, gctx, cfg, opts)
	if err != nil {
		return nil, fmt.Errorf("train: build training step: %w", err)
	}
	defer trainStep.Finalize()
	var evalStep *context.Exec // built after the first training step has created the variables
	defer func() {
		if evalStep != nil {
			evalStep.Finalize()
		}
	}()

	for epoch := hist.Epochs(); epoch < opts.Epochs; epoch++ {
		bar := progress.NewBar(job.Progress, fmt.Sprintf("epoch %d/%d", epoch+1, opts.Epochs), "rows", int64(job.Train.Rows()))
		start := time.Now()
		loss, acc, rows, err := pass(ctx, job.Train, Order{Shuffle: true, Seed: opts.Seed, Epoch: epoch}, cfg, opts, trainStep, bar)
		bar.Finish()
		if err != nil {
			return nil, fmt.Errorf("train: %s: epoch %d: %w", job.Dir, epoch+1, err)
		}
		rate := float64(rows) / time.Since(start).Seconds()
		if evalStep == nil {
			if evalStep, err = newEvalStep(backend, gctx, cfg); err != nil {
				return nil, fmt.Errorf("train: build evaluation step: %w", err)
			}
		}
		vbar := progress.NewBar(job.Progress, fmt.Sprintf("validate %d/%d", epoch+1, opts.Epochs), "rows", int64(job.Validation.Rows()))
		valLoss, valAcc, _, err := pass(ctx, job.Validation, Order{}, cfg, opts, evalStep, vbar)
		vbar.Finish()
		if err != nil {
			return nil, fmt.Errorf("train: %s: validation after epoch %d: %w", job.Dir, epoch+1, err)
		}
		if err := ckpt.Save(); err != nil {
			return nil, fmt.Errorf("train: %s: save checkpoint: %w", job.Dir, err)
		}
		names, err := ckpt.ListCheckpoints()
		if err != nil || len(names) == 0 {
			return nil, fmt.Errorf("train: %s: list checkpoints after saving: %v", job.Dir, err)
		}
		hist.Loss = append(hist.Loss, loss)
		hist.Accuracy = append(hist.Accuracy, acc)
		hist.ValLoss = append(hist.ValLoss, valLoss)
		hist.ValAccuracy = append(hist.ValAccuracy, valAcc)
		hist.RowsPerSecond = append(hist.RowsPerSecond, rate)
		hist.Checkpoint = names[len(names)-1]
		if err := writeJSON(filepath.Join(job.Dir, HistoryFile), hist); err != nil {
			return nil, err
		}
		if job.Log != nil {
			fmt.Fprintf(job.Log, "epoch %d/%d: loss %.4f accuracy %.4f val_loss %.4f val_accuracy %.4f (%.0f rows/s)\n",
				epoch+1, opts.Epochs, loss, acc, valLoss, valAcc, rate)
		}
	}
	return hist, nil
}

// pass runs step over one pass of src and returns the row-weighted mean loss, the accuracy and
// the number of rows.
func pass(ctx stdcontext.Context, src Source, order Order, cfg models.Config, opts Options,
	step *context.Exec, bar *progress.Bar) (loss, acc float64, rows int, err error) {
	var lossSum, correct float64
	var buf []float32
	for b, err := range src.Batches(order, opts.BatchSize) {
		if err != nil {
			return 0, 0, 0, err
		}
		if err := ctx.Err(); err != nil {
			return 0, 0, 0, err
		}
		if b.Size == 0 {
			continue
		}
		tb := *b
		buf = truncateParticles(&tb, opts.MaxParticles, buf)
		args, err := batchTensors(cfg, &tb, true)
		if err != nil {
			return 0, 0, 0, err
		}
		res, err := runStep(step, args)
		for _, a := range args {
			a.(*tensors.Tensor).FinalizeAll()
		}
		if err != nil {
			return 0, 0, 0, err
		}
		if math.IsNaN(res.loss) || math.IsInf(res.loss, 0) {
			return 0, 0, 0, fmt.Errorf("loss is %v after %d rows", res.loss, rows)
		}
		lossSum += res.loss * float64(b.Size)
		correct += res.correct
		rows += b.Size
		bar.Add(int64(b.Size))
		bar.SetNote("loss %.4f acc %.4f", lossSum/float64(rows), correct/float64(rows))
	}
	if rows == 0 {
		return 0, 0, 0, errors.New("the source yielded no rows")
	}
	return lossSum / float64(rows), correct / float64(rows), rows, nil
}

// openCheckpoints attaches the checkpoint handler of dir to ctx. With completed epochs in
// hist it first removes checkpoints newer than the recorded one (a crash between saving and
// recording leaves one) and loads the recorded state; otherwise it starts from an empty
// checkpoint directory. Loaded variables outside the model scope (optimizer state, counters,
// random state) are marked not trainable, as they were when created.
func openCheckpoints(ctx *context.Context, dir string, hist *History) (*checkpoints.Handler, error) {
	ckDir := filepath.Join(dir, CheckpointDir)
	entries, err := os.ReadDir(ckDir)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("train: read %s: %w", ckDir, err)
	}
	found := false
	for _, e := range entries {
		name := e.Name()
		if hist.Epochs() > 0 && strings.HasPrefix(name, hist.Checkpoint+".") {
			found = true
		}
		// Checkpoint names sort in saving order ("checkpoint-n<7 digits>-..."); "~" sorts after
		// the ".json" and ".bin" suffixes of the recorded checkpoint itself.
		if hist.Epochs() == 0 || (strings.HasPrefix(name, "checkpoint-") && name > hist.Checkpoint+".~") {
			if err := os.RemoveAll(filepath.Join(ckDir, name)); err != nil {
				return nil, fmt.Errorf("train: remove stale checkpoint: %w", err)
			}
		}
	}
	if hist.Epochs() > 0 && !found {
		return nil, fmt.Errorf("train: %s: checkpoint %s recorded in %s is missing", ckDir, hist.Checkpoint, HistoryFile)
	}
	h, err := checkpoints.Build(ctx).Dir(ckDir).Keep(2).Immediate().Done()
	if err != nil {
		return nil, fmt.Errorf("train: open checkpoints in %s: %w", ckDir, err)
	}
	prefix := "/" + modelScope
	for v := range ctx.IterVariables() {
		v.Trainable = v.Scope() == prefix || strings.HasPrefix(v.Scope(), prefix+"/")
	}
	return h, nil
}
