package onnx

import (
	"fmt"
	"path/filepath"

	"github.com/godltrigger/godltrigger/pkg/atomicfile"
	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/onnx/classifier"
)

// Names of the graph's inputs and output.
const (
	InputHLF            = classifier.InputHLF            // float32 [batch, 14]: HLF_input (min-max scaled)
	InputSeq            = classifier.InputSeq            // float32 [batch, particles, 19]: GRU_input
	OutputProbabilities = classifier.OutputProbabilities // float32 [batch, 3]: softmax over the classes
)

// Export writes the ONNX model of the trained model directory modelDir (see modeldir.ModelFile)
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
	if info, err := modeldir.ReadInfo(modelDir); err == nil && info.Model.Kind.Tree() {
		return nil, fmt.Errorf("onnx: %s holds a tree ensemble (%s): only the networks export to ONNX; its model is %s in XGBoost's JSON format",
			modelDir, info.Model.Kind, filepath.Join(modelDir, modeldir.TreeModelFile))
	}
	info, w, err := modeldir.ReadWeights(modelDir)
	if err != nil {
		return nil, fmt.Errorf("onnx: %w", err)
	}
	meta, err := metadata(modelDir, info)
	if err != nil {
		return nil, err
	}
	return classifier.Model{
		Config: info.Model, MaxParticles: info.Options.MaxParticles, Truncate: info.Options.Truncate, Weights: w, Source: modelDir,
		Producer: Producer, ProducerVersion: producerVersion(),
		Doc: fmt.Sprintf("GoDLTrigger %s classifier: class probabilities (%s) of LHC events.",
			info.Model.Kind, OutputProbabilities),
		Metadata: meta,
	}.Marshal()
}
