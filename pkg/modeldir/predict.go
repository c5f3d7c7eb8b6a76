package modeldir

import (
	"fmt"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/godltrigger/godltrigger/pkg/models"
)

// PredictBatch is the number of rows per inference graph execution.
const PredictBatch = 512

// Predictor computes class probabilities with a trained model directory.
type Predictor struct {
	Info *Info
	step *model.Exec // GoMLX's graph of the classifier
	// onnx, on the ONNX Runtime backend, runs instead the classifier's ONNX graph (package
	// onnx/classifier: ONNX's GRU operator), many times faster than GoMLX's unrolled graph.
	onnx    compute.Executable
	backend compute.Backend
	trees   ProbabilityModel // set instead of step for the tree ensembles
}

// Load loads the checkpoint that dir serves (the best epoch's with the restore_best
// option, else the last) for inference on backend (nil: NewBackend).
// On the ONNX Runtime backend it runs the model's ONNX graph (as 'dltrigger export' writes
// it) in ONNX Runtime; elsewhere GoMLX's graph. Both give the same probabilities to float32
// rounding. For a tree ensemble it loads XGBoost's model (TreeModelFile; no backend is used).
func Load(dir string, backend compute.Backend) (*Predictor, error) {
	if info, err := ReadInfo(dir); err != nil {
		return nil, err
	} else if info.Model.Kind.Tree() {
		m, err := loadTreeModel(dir, info)
		if err != nil {
			return nil, err
		}
		return &Predictor{Info: info, trees: m}, nil
	}
	info, store, err := LoadStore(dir)
	if err != nil {
		return nil, err
	}
	if backend == nil {
		if backend, _, err = NewBackend(nil); err != nil {
			return nil, err
		}
	}
	p := &Predictor{Info: info, backend: backend}
	if p.onnx, err = loadONNX(backend, info, store, dir); err != nil {
		return nil, fmt.Errorf("modeldir: load %s into ONNX Runtime: %w", dir, err)
	}
	if p.onnx == nil {
		if p.step, err = newPredictStep(backend, store, info.Model); err != nil {
			return nil, fmt.Errorf("modeldir: build prediction step for %s: %w", dir, err)
		}
	}
	return p, nil
}

// Engine names what runs the predictions: "ONNX Runtime (ONNX graph)" or "GoMLX graph on
// <kernel family>".
func (p *Predictor) Engine() string {
	if p.trees != nil {
		return "XGBoost"
	}
	if p.onnx != nil {
		return "ONNX Runtime (ONNX graph)"
	}
	return "GoMLX graph on " + KernelFamily(p.backend)
}

// Predict returns the class probabilities (softmax) [N, 3], row-major, of N rows given as in
// Data (the labels are not read). Sequences longer than the model's max_particles are
// truncated as in training (the rows its truncate option says).
func (p *Predictor) Predict(d Data) (probs []float32, err error) {
	defer func() {
		if r := recover(); r != nil {
			probs, err = nil, fmt.Errorf("modeldir: predict: %v", r)
		}
	}()
	if p.trees != nil {
		return p.trees.Predict(d)
	}
	cfg := p.Info.Model
	n, err := rowCount(cfg, d)
	if err != nil {
		return nil, err
	}
	probs = make([]float32, 0, n*models.NumClasses)
	var buf []float32
	rowSeq := d.SeqLen * models.NumFeatures
	for start := 0; start < n; start += PredictBatch {
		size := min(PredictBatch, n-start)
		var hlf, seq []float32
		if d.HLF != nil {
			hlf = d.HLF[start*models.NumHLF : (start+size)*models.NumHLF]
		}
		seqLen := d.SeqLen
		if d.Seq != nil {
			seq, seqLen = TruncateParticles(d.Seq[start*rowSeq:(start+size)*rowSeq], size, d.SeqLen, p.Info.Options, buf)
			if seqLen != d.SeqLen {
				buf = seq
			}
		}
		args, err := Inputs(cfg, size, seqLen, hlf, seq)
		if err != nil {
			return nil, err
		}
		var out []*tensors.Tensor
		if p.onnx != nil {
			out, err = runExecutable(p.backend, p.onnx, args)
		} else {
			out, err = p.step.Call(args...)
		}
		for _, a := range args {
			a.(*tensors.Tensor).FinalizeAll()
		}
		if err != nil {
			return nil, fmt.Errorf("modeldir: predict: %w", err)
		}
		probs = append(probs, tensors.MustCopyFlatData[float32](out[0])...)
		for _, t := range out {
			t.FinalizeAll()
		}
	}
	return probs, nil
}

// runExecutable runs a backend executable on tensors and returns its outputs as tensors.
func runExecutable(backend compute.Backend, exec compute.Executable, args []any) ([]*tensors.Tensor, error) {
	buffers := make([]compute.Buffer, len(args))
	for i, a := range args {
		b, err := a.(*tensors.Tensor).Buffer(backend, 0)
		if err != nil {
			return nil, err
		}
		buffers[i] = b
	}
	outs, err := exec.Execute(buffers, make([]bool, len(buffers)), 0)
	if err != nil {
		return nil, err
	}
	ts := make([]*tensors.Tensor, len(outs))
	for i, o := range outs {
		if ts[i], err = tensors.FromBuffer(o); err != nil {
			return nil, err
		}
	}
	return ts, nil
}

// Close releases the compiled graphs.
func (p *Predictor) Close() {
	if p.trees != nil {
		p.trees.Close()
	}
	if p.step != nil {
		p.step.Finalize()
	}
	if p.onnx != nil {
		p.onnx.Finalize()
	}
}

// Predict loads dir and returns the class probabilities [N, 3] of d's rows; see Predictor.
func Predict(dir string, backend compute.Backend, d Data) ([]float32, error) {
	p, err := Load(dir, backend)
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
			return 0, fmt.Errorf("modeldir: the %s classifier needs [N, %d] high-level features, got %d values",
				cfg.Kind, models.NumHLF, len(d.HLF))
		}
		n = len(d.HLF) / models.NumHLF
	}
	if cfg.UsesSequence() {
		row := d.SeqLen * models.NumFeatures
		if d.Seq == nil || row <= 0 || len(d.Seq)%row != 0 {
			return 0, fmt.Errorf("modeldir: the %s classifier needs [N, S, %d] sequences, got %d values with S=%d",
				cfg.Kind, models.NumFeatures, len(d.Seq), d.SeqLen)
		}
		if m := len(d.Seq) / row; n >= 0 && m != n {
			return 0, fmt.Errorf("modeldir: %d rows of high-level features but %d sequences", n, m)
		} else {
			n = m
		}
	}
	if n == 0 {
		return 0, fmt.Errorf("modeldir: nothing to predict")
	}
	return n, nil
}
