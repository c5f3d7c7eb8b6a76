package train

import (
	"fmt"
	"math/rand/v2"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
)

// SyntheticData returns rows of random training data for benchmarks: high-level features
// uniform in [0, 1), sequences of seqLen steps whose true lengths run from seqLen/4 to seqLen,
// zero-padded (masked) after that, and random labels. The same seed gives the same data.
func SyntheticData(rows, seqLen int, seed uint64) modeldir.Data {
	rng := rand.New(rand.NewPCG(seed, 2))
	d := modeldir.Data{SeqLen: seqLen}
	for i := 0; i < rows; i++ {
		d.Labels = append(d.Labels, rng.IntN(models.NumClasses))
		for f := 0; f < models.NumHLF; f++ {
			d.HLF = append(d.HLF, float32(rng.Float64()))
		}
		length := seqLen/4 + rng.IntN(seqLen-seqLen/4+1)
		for s := 0; s < seqLen; s++ {
			for f := 0; f < models.NumFeatures; f++ {
				v := float32(0)
				if s < length {
					v = float32(rng.NormFloat64())
				}
				d.Seq = append(d.Seq, v)
			}
		}
	}
	return d
}

// StepTimer runs the training step Train compiles (the model, categorical cross-entropy on
// logits, Adam with the options' settings, the gradient rules currently registered) again and
// again on one fixed batch, for speed measurements.
type StepTimer struct {
	step *model.Exec
	args []any
	Rows int // rows per step
}

// NewStepTimer compiles the step of cfg for the batch d (all its rows).
func NewStepTimer(backend compute.Backend, cfg models.Config, opts modeldir.Options, d modeldir.Data) (*StepTimer, error) {
	src, err := NewMemorySource(d)
	if err != nil {
		return nil, err
	}
	var args []any
	for b, err := range src.Batches(Order{}, src.Rows()) {
		if err != nil {
			return nil, err
		}
		if args, err = batchTensors(cfg, b, true); err != nil {
			return nil, err
		}
	}
	ctx := model.NewStore()
	ctx.SetParam(model.ParamInitialSeed, opts.Seed)
	step, err := newFusedStep(backend, ctx, cfg, opts)
	if err != nil {
		return nil, fmt.Errorf("train: %s step: %w", cfg.Kind, err)
	}
	return &StepTimer{step: step, args: args, Rows: src.Rows()}, nil
}

// Step runs one training step (the first one also compiles the graph).
func (s *StepTimer) Step() (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("train: training step: %v", r)
		}
	}()
	out, err := s.step.Call(s.args...)
	if err != nil {
		return fmt.Errorf("train: training step: %w", err)
	}
	finalize(out)
	return nil
}

// Close releases the compiled step and the batch.
func (s *StepTimer) Close() {
	s.step.Finalize()
	for _, a := range s.args {
		a.(*tensors.Tensor).FinalizeAll()
	}
}
