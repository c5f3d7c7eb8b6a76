package bench

import (
	"fmt"
	"time"

	"github.com/gomlx/compute"

	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
	"github.com/godltrigger/godltrigger/pkg/train"
)

// Window says how long a speed case is timed: at least MinSteps steps and MinTime, at most
// MaxSteps steps (0: no limit), after Warmup untimed steps (the first one compiles).
type Window struct {
	MinTime  time.Duration
	MinSteps int
	MaxSteps int
	Warmup   int
}

// Rate is one timed training case.
type Rate struct {
	RowsPerSec float64
	Steps      int
	Seconds    float64
	FirstStep  time.Duration // GoTrainRate: the first step, graph compilation included
}

// GoTrainRate times training steps of cfg on backend at the given batch size and sequence
// length (ignored by the HLF classifier): the graph pkg/train compiles (the model under scope
// "model", categorical cross-entropy on logits, Adam with opts' settings).
func GoTrainRate(backend compute.Backend, cfg models.Config, opts modeldir.Options, seqLen int, w Window) (rate Rate, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("bench: %s training step: %v", cfg.Kind, r)
		}
	}()
	if !cfg.UsesSequence() {
		seqLen = 1
	}
	st, err := train.NewStepTimer(backend, cfg, opts, train.SyntheticData(opts.BatchSize, seqLen, uint64(opts.Seed)))
	if err != nil {
		return Rate{}, fmt.Errorf("bench: %s training step: %w", cfg.Kind, err)
	}
	defer st.Close()
	run := st.Step
	t0 := time.Now()
	for i := 0; i < max(w.Warmup, 1); i++ {
		if err := run(); err != nil {
			return Rate{}, err
		}
		if i == 0 {
			rate.FirstStep = time.Since(t0)
		}
	}
	n, start := 0, time.Now()
	for n < w.MinSteps || (time.Since(start) < w.MinTime && (w.MaxSteps <= 0 || n < w.MaxSteps)) {
		if err := run(); err != nil {
			return Rate{}, err
		}
		n++
	}
	secs := time.Since(start).Seconds()
	rate.RowsPerSec, rate.Steps, rate.Seconds = float64(n*opts.BatchSize)/secs, n, secs
	return rate, nil
}
