package train

import (
	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train/loss"
	"github.com/gomlx/gomlx/ml/train/optimizer"

	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
)

// stepResult is what a train or eval step returns: the batch's mean loss and its number of
// correctly classified rows.
type stepResult struct {
	loss    float64
	correct float64
}

// newFusedStep compiles (lazily, per batch shape) one Adam step on a batch, loss, gradients and
// update in one graph: the step of a single process. Its inputs are those of batchTensors.
func newFusedStep(backend compute.Backend, store *model.Store, cfg models.Config, opts modeldir.Options) (*model.Exec, error) {
	adam := newAdam(opts)
	return model.NewExec(backend, store, func(scope *model.Scope, in []*Node) []*Node {
		g := in[0].Graph()
		store.SetTraining(g, true)
		hlf, seq, labels := splitInputs(cfg, in)
		logits := models.Logits(scope.In(modeldir.ModelScope), cfg, hlf, seq)
		l := loss.CategoricalCrossEntropyLogits([]*Node{labels}, []*Node{logits})
		adam.UpdateGraph(scope, g, l)
		return []*Node{l, countCorrect(logits, labels)}
	})
}

// newAdam is Keras's Adam with the options' settings.
func newAdam(opts modeldir.Options) optimizer.Interface {
	return optimizer.Adam().LearningRate(opts.LearningRate).Betas(opts.Beta1, opts.Beta2).Epsilon(opts.Epsilon).Done()
}

// newEvalStep compiles the loss and the correct count of a batch, without training.
func newEvalStep(backend compute.Backend, store *model.Store, cfg models.Config) (*model.Exec, error) {
	return model.NewExec(backend, store, func(scope *model.Scope, in []*Node) []*Node {
		store.SetTraining(in[0].Graph(), false)
		hlf, seq, labels := splitInputs(cfg, in)
		logits := models.Logits(scope.In(modeldir.ModelScope), cfg, hlf, seq)
		l := loss.CategoricalCrossEntropyLogits([]*Node{labels}, []*Node{logits})
		return []*Node{l, countCorrect(logits, labels)}
	})
}

// splitInputs maps the step inputs (those of batchTensors) to their roles.
func splitInputs(cfg models.Config, in []*Node) (hlf, seq, labels *Node) {
	hlf, seq, rest := modeldir.SplitInputs(cfg, in)
	return hlf, seq, rest[0]
}

func countCorrect(logits, labels *Node) *Node {
	hit := Equal(ArgMax(logits, -1, dtypes.Int32), ArgMax(labels, -1, dtypes.Int32))
	return ReduceAllSum(ConvertDType(hit, dtypes.Float32))
}

// batchTensors converts a batch to the step inputs the classifier reads (modeldir.Inputs;
// labels last when withLabels).
func batchTensors(cfg models.Config, b *Batch, withLabels bool) ([]any, error) {
	args, err := modeldir.Inputs(cfg, b.Size, b.SeqLen, b.HLF, b.Seq)
	if err != nil {
		return nil, err
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
