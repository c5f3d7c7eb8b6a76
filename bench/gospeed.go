package bench

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/gomlx/gomlx/backends"
	. "github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
	"github.com/gomlx/gomlx/pkg/ml/train/losses"
	"github.com/gomlx/gomlx/pkg/ml/train/optimizers"

	"github.com/godltrigger/godltrigger/pkg/models"
	"github.com/godltrigger/godltrigger/pkg/train"
	"github.com/godltrigger/godltrigger/pkg/vjp"
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
}

// syntheticBatch is a training batch like the one of pkg/train's benchmark: high-level
// features uniform in [0, 1), sequences of true length S/4..S zero-padded to S, random labels.
func syntheticBatch(batch, seqLen int, seed uint64) train.Data {
	rng := rand.New(rand.NewPCG(seed, 2))
	d := train.Data{SeqLen: seqLen}
	for i := 0; i < batch; i++ {
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

// stepInputs are the training step's inputs for cfg: hlf [B, 14] (when read), seq [B, S, 19]
// (when read), one-hot labels [B, 3].
func stepInputs(cfg models.Config, d train.Data) []any {
	b := len(d.Labels)
	var args []any
	if cfg.UsesHLF() {
		args = append(args, tensors.FromFlatDataAndDimensions(d.HLF, b, models.NumHLF))
	}
	if cfg.UsesSequence() {
		args = append(args, tensors.FromFlatDataAndDimensions(d.Seq, b, d.SeqLen, models.NumFeatures))
	}
	oneHot := make([]float32, b*models.NumClasses)
	for i, l := range d.Labels {
		oneHot[i*models.NumClasses+l] = 1
	}
	return append(args, tensors.FromFlatDataAndDimensions(oneHot, b, models.NumClasses))
}

// GoTrainRate times training steps of cfg on backend at the given batch size and sequence
// length (ignored by the HLF classifier): the graph pkg/train compiles (the model under scope
// "model", categorical cross-entropy on logits, Adam with opts' settings) with the gradient
// rules of package vjp, which training uses (GoTrainRate installs them, process-wide).
func GoTrainRate(backend backends.Backend, cfg models.Config, opts train.Options, seqLen int, w Window) (rate Rate, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("bench: %s training step: %v", cfg.Kind, r)
		}
	}()
	vjp.Install()
	ctx := context.New()
	ctx.SetParam(context.ParamInitialSeed, opts.Seed)
	adam := optimizers.Adam().LearningRate(opts.LearningRate).Betas(opts.Beta1, opts.Beta2).Epsilon(opts.Epsilon).Done()
	step, err := context.NewExec(backend, ctx, func(ctx *context.Context, in []*Node) []*Node {
		g := in[0].Graph()
		ctx.SetTraining(g, true)
		var hlf, seq *Node
		i := 0
		if cfg.UsesHLF() {
			hlf, i = in[i], i+1
		}
		if cfg.UsesSequence() {
			seq, i = in[i], i+1
		}
		logits := models.Logits(ctx.In("model"), cfg, hlf, seq)
		loss := losses.CategoricalCrossEntropyLogits([]*Node{in[i]}, []*Node{logits})
		adam.UpdateGraph(ctx, g, loss)
		return []*Node{loss}
	})
	if err != nil {
		return Rate{}, fmt.Errorf("bench: %s training step: %w", cfg.Kind, err)
	}
	defer step.Finalize()
	if !cfg.UsesSequence() {
		seqLen = 1
	}
	args := stepInputs(cfg, syntheticBatch(opts.BatchSize, seqLen, uint64(opts.Seed)))
	defer func() {
		for _, a := range args {
			a.(*tensors.Tensor).FinalizeAll()
		}
	}()
	run := func() error {
		out, err := step.Exec(args...)
		if err != nil {
			return fmt.Errorf("bench: %s training step: %w", cfg.Kind, err)
		}
		for _, t := range out {
			t.FinalizeAll()
		}
		return nil
	}
	for i := 0; i < max(w.Warmup, 1); i++ {
		if err := run(); err != nil {
			return Rate{}, err
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
	return Rate{RowsPerSec: float64(n*opts.BatchSize) / secs, Steps: n, Seconds: secs}, nil
}
