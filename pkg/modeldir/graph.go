package modeldir

import (
	"fmt"

	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/godltrigger/godltrigger/pkg/models"
)

// ModelScope is the scope of the classifiers' weights; every other variable (optimizer
// moments, step counters, random generator state) lives outside it.
const ModelScope = "model"

// Inputs converts size rows of model inputs (hlf [size, 14], seq [size, seqLen, 19]) to the
// graph inputs the classifier cfg reads: the high-level features if it reads them, then the
// sequences if it reads them.
func Inputs(cfg models.Config, size, seqLen int, hlf, seq []float32) ([]any, error) {
	var args []any
	if cfg.UsesHLF() {
		if hlf == nil {
			return nil, fmt.Errorf("modeldir: the %s classifier needs high-level features, the source has none", cfg.Kind)
		}
		args = append(args, tensors.FromFlatDataAndDimensions(hlf, size, models.NumHLF))
	}
	if cfg.UsesSequence() {
		if seq == nil {
			return nil, fmt.Errorf("modeldir: the %s classifier needs particle sequences, the source has none", cfg.Kind)
		}
		args = append(args, tensors.FromFlatDataAndDimensions(seq, size, seqLen, models.NumFeatures))
	}
	return args, nil
}

// SplitInputs maps graph inputs laid out as Inputs makes them, followed by any others (rest),
// to their roles.
func SplitInputs(cfg models.Config, in []*Node) (hlf, seq *Node, rest []*Node) {
	i := 0
	if cfg.UsesHLF() {
		hlf = in[i]
		i++
	}
	if cfg.UsesSequence() {
		seq = in[i]
		i++
	}
	return hlf, seq, in[i:]
}

// newPredictStep compiles the class probabilities (softmax of the logits) of a batch; its
// inputs are those of Inputs.
func newPredictStep(backend compute.Backend, store *model.Store, cfg models.Config) (*model.Exec, error) {
	return model.NewExec(backend, store, func(scope *model.Scope, in []*Node) []*Node {
		store.SetTraining(in[0].Graph(), false)
		hlf, seq, _ := SplitInputs(cfg, in)
		return []*Node{Softmax(models.Logits(scope.In(ModelScope), cfg, hlf, seq), -1)}
	})
}
