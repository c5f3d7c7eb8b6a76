package onnx

import (
	"fmt"
	"path/filepath"

	"github.com/godltrigger/godltrigger/pkg/atomicfile"
	"github.com/godltrigger/godltrigger/pkg/models"
	"github.com/godltrigger/godltrigger/pkg/train"
)

// Names of the graph's inputs and output.
const (
	InputHLF            = "hlf"           // float32 [batch, 14]: HLF_input (min-max scaled)
	InputSeq            = "seq"           // float32 [batch, particles, 19]: GRU_input
	OutputProbabilities = "probabilities" // float32 [batch, 3]: softmax over the classes
)

// Export writes the ONNX model of the trained model directory modelDir (see train.ModelFile)
// to path, through a temporary file renamed into place when complete.
func Export(modelDir, path string) error {
	data, err := Build(modelDir)
	if err != nil {
		return err
	}
	if err := atomicfile.WriteFile(path, data); err != nil {
		return fmt.Errorf("onnx: %w", err)
	}
	return nil
}

// Build returns the ONNX ModelProto (serialized) of the trained model directory modelDir:
// its last checkpoint's weights, the graph of its classifier followed by Softmax, and the
// metadata described in the package documentation.
func Build(modelDir string) ([]byte, error) {
	if info, err := train.ReadModelInfo(modelDir); err == nil && info.Model.Kind.Tree() {
		return nil, fmt.Errorf("onnx: %s holds a tree ensemble (%s): only the networks export to ONNX; its model is %s in XGBoost's JSON format",
			modelDir, info.Model.Kind, filepath.Join(modelDir, train.TreeModelFile))
	}
	info, w, err := train.ModelWeights(modelDir)
	if err != nil {
		return nil, fmt.Errorf("onnx: %w", err)
	}
	g, err := classifierGraph(info, weights{dir: modelDir, w: w})
	if err != nil {
		return nil, err
	}
	meta, err := metadata(modelDir, info)
	if err != nil {
		return nil, err
	}
	m := model{
		producerName:    Producer,
		producerVersion: producerVersion(),
		docString: fmt.Sprintf("GoDLTrigger %s classifier: class probabilities (%s) of LHC events.",
			info.Model.Kind, OutputProbabilities),
		graph:    g,
		metadata: meta,
	}
	return m.marshal(), nil
}

// classifierGraph builds the graph of info.Model (inference: no dropout) with its weights.
func classifierGraph(info *train.ModelInfo, ws weights) (graph, error) {
	cfg := info.Model
	if err := cfg.Validate(); err != nil {
		return graph{}, fmt.Errorf("onnx: model %s: %w", ws.dir, err)
	}
	b := &builder{g: graph{name: "godltrigger_" + string(cfg.Kind)}}
	batch := []string{"batch"}
	if cfg.UsesHLF() {
		b.g.inputs = append(b.g.inputs, valueInfo{name: InputHLF, elemType: dtFloat,
			dims: []int64{-1, models.NumHLF}, dimParams: batch})
	}
	if cfg.UsesSequence() {
		b.g.inputs = append(b.g.inputs, valueInfo{name: InputSeq, elemType: dtFloat,
			dims: []int64{-1, -1, models.NumFeatures}, dimParams: []string{"batch", "particles"}})
	}
	b.g.outputs = []valueInfo{{name: OutputProbabilities, elemType: dtFloat,
		dims: []int64{-1, models.NumClasses}, dimParams: batch}}

	var x string
	var width int
	var err error
	switch cfg.Kind {
	case models.KindHLF:
		x, width = InputHLF, models.NumHLF
		for i, units := range cfg.HLFHidden {
			if x, err = b.dense(ws, fmt.Sprintf("/dense_%d", i), x, width, units); err != nil {
				return graph{}, err
			}
			x, width = b.op("Relu", []string{x}), units
		}
	case models.KindParticle:
		if x, err = b.maskedGRU(ws, "/gru", InputSeq, models.NumFeatures, cfg.GRUUnits, info.Options.MaxParticles); err != nil {
			return graph{}, err
		}
		width = cfg.GRUUnits
	case models.KindInclusive:
		h, err := b.maskedGRU(ws, "/gru", InputSeq, models.NumFeatures, cfg.GRUUnits, info.Options.MaxParticles)
		if err != nil {
			return graph{}, err
		}
		x = b.op("Concat", []string{h, InputHLF}, intAttr("axis", 1)) // GRU state first, as in models.Inclusive
		if x, err = b.dense(ws, "/dense_0", x, cfg.GRUUnits+models.NumHLF, cfg.InclusiveHidden); err != nil {
			return graph{}, err
		}
		x, width = b.op("Relu", []string{x}), cfg.InclusiveHidden
	}
	logits, err := b.dense(ws, "/output", x, width, models.NumClasses)
	if err != nil {
		return graph{}, err
	}
	b.g.nodes = append(b.g.nodes, node{name: "Softmax_output", opType: "Softmax",
		inputs: []string{logits}, outputs: []string{OutputProbabilities}, attrs: []attribute{intAttr("axis", -1)}})
	return b.g, nil
}
