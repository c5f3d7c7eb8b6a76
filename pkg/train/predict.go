package train

import (
	"fmt"
	"path/filepath"

	"github.com/gomlx/gomlx/backends"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
	"github.com/gomlx/gomlx/pkg/ml/context/checkpoints"

	"github.com/godltrigger/godltrigger/pkg/models"
)

// predictBatch is the number of rows per inference graph execution.
const predictBatch = 512

// Predictor computes class probabilities with a trained model directory.
type Predictor struct {
	Info  *ModelInfo
	step  *context.Exec
	model ProbabilityModel // set instead of step for the tree ensembles
}

// LoadPredictor loads the last checkpoint of dir for inference on backend (nil: NewBackend);
// for a tree ensemble, XGBoost's model (TreeModelFile; no backend is used).
func LoadPredictor(dir string, backend backends.Backend) (*Predictor, error) {
	info, err := ReadModelInfo(dir)
	if err != nil {
		return nil, err
	}
	if info.Model.Kind.Tree() {
		m, err := loadTreeModel(dir, info)
		if err != nil {
			return nil, err
		}
		return &Predictor{Info: info, model: m}, nil
	}
	if backend == nil {
		if backend, _, err = NewBackend(nil); err != nil {
			return nil, err
		}
	}
	ctx := context.New()
	ckDir := filepath.Join(dir, CheckpointDir)
	if _, err := checkpoints.Load(ctx).Dir(ckDir).Immediate().Done(); err != nil {
		return nil, fmt.Errorf("train: load model %s: %w", ckDir, err)
	}
	step, err := newPredictStep(backend, ctx, info.Model)
	if err != nil {
		return nil, fmt.Errorf("train: build prediction step for %s: %w", dir, err)
	}
	return &Predictor{Info: info, step: step}, nil
}

// Predict returns the class probabilities (softmax) [N, 3], row-major, of N rows given as in
// Data (the labels are not read). Sequences longer than the model's max_particles are
// truncated as in training.
func (p *Predictor) Predict(d Data) (probs []float32, err error) {
	defer func() {
		if r := recover(); r != nil {
			probs, err = nil, fmt.Errorf("train: predict: %v", r)
		}
	}()
	if p.model != nil {
		return p.model.Predict(d)
	}
	cfg := p.Info.Model
	n, err := rowCount(cfg, d)
	if err != nil {
		return nil, err
	}
	probs = make([]float32, 0, n*models.NumClasses)
	var buf []float32
	rowSeq := d.SeqLen * models.NumFeatures
	for start := 0; start < n; start += predictBatch {
		size := min(predictBatch, n-start)
		b := &Batch{Size: size, SeqLen: d.SeqLen}
		if d.HLF != nil {
			b.HLF = d.HLF[start*models.NumHLF : (start+size)*models.NumHLF]
		}
		if d.Seq != nil {
			b.Seq = d.Seq[start*rowSeq : (start+size)*rowSeq]
		}
		buf = truncateParticles(b, p.Info.Options.MaxParticles, buf)
		args, err := batchTensors(cfg, b, false)
		if err != nil {
			return nil, err
		}
		out, err := p.step.Exec(args...)
		if err != nil {
			return nil, fmt.Errorf("train: predict: %w", err)
		}
		probs = append(probs, tensors.MustCopyFlatData[float32](out[0])...)
		finalize(out)
	}
	return probs, nil
}

// Close releases the compiled graphs.
func (p *Predictor) Close() {
	if p.model != nil {
		p.model.Close()
		return
	}
	p.step.Finalize()
}

// Predict loads dir and returns the class probabilities [N, 3] of d's rows; see Predictor.
func Predict(dir string, backend backends.Backend, d Data) ([]float32, error) {
	p, err := LoadPredictor(dir, backend)
	if err != nil {
		return nil, err
	}
	defer p.Close()
	return p.Predict(d)
}

// rowCount checks that d holds the inputs cfg reads and returns its number of rows.
func rowCount(cfg models.Config, d Data) (int, error) {
	n := -1
	if cfg.UsesHLF() {
		if d.HLF == nil || len(d.HLF)%models.NumHLF != 0 {
			return 0, fmt.Errorf("train: the %s classifier needs [N, %d] high-level features, got %d values",
				cfg.Kind, models.NumHLF, len(d.HLF))
		}
		n = len(d.HLF) / models.NumHLF
	}
	if cfg.UsesSequence() {
		row := d.SeqLen * models.NumFeatures
		if d.Seq == nil || row <= 0 || len(d.Seq)%row != 0 {
			return 0, fmt.Errorf("train: the %s classifier needs [N, S, %d] sequences, got %d values with S=%d",
				cfg.Kind, models.NumFeatures, len(d.Seq), d.SeqLen)
		}
		if m := len(d.Seq) / row; n >= 0 && m != n {
			return 0, fmt.Errorf("train: %d rows of high-level features but %d sequences", n, m)
		} else {
			n = m
		}
	}
	if n == 0 {
		return 0, fmt.Errorf("train: nothing to predict")
	}
	return n, nil
}
