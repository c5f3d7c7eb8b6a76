package train

import (
	"fmt"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train/loss"
	"github.com/gomlx/gomlx/ml/train/optimizer"

	"github.com/godltrigger/godltrigger/pkg/models"
)

// modelScope is the scope of the classifiers' weights; every other variable (optimizer
// moments, step counters, random generator state) lives outside it.
const modelScope = "model"

// stepResult is what a train or eval step returns: the batch's mean loss and its number of
// correctly classified rows.
type stepResult struct {
	loss    float64
	correct float64
}

// newTrainStep compiles (lazily, per batch shape) one Adam step on a batch. Its inputs are
// those of batchTensors.
func newTrainStep(backend compute.Backend, store *model.Store, cfg models.Config, opts Options) (*model.Exec, error) {
	adam := newAdam(opts)
	return model.NewExec(backend, store, func(scope *model.Scope, in []*Node) []*Node {
		g := in[0].Graph()
		store.SetTraining(g, true)
		hlf, seq, labels := splitInputs(cfg, in)
		logits := models.Logits(scope.In(modelScope), cfg, hlf, seq)
		l := loss.CategoricalCrossEntropyLogits([]*Node{labels}, []*Node{logits})
		adam.UpdateGraph(scope, g, l)
		return []*Node{l, countCorrect(logits, labels)}
	})
}

// newAdam is Keras's Adam with the options' settings.
func newAdam(opts Options) optimizer.Interface {
	return optimizer.Adam().LearningRate(opts.LearningRate).Betas(opts.Beta1, opts.Beta2).Epsilon(opts.Epsilon).Done()
}

// newEvalStep compiles the loss and the correct count of a batch, without training.
func newEvalStep(backend compute.Backend, store *model.Store, cfg models.Config) (*model.Exec, error) {
	return model.NewExec(backend, store, func(scope *model.Scope, in []*Node) []*Node {
		store.SetTraining(in[0].Graph(), false)
		hlf, seq, labels := splitInputs(cfg, in)
		logits := models.Logits(scope.In(modelScope), cfg, hlf, seq)
		l := loss.CategoricalCrossEntropyLogits([]*Node{labels}, []*Node{logits})
		return []*Node{l, countCorrect(logits, labels)}
	})
}

// newPredictStep compiles the class probabilities (softmax of the logits) of a batch; its
// inputs are those of batchTensors without the labels.
func newPredictStep(backend compute.Backend, store *model.Store, cfg models.Config) (*model.Exec, error) {
	return model.NewExec(backend, store, func(scope *model.Scope, in []*Node) []*Node {
		store.SetTraining(in[0].Graph(), false)
		hlf, seq, _ := splitInputs(cfg, append(in, nil))
		return []*Node{Softmax(models.Logits(scope.In(modelScope), cfg, hlf, seq), -1)}
	})
}

// splitInputs maps the step inputs (hlf if used, seq if used, labels) to their roles.
func splitInputs(cfg models.Config, in []*Node) (hlf, seq, labels *Node) {
	i := 0
	if cfg.UsesHLF() {
		hlf = in[i]
		i++
	}
	if cfg.UsesSequence() {
		seq = in[i]
		i++
	}
	return hlf, seq, in[i]
}

func countCorrect(logits, labels *Node) *Node {
	hit := Equal(ArgMax(logits, -1, dtypes.Int32), ArgMax(labels, -1, dtypes.Int32))
	return ReduceAllSum(ConvertDType(hit, dtypes.Float32))
}

// batchTensors converts a batch to the step inputs the classifier reads (labels last when
// withLabels).
func batchTensors(cfg models.Config, b *Batch, withLabels bool) ([]any, error) {
	var args []any
	if cfg.UsesHLF() {
		if b.HLF == nil {
			return nil, fmt.Errorf("train: the %s classifier needs high-level features, the source has none", cfg.Kind)
		}
		args = append(args, tensors.FromFlatDataAndDimensions(b.HLF, b.Size, models.NumHLF))
	}
	if cfg.UsesSequence() {
		if b.Seq == nil {
			return nil, fmt.Errorf("train: the %s classifier needs particle sequences, the source has none", cfg.Kind)
		}
		args = append(args, tensors.FromFlatDataAndDimensions(b.Seq, b.Size, b.SeqLen, models.NumFeatures))
	}
	if withLabels {
		args = append(args, tensors.FromFlatDataAndDimensions(b.Labels, b.Size, models.NumClasses))
	}
	return args, nil
}

// runStep executes a train or eval step and reads its two scalars.
func runStep(e *model.Exec, args []any) (stepResult, error) {
	out, err := e.Call(args...)
	if err != nil {
		return stepResult{}, err
	}
	defer finalize(out)
	return stepResult{
		loss:    float64(tensors.ToScalar[float32](out[0])),
		correct: float64(tensors.ToScalar[float32](out[1])),
	}, nil
}

func finalize(ts []*tensors.Tensor) {
	for _, t := range ts {
		t.FinalizeAll()
	}
}
