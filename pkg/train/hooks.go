package train

import (
	"fmt"
	"io"

	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/progress"
)

// Hooks receive the events of a run, on rank 0 (the process of a single-process run): the
// progress of every pass over the training or validation rows, and every completed epoch. The
// progress bars of Job.Progress, the lines of Job.Log and the history are made from the same
// events; Job.Hooks are called after them.
type Hooks struct {
	// OnPass is called when a pass starts, after each of its steps, and when it ends.
	OnPass func(PassEvent)
	// OnEpoch is called after an epoch has been validated, checkpointed and recorded in the
	// history (and history.json).
	OnEpoch func(EpochEvent)
}

// Phases of a pass.
const (
	PhaseTrain    = "train"
	PhaseValidate = "validate"
)

// PassEvent is the progress of one pass over the training (PhaseTrain) or the validation rows
// (PhaseValidate).
type PassEvent struct {
	Phase         string
	Epoch, Epochs int // the epoch, from 1, and the run's epochs
	// Rows is the number of this rank's rows done, Total the rows of its pass (-1: unknown).
	Rows, Total int
	// Loss and Accuracy are the running means over the rows done (of all ranks when training).
	Loss, Accuracy float64
	// Note, at the start of a pass, says what its first step does besides the work: build and
	// compile the graph.
	Note string
	// Start and Done mark the event that starts the pass and the one that ends it (after its
	// last step, or after it failed).
	Start, Done bool
}

// EpochEvent is a completed epoch.
type EpochEvent struct {
	Epoch, Epochs        int // the epoch, from 1, and the run's epochs
	Loss, Accuracy       float64
	ValLoss, ValAccuracy float64
	RowsPerSecond        float64 // training throughput of the epoch (of all ranks)
	LearningRate         float64 // the learning rate the epoch trained with
	NextLearningRate     float64 // the one the next epoch trains with
	Improved, Stopped    bool    // the controls' decisions (see modeldir.Options)
	// History is the run's history, this epoch included.
	History *modeldir.History
	// StepTimes, in a run of several ranks, is where rank 0's steps spent their time during
	// the epoch; nil in a single process.
	StepTimes *StepTimes
}

// hookList calls several Hooks in order.
type hookList []Hooks

func (hs hookList) pass(e PassEvent) {
	for _, h := range hs {
		if h.OnPass != nil {
			h.OnPass(e)
		}
	}
}

func (hs hookList) epoch(e EpochEvent) {
	for _, h := range hs {
		if h.OnEpoch != nil {
			h.OnEpoch(e)
		}
	}
}

// progressHooks shows every pass as a bar of sink: "epoch 3/20" or "validate 3/20", the rows
// done, and the running loss and accuracy as its note.
func progressHooks(sink progress.Sink) Hooks {
	if sink == nil {
		return Hooks{}
	}
	var bar *progress.Bar
	done := 0
	return Hooks{OnPass: func(e PassEvent) {
		switch {
		case e.Start:
			label := fmt.Sprintf("epoch %d/%d", e.Epoch, e.Epochs)
			if e.Phase == PhaseValidate {
				label = fmt.Sprintf("validate %d/%d", e.Epoch, e.Epochs)
			}
			bar, done = progress.NewBar(sink, label, "rows", int64(e.Total)), 0
			if e.Note != "" {
				bar.SetNote("%s", e.Note)
			}
		case e.Done:
			bar.Finish()
		default:
			bar.Add(int64(e.Rows - done))
			done = e.Rows
			bar.SetNote("loss %.4f acc %.4f", e.Loss, e.Accuracy)
		}
	}}
}

// logHooks writes to w the note of a pass that compiles, and one line per epoch followed by
// what the controls of opts decided.
func logHooks(w io.Writer, opts modeldir.Options) Hooks {
	if w == nil {
		return Hooks{}
	}
	return Hooks{
		OnPass: func(e PassEvent) {
			if e.Start && e.Note != "" {
				fmt.Fprintln(w, e.Note)
			}
		},
		OnEpoch: func(e EpochEvent) {
			fmt.Fprintf(w, "epoch %d/%d: loss %.4f accuracy %.4f val_loss %.4f val_accuracy %.4f (%.0f rows/s)",
				e.Epoch, e.Epochs, e.Loss, e.Accuracy, e.ValLoss, e.ValAccuracy, e.RowsPerSecond)
			if e.StepTimes != nil {
				fmt.Fprintf(w, "; rank 0 %s", *e.StepTimes)
			}
			fmt.Fprintln(w)
			logControls(w, opts, e)
		},
	}
}

// logControls writes what the controls of opts decided after the epoch e.
func logControls(w io.Writer, opts modeldir.Options, e EpochEvent) {
	h := e.History
	best := fmt.Sprintf("epoch %d (val_loss %.4f)", h.BestEpoch, h.ValLoss[h.BestEpoch-1])
	if e.NextLearningRate != e.LearningRate {
		fmt.Fprintf(w, "learning rate %g -> %g: no lower val_loss for %d epochs\n", e.LearningRate, e.NextLearningRate, opts.LRPlateauPatience)
	}
	if e.Stopped {
		fmt.Fprintf(w, "early stopping: no lower val_loss for %d epochs; best %s\n", opts.EarlyStoppingPatience, best)
	}
	if opts.RestoreBest && (e.Stopped || e.Epoch == e.Epochs) {
		fmt.Fprintf(w, "restore best: the model directory serves the weights of %s\n", best)
	}
}
