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

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/godltrigger/godltrigger/pkg/cluster"
	"github.com/godltrigger/godltrigger/pkg/models"
	"github.com/godltrigger/godltrigger/pkg/progress"
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
	// MaskPadding is stored in model.json (see ModelInfo.MaskPadding).
	MaskPadding bool
	// Backend runs the graphs; nil chooses one with NewBackend.
	Backend compute.Backend
	// Progress shows the rows done in each epoch; nil shows nothing.
	Progress progress.Sink
	// Log receives the backend line and one line per epoch; nil writes nothing.
	Log io.Writer
	// Comm, when it connects several processes, makes this one rank of a synchronous
	// data-parallel run (see Distributed); nil or a Size of 1 trains in this process alone.
	Comm cluster.Comm

	dirClaimed bool // the caller holds Dir's lock (see claimed)
}

// Train trains job.Model from freshly initialised weights for job.Options.Epochs epochs (fewer
// when early stopping ends it), validating and checkpointing after each, and returns the
// history (also in history.json). The options' controls (early stopping, learning rate on
// plateau, best checkpoint) act after each validation; see Options.
// It refuses a directory that already holds completed epochs: Resume continues those.
// Cancelling ctx stops at the next batch; the last completed epoch stays resumable. A run
// holds the directory's lock (LockFile); one that fails before its first epoch completes
// leaves no model files behind.
func Train(ctx stdcontext.Context, job Job) (*History, error) {
	return claimed(ctx, job, prepareTrain)
}

// prepareTrain checks a new run and writes its model.json.
func prepareTrain(job Job) (*ModelInfo, *History, error) {
	if err := job.Model.Validate(); err != nil {
		return nil, nil, err
	}
	if err := job.Options.Validate(); err != nil {
		return nil, nil, err
	}
	hist, err := ReadHistory(job.Dir)
	if err != nil {
		return nil, nil, err
	}
	if hist.Epochs() > 0 {
		return nil, nil, fmt.Errorf("train: %s already holds %d trained epochs: resume it or choose another directory",
			job.Dir, hist.Epochs())
	}
	info := &ModelInfo{Model: job.Model, Options: job.Options, Scaler: job.Scaler, MaskPadding: job.MaskPadding}
	if err := WriteModelInfo(job.Dir, info); err != nil {
		return nil, nil, err
	}
	return info, &History{}, nil
}

// Resume continues the run of job.Dir from its last completed epoch, with the model and the
// options of its model.json; job.Options.Epochs, when > 0, replaces the number of epochs (to
// train further; a run that early stopping ended trains no further). The result equals that of
// an uninterrupted run with the same seed, the decisions of the controls included.
func Resume(ctx stdcontext.Context, job Job) (*History, error) {
	return claimed(ctx, job, prepareResume)
}

// prepareResume reads the model.json and the history of a run to continue.
func prepareResume(job Job) (*ModelInfo, *History, error) {
	info, err := ReadModelInfo(job.Dir)
	if err != nil {
		return nil, nil, err
	}
	if info.Legacy() {
		return nil, nil, fmt.Errorf("train: %s was trained by an older version of dltrigger (GoMLX v0.26, per-gate GRU weights): "+
			"it still serves evaluate, predict, serve and export, but cannot be resumed; train a new model into another directory", job.Dir)
	}
	if job.Options.Epochs > 0 && job.Options.Epochs != info.Options.Epochs {
		if job.Log != nil {
			fmt.Fprintf(job.Log, "resume: %d epochs in all instead of the %d recorded (%s updated)\n", job.Options.Epochs, info.Options.Epochs, ModelFile)
		}
		info.Options.Epochs = job.Options.Epochs
		if err := WriteModelInfo(job.Dir, info); err != nil {
			return nil, nil, err
		}
	}
	if len(job.Scaler) > 0 {
		if len(info.Scaler) > 0 && !sameJSON(info.Scaler, job.Scaler) {
			return nil, nil, fmt.Errorf("train: resume %s: the scaler of the training data differs from the one recorded in %s: the data was prepared again; train into another directory",
				job.Dir, filepath.Join(job.Dir, ModelFile))
		}
		info.Scaler = job.Scaler
		if err := WriteModelInfo(job.Dir, info); err != nil {
			return nil, nil, err
		}
	}
	hist, err := ReadHistory(job.Dir)
	if err != nil {
		return nil, nil, err
	}
	return info, hist, nil
}

// launch prepares the model directory and runs. In a distributed run only rank 0 touches
// the directory: it prepares and hands the model, the options and the history to the others.
func launch(ctx stdcontext.Context, job Job, prepare func(Job) (*ModelInfo, *History, error)) (*History, *model.Store, error) {
	type setup struct {
		Info *ModelInfo `json:"info"`
		Hist *History   `json:"history"`
	}
	var st setup
	var err error
	if !distributed(job.Comm) || job.Comm.Rank() == 0 {
		st.Info, st.Hist, err = prepare(job)
	}
	if distributed(job.Comm) {
		st, err = fromRoot(job.Comm, st, err)
	}
	if err != nil {
		return nil, nil, err
	}
	return run(ctx, job, st.Info, st.Hist)
}

// run trains from the state recorded in hist (nothing, or a checkpoint after some epochs) and
// returns the history and the store holding the final variables.
func run(ctx stdcontext.Context, job Job, info *ModelInfo, hist *History) (result *History, gctx *model.Store, err error) {
	cfg, opts := info.Model, info.Options
	dist := distributed(job.Comm)
	root := !dist || job.Comm.Rank() == 0 // validates, checkpoints, writes the history
	if !root {
		job.Log, job.Progress = nil, nil
	}
	if job.Train == nil || (root && job.Validation == nil) {
		err = errors.New("train: a training and a validation source are needed")
	}
	defer func() { // graph building reports errors by panicking
		if r := recover(); r != nil {
			result, gctx, err = nil, nil, fmt.Errorf("train: %s: %v", job.Dir, r)
		}
	}()
	backend := job.Backend
	if dist && backend != nil && isORT(backend) {
		backend = nil // replicaBackend says why ranks do not train on ONNX Runtime
	}
	if backend == nil && err == nil {
		backend, err = replicaBackend(job.Comm, job.Log, cfg.Kind)
	}

	gctx = model.NewStore()
	gctx.SetParam(model.ParamInitialSeed, opts.Seed)
	var ckpt *checkpoints
	for len(hist.LearningRate) < hist.Epochs() { // written before the rate was recorded: constant
		hist.LearningRate = append(hist.LearningRate, opts.LearningRate)
	}
	lr := hist.NextLearningRate
	if hist.Epochs() == 0 || lr == 0 {
		lr = opts.LearningRate
	}
	if root && err == nil {
		ckpt, err = openCheckpoints(gctx, job.Dir, hist, job.Log)
		if err == nil && hist.Epochs() > 0 {
			err = checkLearningRate(gctx, lr, filepath.Join(job.Dir, CheckpointDir))
		}
	}
	if dist {
		err = agree(job.Comm, err)
	}
	if err != nil {
		return nil, nil, err
	}
	var trainPass func(order Order, bar *progress.Bar) (loss, acc float64, rows int, err error)
	var replica *replicaStep
	if dist {
		if replica, err = newReplicaStep(backend, gctx, cfg, opts, job.Comm); err != nil {
			return nil, nil, fmt.Errorf("train: build the distributed training step: %w", err)
		}
		defer replica.Finalize()
		trainPass = func(order Order, bar *progress.Bar) (float64, float64, int, error) {
			return replica.pass(ctx, job.Train, order, bar)
		}
		if job.Log != nil {
			fmt.Fprintf(job.Log, "distributed: %d ranks, global batch %d (%d per rank)\n",
				job.Comm.Size(), job.Comm.Size()*opts.BatchSize, opts.BatchSize)
		}
	} else {
		trainStep, err := newTrainStep(backend, gctx, cfg, opts)
		if err != nil {
			return nil, nil, fmt.Errorf("train: build training step: %w", err)
		}
		defer trainStep.Finalize()
		trainPass = func(order Order, bar *progress.Bar) (float64, float64, int, error) {
			return pass(ctx, job.Train, order, cfg, opts, trainStep, bar)
		}
	}
	var evalStep *model.Exec // built after the first training step has created the variables
	defer func() {
		if evalStep != nil {
			evalStep.Finalize()
		}
	}()

	compiling := compileNote(cfg, opts, backend)
	if hist.StoppedEpoch > 0 && job.Log != nil {
		fmt.Fprintf(job.Log, "early stopping ended this run after epoch %d: nothing to train\n", hist.StoppedEpoch)
	}
	for epoch := hist.Epochs(); epoch < opts.Epochs && hist.StoppedEpoch == 0; epoch++ {
		if replica != nil {
			if err := replica.reseed(gctx, epoch); err != nil {
				return nil, nil, err
			}
		}
		bar := progress.NewBar(job.Progress, fmt.Sprintf("epoch %d/%d", epoch+1, opts.Epochs), "rows", int64(job.Train.Rows()))
		if compiling != "" { // the first step compiles the graph: say so while it waits
			bar.SetNote("%s", compiling)
			if job.Log != nil {
				fmt.Fprintln(job.Log, compiling)
			}
			compiling = ""
		}
		start := time.Now()
		loss, acc, rows, err := trainPass(Order{Shuffle: true, Seed: opts.Seed, Epoch: epoch}, bar)
		bar.Finish()
		if err != nil {
			return nil, nil, fmt.Errorf("train: %s: epoch %d: %w", job.Dir, epoch+1, err)
		}
		rec := epochRecord{Loss: loss, Accuracy: acc, RowsPerSecond: float64(rows) / time.Since(start).Seconds(), LearningRate: lr}
		if root {
			if evalStep == nil {
				if evalStep, err = newEvalStep(backend, gctx, cfg); err != nil {
					err = fmt.Errorf("train: build evaluation step: %w", err)
				}
			}
			if err == nil {
				err = validateAndSave(ctx, job, cfg, opts, hist, evalStep, gctx, ckpt, &rec)
			}
		}
		if dist { // the other ranks wait for rank 0's validation, decisions and checkpoint
			rec, err = fromRoot(job.Comm, rec, err)
			if err == nil && !root && rec.Next.LearningRate != lr {
				err = setLearningRate(gctx, rec.Next.LearningRate)
			}
		}
		if err != nil {
			return nil, nil, err
		}
		hist.record(rec)
		lr = rec.Next.LearningRate
		if !root {
			continue
		}
		if err := writeJSON(filepath.Join(job.Dir, HistoryFile), hist); err != nil {
			return nil, nil, err
		}
		if err := pruneBest(filepath.Join(job.Dir, CheckpointDir), hist.BestCheckpoint); err != nil {
			return nil, nil, err
		}
		if job.Log != nil {
			fmt.Fprintf(job.Log, "epoch %d/%d: loss %.4f accuracy %.4f val_loss %.4f val_accuracy %.4f (%.0f rows/s)",
				epoch+1, opts.Epochs, rec.Loss, rec.Accuracy, rec.ValLoss, rec.ValAccuracy, rec.RowsPerSecond)
			if replica != nil {
				fmt.Fprintf(job.Log, "; rank 0 %s", replica.times)
				replica.times = StepTimes{}
			}
			fmt.Fprintln(job.Log)
			logControls(job.Log, opts, hist, rec)
		}
	}
	return hist, gctx, nil
}

// logControls writes what the controls decided after the last epoch of hist.
func logControls(w io.Writer, opts Options, hist *History, rec epochRecord) {
	best := fmt.Sprintf("epoch %d (val_loss %.4f)", hist.BestEpoch, hist.ValLoss[hist.BestEpoch-1])
	if rec.Next.LearningRate != rec.LearningRate {
		fmt.Fprintf(w, "learning rate %g -> %g: no lower val_loss for %d epochs\n", rec.LearningRate, rec.Next.LearningRate, opts.LRPlateauPatience)
	}
	if rec.Next.Stop {
		fmt.Fprintf(w, "early stopping: no lower val_loss for %d epochs; best %s\n", opts.EarlyStoppingPatience, best)
	}
	if opts.RestoreBest && (rec.Next.Stop || hist.Epochs() == opts.Epochs) {
		fmt.Fprintf(w, "restore best: the model directory serves the weights of %s\n", best)
	}
}

// compileNote is what the first training step does besides training: build and compile the
// graph (on ONNX Runtime: create the session, which optimises the graph), unrolled over the
// sequence for the GRU classifiers.
func compileNote(cfg models.Config, opts Options, backend compute.Backend) string {
	what := "building and compiling the training step"
	if cfg.UsesSequence() {
		if opts.MaxParticles > 0 {
			what += fmt.Sprintf(" (the GRU unrolled over %d particle rows)", opts.MaxParticles)
		} else {
			what += " (the GRU unrolled over every particle row)"
		}
	}
	if backend == nil {
		return what + "..."
	}
	family := KernelFamily(backend)
	if strings.HasPrefix(family, "ORT") {
		return fmt.Sprintf("%s on %s: ONNX Runtime optimises the graph first, tens of seconds at 801 particles...", what, family)
	}
	return fmt.Sprintf("%s on %s...", what, family)
}

// epochRecord is what an epoch adds to the history.
type epochRecord struct {
	Loss, Accuracy, ValLoss, ValAccuracy, RowsPerSecond float64
	Checkpoint                                          string
	LearningRate                                        float64     // the epoch trained with
	Next                                                controlStep // the controls' decisions
}

// record appends the epoch rec to h, with the controls' decisions.
func (h *History) record(rec epochRecord) {
	h.Loss = append(h.Loss, rec.Loss)
	h.Accuracy = append(h.Accuracy, rec.Accuracy)
	h.ValLoss = append(h.ValLoss, rec.ValLoss)
	h.ValAccuracy = append(h.ValAccuracy, rec.ValAccuracy)
	h.RowsPerSecond = append(h.RowsPerSecond, rec.RowsPerSecond)
	h.Checkpoint = rec.Checkpoint
	h.LearningRate = append(h.LearningRate, rec.LearningRate)
	h.NextLearningRate, h.PlateauWait = rec.Next.LearningRate, rec.Next.PlateauWait
	if rec.Next.Improved {
		h.BestEpoch, h.BestCheckpoint = h.Epochs(), rec.Checkpoint
	}
	if rec.Next.Stop {
		h.StoppedEpoch = h.Epochs()
	}
}

// validateAndSave evaluates the validation source after the epoch that follows hist's, lets
// the controls decide (setting the next learning rate in store), saves a checkpoint, keeps it
// as the best when it is, and completes rec.
func validateAndSave(ctx stdcontext.Context, job Job, cfg models.Config, opts Options, hist *History,
	evalStep *model.Exec, store *model.Store, ckpt *checkpoints, rec *epochRecord) error {
	epoch := hist.Epochs()
	vbar := progress.NewBar(job.Progress, fmt.Sprintf("validate %d/%d", epoch+1, opts.Epochs), "rows", int64(job.Validation.Rows()))
	valLoss, valAcc, _, err := pass(ctx, job.Validation, Order{}, cfg, opts, evalStep, vbar)
	vbar.Finish()
	if err != nil {
		return fmt.Errorf("train: %s: validation after epoch %d: %w", job.Dir, epoch+1, err)
	}
	rec.Next = nextControls(opts, hist, rec.LearningRate, valLoss)
	if rec.Next.LearningRate != rec.LearningRate { // saved with the checkpoint
		if err := setLearningRate(store, rec.Next.LearningRate); err != nil {
			return fmt.Errorf("train: %s: %w", job.Dir, err)
		}
	}
	if err := ckpt.Save(); err != nil {
		return fmt.Errorf("train: %s: %w", job.Dir, err)
	}
	names, err := ckpt.ListCheckpoints()
	if err != nil || len(names) == 0 {
		return fmt.Errorf("train: %s: list checkpoints after saving: %v", job.Dir, err)
	}
	rec.ValLoss, rec.ValAccuracy, rec.Checkpoint = valLoss, valAcc, names[len(names)-1]
	if rec.Next.Improved {
		if err := keepBest(ckpt.Dir(), rec.Checkpoint); err != nil {
			return fmt.Errorf("train: %s: %w", job.Dir, err)
		}
	}
	return nil
}

// pass runs step over one pass of src and returns the row-weighted mean loss, the accuracy and
// the number of rows.
func pass(ctx stdcontext.Context, src Source, order Order, cfg models.Config, opts Options,
	step *model.Exec, bar *progress.Bar) (loss, acc float64, rows int, err error) {
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
		buf = truncateParticles(&tb, opts, buf)
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
			return 0, 0, 0, fmt.Errorf("loss is %v after %d rows of finite inputs: the training diverged (try a lower learning rate)", res.loss, rows)
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

// openCheckpoints prepares saving store in the checkpoints of dir. With completed epochs in
// hist it first removes checkpoints newer than the recorded one (a crash between saving and
// recording leaves one) and loads the recorded state (see loadRecorded); otherwise it starts
// from an empty checkpoint directory. Loaded variables outside the model scope (optimizer
// state, counters, random state) are marked not trainable, as they were when created.
func openCheckpoints(store *model.Store, dir string, hist *History, log io.Writer) (*checkpoints, error) {
	ckDir := filepath.Join(dir, CheckpointDir)
	entries, err := os.ReadDir(ckDir)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("train: read %s: %w", ckDir, err)
	}
	for _, e := range entries {
		name := e.Name()
		// Checkpoint names sort in saving order ("checkpoint-n<7 digits>-..."); "~" sorts after
		// the ".json" and ".bin" suffixes of the recorded checkpoint itself.
		if hist.Epochs() == 0 || (strings.HasPrefix(name, "checkpoint-") && name > hist.Checkpoint+".~") {
			if err := os.RemoveAll(filepath.Join(ckDir, name)); err != nil {
				return nil, fmt.Errorf("train: remove stale checkpoint: %w", err)
			}
		}
	}
	if hist.Epochs() > 0 {
		if err := loadRecorded(store, dir, hist, log); err != nil {
			return nil, err
		}
	}
	if err := pruneBest(ckDir, hist.BestCheckpoint); err != nil {
		return nil, err
	}
	if hist.BestCheckpoint != "" {
		if _, err := os.Stat(checkpointFiles(filepath.Join(ckDir, BestDir), hist.BestCheckpoint)[1]); err != nil {
			return nil, fmt.Errorf("train: %s: best checkpoint recorded in %s: %w", ckDir, HistoryFile, err)
		}
	}
	c, err := newCheckpoints(store, ckDir, hist.Epochs())
	if err != nil {
		return nil, err
	}
	prefix := "/" + modelScope + "/"
	for v := range store.IterVariables() {
		v.Trainable = strings.HasPrefix(v.Path(), prefix)
	}
	return c, nil
}
