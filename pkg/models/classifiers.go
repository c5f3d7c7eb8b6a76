package models

import (
	"fmt"

	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/layers"
	"github.com/gomlx/gomlx/ml/layers/activation"
	"github.com/gomlx/gomlx/ml/model"
)

// Logits builds the classifier cfg.Kind and returns its logits [B, 3]. hlf [B, 14] and seq
// [B, S, 19] are the inputs; the one a kind does not read may be nil. It panics on a bad
// configuration or input shape (graph building is where GoMLX reports errors by panicking).
func Logits(scope *model.Scope, cfg Config, hlf, seq *Node) *Node {
	if err := cfg.Validate(); err != nil {
		panic(err)
	}
	switch cfg.Kind {
	case KindHLF:
		return HLF(scope, cfg, hlf)
	case KindParticle, KindParticleLSTM:
		return Particle(scope, cfg, seq)
	case KindInclusive, KindInclusiveLSTM:
		return Inclusive(scope, cfg, hlf, seq)
	case KindInclusiveTransformer, KindInclusiveTransformerMasked:
		return InclusiveTransformer(scope, cfg, hlf, seq)
	}
	panic(fmt.Errorf("models: the %s classifier is a tree ensemble, not a network (package trees trains it)", cfg.Kind))
}

// HLF is the high-level-feature classifier: hlf [B, 14] -> Dense relu layers of sizes
// cfg.HLFHidden (50, 20, 10) -> Dense 3 logits.
func HLF(scope *model.Scope, cfg Config, hlf *Node) *Node {
	assertHLF(hlf)
	x := hlf
	for i, units := range cfg.HLFHidden {
		x = activation.Relu(Dense(scope.In("dense_%d", i), x, units))
	}
	return output(scope, x)
}

// Particle is the particle-sequence classifier: seq [B, S, 19] -> Masking(0) -> GRU
// cfg.GRUUnits (50) -> Dense 3 logits; for KindParticleLSTM an LSTM cfg.LSTMUnits (50) in
// place of the GRU.
func Particle(scope *model.Scope, cfg Config, seq *Node) *Node {
	assertSeq(seq)
	return output(scope, recurrent(scope, cfg, seq))
}

// recurrent runs the recurrent layer of cfg's kind (with its masking) over seq, in the scope
// named after the layer ("gru", "lstm"), and returns its last state.
func recurrent(scope *model.Scope, cfg Config, seq *Node) *Node {
	layer := cfg.Kind.RecurrentLayer()
	switch layer {
	case LayerGRU:
		return GRU(scope.In("%s", layer), seq, cfg.GRUUnits, cfg.FlushGradBelow)
	case LayerLSTM:
		return LSTM(scope.In("%s", layer), seq, cfg.LSTMUnits, cfg.FlushGradBelow)
	}
	panic(fmt.Errorf("models: the %s classifier reads no particle sequence", cfg.Kind))
}

// Inclusive is the inclusive classifier: the particle branch (Masking -> GRU, or LSTM for
// KindInclusiveLSTM) and the hlf input each go through Dropout cfg.Dropout (0.2, training
// only), are concatenated, then Dense cfg.InclusiveHidden (25) relu -> Dense 3 logits.
func Inclusive(scope *model.Scope, cfg Config, hlf, seq *Node) *Node {
	assertHLF(hlf)
	assertSeq(seq)
	if hlf.Shape().Dim(0) != seq.Shape().Dim(0) {
		panic(fmt.Errorf("models: inclusive inputs disagree on the batch size: hlf %s, seq %s", hlf.Shape(), seq.Shape()))
	}
	h := recurrent(scope, cfg, seq)
	h = layers.DropoutStatic(scope.In("dropout_%s", cfg.Kind.RecurrentLayer()), h, cfg.Dropout)
	f := layers.DropoutStatic(scope.In("dropout_hlf"), hlf, cfg.Dropout)
	x := Concatenate([]*Node{h, f}, -1)
	x = activation.Relu(Dense(scope.In("dense_0"), x, cfg.InclusiveHidden))
	return output(scope, x)
}

func output(scope *model.Scope, x *Node) *Node {
	logits := Dense(scope.In("output"), x, NumClasses)
	logits.AssertDims(x.Shape().Dim(0), NumClasses)
	return logits
}

func assertHLF(hlf *Node) {
	if hlf == nil || hlf.Rank() != 2 || hlf.Shape().Dim(1) != NumHLF {
		panic(fmt.Errorf("models: hlf input must be [batch, %d], got %v", NumHLF, shapeOf(hlf)))
	}
}

func assertSeq(seq *Node) {
	if seq == nil || seq.Rank() != 3 || seq.Shape().Dim(1) < 1 || seq.Shape().Dim(2) != NumFeatures {
		panic(fmt.Errorf("models: sequence input must be [batch, particles, %d], got %v", NumFeatures, shapeOf(seq)))
	}
}

func shapeOf(x *Node) any {
	if x == nil {
		return "nothing"
	}
	return x.Shape()
}
