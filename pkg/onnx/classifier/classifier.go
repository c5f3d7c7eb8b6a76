// Package classifier writes the ONNX model (a serialized ModelProto) of one of package models'
// classifiers from its trained weights: the graph of package onnx's documentation, without
// reading any file. Package onnx exports model directories with it; package modeldir runs it in
// ONNX Runtime for fast inference.
package classifier

import (
	"fmt"

	"github.com/godltrigger/godltrigger/pkg/models"
)

// Names of the graph's inputs and output.
const (
	InputHLF            = "hlf"           // float32 [batch, 14]: HLF_input (min-max scaled)
	InputSeq            = "seq"           // float32 [batch, particles, 19]: GRU_input (also of the Transformer variants)
	OutputProbabilities = "probabilities" // float32 [batch, 3]: softmax over the classes
)

// Model is what an ONNX file of a classifier holds.
type Model struct {
	Config models.Config
	// MaxParticles > 0 makes the graph read only MaxParticles particle rows, those Truncate
	// says (as the model was trained): the last ones (nearest the lepton) or the first ones.
	MaxParticles int
	Truncate     models.Truncation
	// Weights are the trained variables keyed by their path below the model scope, as
	// package models names them: "/dense_0/weights", "/gru/kernel", "/lstm/bias", "/output/biases".
	Weights map[string]Weight
	// Source names the model in errors (its directory).
	Source                         string
	Producer, ProducerVersion, Doc string
	Metadata                       []KeyValue
}

// Marshal returns the serialized ModelProto: the classifier's graph (inference: no dropout)
// followed by Softmax, with m's weights and metadata.
func (m Model) Marshal() ([]byte, error) {
	if err := m.Truncate.Validate(); err != nil {
		return nil, fmt.Errorf("onnx: model %s: %w", m.Source, err)
	}
	g, err := classifierGraph(m.Config, truncation{m.MaxParticles, m.Truncate}, weights{dir: m.Source, w: m.Weights})
	if err != nil {
		return nil, err
	}
	p := model{producerName: m.Producer, producerVersion: m.ProducerVersion, docString: m.Doc, graph: g, metadata: m.Metadata}
	if m.Config.Kind.Transformer() {
		p.irVersion, p.opset = IRVersionTransformer, OpsetTransformer
	}
	return p.marshal(), nil
}

// classifierGraph builds the graph of cfg with its weights.
func classifierGraph(cfg models.Config, trunc truncation, ws weights) (graph, error) {
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
	switch {
	case cfg.Kind == models.KindHLF:
		x, width = InputHLF, models.NumHLF
		for i, units := range cfg.HLFHidden {
			if x, err = b.dense(ws, fmt.Sprintf("/dense_%d", i), x, width, units); err != nil {
				return graph{}, err
			}
			x, width = b.op("Relu", []string{x}), units
		}
	case cfg.Kind.RecurrentLayer() != "": // the recurrent layer, then for the inclusive classifiers the HLF
		units := cfg.RecurrentUnits()
		layer := b.maskedGRU
		if cfg.Kind.RecurrentLayer() == models.LayerLSTM {
			layer = b.maskedLSTM
		}
		if x, err = layer(ws, "/"+cfg.Kind.RecurrentLayer(), InputSeq, models.NumFeatures, units, trunc); err != nil {
			return graph{}, err
		}
		width = units
		if cfg.Kind.Joint() {
			x = b.op("Concat", []string{x, InputHLF}, intAttr("axis", 1)) // recurrent state first, as in models.Inclusive
			if x, err = b.dense(ws, "/dense_0", x, units+models.NumHLF, cfg.InclusiveHidden); err != nil {
				return graph{}, err
			}
			x, width = b.op("Relu", []string{x}), cfg.InclusiveHidden
		}
	case cfg.Kind.Transformer():
		p, err := b.transformerBranch(ws, cfg, InputSeq, trunc)
		if err != nil {
			return graph{}, err
		}
		x = b.op("Concat", []string{p, InputHLF}, intAttr("axis", 1)) // particle summary first, as in models.InclusiveTransformer
		if x, err = b.dense(ws, "/dense_0", x, cfg.ParticleDenseUnits+models.NumHLF, cfg.InclusiveHidden); err != nil {
			return graph{}, err
		}
		x, width = b.op("Relu", []string{x}), cfg.InclusiveHidden
	default:
		return graph{}, fmt.Errorf("onnx: model %s: the %s classifier has no ONNX graph", ws.dir, cfg.Kind)
	}
	logits, err := b.dense(ws, "/output", x, width, models.NumClasses)
	if err != nil {
		return graph{}, err
	}
	b.g.nodes = append(b.g.nodes, node{name: "Softmax_output", opType: "Softmax",
		inputs: []string{logits}, outputs: []string{OutputProbabilities}, attrs: []attribute{intAttr("axis", -1)}})
	return b.g, nil
}
