package train

import (
	stdcontext "context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/godltrigger/godltrigger/pkg/cluster"
	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
	"github.com/godltrigger/godltrigger/pkg/progress"
)

// Job is one training run.
type Job struct {
	Dir        string           // model directory (see ModelFile); created when missing
	Model      models.Config    // the classifier (Resume reads it from model.json instead)
	Options    modeldir.Options // training settings (Resume reads them from model.json, see Resume)
	Train      Source           // training rows, shuffled every epoch
	Validation Source           // rows evaluated after every epoch (required)
	// Scaler, when set, is stored in model.json (see modeldir.Info.Scaler).
	Scaler json.RawMessage
	// MaskPadding is stored in model.json (see ModelInfo.MaskPadding).
	MaskPadding bool
	// Backend runs the graphs; nil chooses one with NewBackend.
	Backend compute.Backend
	// Progress shows the rows done in each pass; nil shows nothing.
	Progress progress.Sink
	// Log receives the backend line and one line per epoch; nil writes nothing.
	Log io.Writer
	// Hooks receive the run's events after Progress and Log (see Hooks).
	Hooks Hooks
	// Comm, when it connects several processes, makes this one rank of a synchronous
	// data-parallel run (see Distributed); nil (cluster.Single) or a Size of 1 trains in this
	// process alone.
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
func Train(ctx stdcontext.Context, job Job) (*modeldir.History, error) {
	return claimed(ctx, job, prepareTrain)
}

// prepareTrain checks a new run and writes its model.json.
func prepareTrain(job Job) (*modeldir.Info, *modeldir.History, error) {
	if err := job.Model.Validate(); err != nil {
		return nil, nil, err
	}
	if err := job.Options.Validate(); err != nil {
		return nil, nil, err
	}
	hist, err := modeldir.ReadHistory(job.Dir)
	if err != nil {
		return nil, nil, err
	}
	if hist.Epochs() > 0 {
		return nil, nil, fmt.Errorf("train: %s already holds %d trained epochs: resume it or choose another directory",
			job.Dir, hist.Epochs())
	}
	info := &modeldir.Info{Model: job.Model, Options: job.Options, Scaler: job.Scaler, MaskPadding: job.MaskPadding}
	if err := modeldir.WriteInfo(job.Dir, info); err != nil {
		return nil, nil, err
	}
	return info, &modeldir.History{}, nil
}

// Resume continues the run of job.Dir from its last completed epoch, with the model and the
// options of its model.json; job.Options.Epochs, when > 0, replaces the number of epochs (to
// train further; a run that early stopping ended trains no further). The result equals that of
// an uninterrupted run with the same seed, the decisions of the controls included.
func Resume(ctx stdcontext.Context, job Job) (*modeldir.History, error) {
	return claimed(ctx, job, prepareResume)
}

// prepareResume reads the model.json and the history of a run to continue.
func prepareResume(job Job) (*modeldir.Info, *modeldir.History, error) {
	info, err := modeldir.ReadInfo(job.Dir)
	if err != nil {
		return nil, nil, err
	}
	if info.Legacy() {
		return nil, nil, fmt.Errorf("train: %s was trained by an older version of dltrigger (GoMLX v0.26, per-gate GRU weights): "+
			"it still serves evaluate, predict, serve and export, but cannot be resumed; train a new model into another directory", job.Dir)
	}
	if job.Options.Epochs > 0 && job.Options.Epochs != info.Options.Epochs {
		if job.Log != nil {
			fmt.Fprintf(job.Log, "resume: %d epochs in all instead of the %d recorded (%s updated)\n", job.Options.Epochs, info.Options.Epochs, modeldir.ModelFile)
		}
		info.Options.Epochs = job.Options.Epochs
		if err := modeldir.WriteInfo(job.Dir, info); err != nil {
			return nil, nil, err
		}
	}
	if len(job.Scaler) > 0 {
		if len(info.Scaler) > 0 && !sameJSON(info.Scaler, job.Scaler) {
			return nil, nil, fmt.Errorf("train: resume %s: the scaler of the training data differs from the one recorded in %s: the data was prepared again; train into another directory",
				job.Dir, filepath.Join(job.Dir, modeldir.ModelFile))
		}
		info.Scaler = job.Scaler
		if err := modeldir.WriteInfo(job.Dir, info); err != nil {
			return nil, nil, err
		}
	}
	hist, err := modeldir.ReadHistory(job.Dir)
	if err != nil {
		return nil, nil, err
	}
	return info, hist, nil
}

// orSingle is comm, or cluster.Single (this process alone) when comm is nil.
func orSingle(comm cluster.Comm) cluster.Comm {
	if comm == nil {
		return cluster.Single()
	}
	return comm
}

// launch prepares the model directory and runs. Only rank 0 touches the directory: it
// prepares and hands the model, the options and the history to the other ranks.
func launch(ctx stdcontext.Context, job Job, prepare func(Job) (*modeldir.Info, *modeldir.History, error)) (*modeldir.History, *model.Store, error) {
	type setup struct {
		Info *modeldir.Info    `json:"info"`
		Hist *modeldir.History `json:"history"`
	}
	var st setup
	var err error
	job.Comm = orSingle(job.Comm)
	if job.Comm.Rank() == 0 {
		st.Info, st.Hist, err = prepare(job)
	}
	if st, err = fromRoot(job.Comm, st, err); err != nil {
		return nil, nil, err
	}
	return run(ctx, job, st.Info, st.Hist)
}

// run trains from the state recorded in hist (nothing, or a checkpoint after some epochs) and
// returns the history and the store holding the final variables. job.Comm is set.
func run(ctx stdcontext.Context, job Job, info *modeldir.Info, hist *modeldir.History) (result *modeldir.History, gctx *model.Store, err error) {
	cfg, opts, comm := info.Model, info.Options, job.Comm
	root := comm.Rank() == 0 // validates, checkpoints, writes the history, reports
	hooks := hookList{progressHooks(job.Progress), logHooks(job.Log, opts), job.Hooks}
	if !root {
		job.Log, hooks = nil, nil
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
	if comm.Size() > 1 && backend != nil && isORT(backend) {
		backend = nil // replicaBackend says why ranks do not train on ONNX Runtime
	}
	if backend == nil && err == nil {
		backend, err = replicaBackend(comm, job.Log, cfg.Kind)
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
			err = checkLearningRate(gctx, lr, filepath.Join(job.Dir, modeldir.CheckpointDir))
		}
	}
	if err = agree(comm, err); err != nil {
		return nil, nil, err
	}
	step, err := newReplicaStep(backend, gctx, cfg, opts, comm)
	if err != nil {
		return nil, nil, fmt.Errorf("train: build the training step: %w", err)
	}
	defer step.Finalize()
	if comm.Size() > 1 && job.Log != nil {
		fmt.Fprintf(job.Log, "distributed: %d ranks, global batch %d (%d per rank)\n",
			comm.Size(), comm.Size()*opts.BatchSize, opts.BatchSize)
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
	train := truncatedSource{job.Train, opts}
	for epoch := hist.Epochs(); epoch < opts.Epochs && hist.StoppedEpoch == 0; epoch++ {
		if err := step.reseed(gctx, epoch); err != nil {
			return nil, nil, err
		}
		start := time.Now()
		loss, acc, rows, err := reportedPass(hooks, PassEvent{Phase: PhaseTrain, Epoch: epoch + 1, Epochs: opts.Epochs, Total: job.Train.Rows(), Note: compiling},
			func(report func(int, float64, float64)) (float64, float64, int, error) {
				return step.pass(ctx, train, Order{Shuffle: true, Seed: opts.Seed, Epoch: epoch}, report)
			})
		compiling = ""
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
				err = validateAndSave(ctx, job, hooks, cfg, opts, hist, evalStep, gctx, ckpt, &rec)
			}
		}
		// The other ranks wait for rank 0's validation, decisions and checkpoint.
		rec, err = fromRoot(comm, rec, err)
		if err == nil && !root && rec.Next.LearningRate != lr {
			err = setLearningRate(gctx, rec.Next.LearningRate)
		}
		if err != nil {
			return nil, nil, err
		}
		recordEpoch(hist, rec)
		lr = rec.Next.LearningRate
		if !root {
			continue
		}
		if err := modeldir.WriteHistory(job.Dir, hist); err != nil {
			return nil, nil, err
		}
		if err := pruneBest(filepath.Join(job.Dir, modeldir.CheckpointDir), hist.BestCheckpoint); err != nil {
			return nil, nil, err
		}
		hooks.epoch(EpochEvent{Epoch: epoch + 1, Epochs: opts.Epochs, Loss: rec.Loss, Accuracy: rec.Accuracy,
			ValLoss: rec.ValLoss, ValAccuracy: rec.ValAccuracy, RowsPerSecond: rec.RowsPerSecond,
			LearningRate: rec.LearningRate, NextLearningRate: rec.Next.LearningRate,
			Improved: rec.Next.Improved, Stopped: rec.Next.Stop, History: hist, StepTimes: step.stepTimes()})
	}
	return hist, gctx, nil
}

// reportedPass runs a pass, telling hooks of its start (the event start), of each step and of
// its end.
func reportedPass(hooks hookList, start PassEvent, pass func(report func(rows int, loss, acc float64)) (float64, float64, int, error)) (float64, float64, int, error) {
	start.Start = true
	hooks.pass(start)
	e := start
	e.Start, e.Note = false, ""
	loss, acc, rows, err := pass(func(rows int, loss, acc float64) {
		e.Rows, e.Loss, e.Accuracy = rows, loss, acc
		hooks.pass(e)
	})
	e.Done = true
	hooks.pass(e)
	return loss, acc, rows, err
}

// compileNote is what the first training step does besides training: build and compile the
// graph (on ONNX Runtime: create the session, which optimises the graph), unrolled over the
// sequence for the sequence classifiers.
func compileNote(cfg models.Config, opts modeldir.Options, backend compute.Backend) string {
	what := "building and compiling the training step"
	if layer := strings.ToUpper(cfg.Kind.RecurrentLayer()); layer != "" {
		if opts.MaxParticles > 0 {
			what += fmt.Sprintf(" (the %s unrolled over %d particle rows)", layer, opts.MaxParticles)
		} else {
			what += fmt.Sprintf(" (the %s unrolled over every particle row)", layer)
		}
	}
	if backend == nil {
		return what + "..."
	}
	family := modeldir.KernelFamily(backend)
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

// recordEpoch appends the epoch rec to h, with the controls' decisions.
func recordEpoch(h *modeldir.History, rec epochRecord) {
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
func validateAndSave(ctx stdcontext.Context, job Job, hooks hookList, cfg models.Config, opts modeldir.Options, hist *modeldir.History,
	evalStep *model.Exec, store *model.Store, ckpt *checkpoints, rec *epochRecord) error {
	epoch := hist.Epochs()
	val := truncatedSource{job.Validation, opts}
	eval := func(b *Batch, local error) (stepSums, error) { return execStep(evalStep, cfg, b, local) }
	valLoss, valAcc, _, err := reportedPass(hooks, PassEvent{Phase: PhaseValidate, Epoch: epoch + 1, Epochs: opts.Epochs, Total: job.Validation.Rows()},
		func(report func(int, float64, float64)) (float64, float64, int, error) {
			return runPass(ctx, val, Order{}, opts.BatchSize, eval, report)
		})
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

// openCheckpoints prepares saving store in the checkpoints of dir. With completed epochs in
// hist it first removes checkpoints newer than the recorded one (a crash between saving and
// recording leaves one) and loads the recorded state (see loadRecorded); otherwise it starts
// from an empty checkpoint directory. Loaded variables outside the model scope (optimizer
// state, counters, random state) are marked not trainable, as they were when created.
func openCheckpoints(store *model.Store, dir string, hist *modeldir.History, log io.Writer) (*checkpoints, error) {
	ckDir := filepath.Join(dir, modeldir.CheckpointDir)
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
		if _, err := os.Stat(modeldir.CheckpointFiles(filepath.Join(ckDir, modeldir.BestDir), hist.BestCheckpoint)[1]); err != nil {
			return nil, fmt.Errorf("train: %s: best checkpoint recorded in %s: %w", ckDir, modeldir.HistoryFile, err)
		}
	}
	c, err := newCheckpoints(store, ckDir, hist.Epochs())
	if err != nil {
		return nil, err
	}
	prefix := "/" + modeldir.ModelScope + "/"
	for v := range store.IterVariables() {
		v.Trainable = strings.HasPrefix(v.Path(), prefix)
	}
	return c, nil
}
