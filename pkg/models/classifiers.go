package models

import (
	"fmt"

	. "github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/ml/context"
	"github.com/gomlx/gomlx/pkg/ml/layers"
	"github.com/gomlx/gomlx/pkg/ml/layers/activations"
)

// Logits builds the classifier cfg.Kind and returns its logits [B, 3]. hlf [B, 14] and seq
// [B, S, 19] are the inputs; the one a kind does not read may be nil. It panics on a bad
// configuration or input shape (graph building is where GoMLX reports errors by panicking).
func Logits(ctx *context.Context, cfg Config, hlf, seq *Node) *Node {
	if err := cfg.Validate(); err != nil {
		panic(err)
	}
	switch cfg.Kind {
	case KindHLF:
		return HLF(ctx, cfg, hlf)
	case KindParticle:
		return Particle(ctx, cfg, seq)
	case KindInclusive:
		return Inclusive(ctx, cfg, hlf, seq)
	}
	panic(fmt.Errorf("models: the %s classifier is a tree ensemble, not a network (package trees trains it)", cfg.Kind))
}

// HLF is the high-level-feature classifier: hlf [B, 14] -> Dense relu layers of sizes
// cfg.HLFHidden (50, 20, 10) -> Dense 3 logits.
func HLF(ctx *context.Context, cfg Config, hlf *Node) *Node {
	assertHLF(hlf)
	x := hlf
	for i, units := range cfg.HLFHidden {
		x = activations.Relu(Dense(ctx.In(fmt.Sprintf("dense_%d", i)), x, units))
	}
	return output(ctx, x)
}

// Particle is the particle-sequence classifier: seq [B, S, 19] -> Masking(0) -> GRU
// cfg.GRUUnits (50) -> Dense 3 logits.
func Particle(ctx *context.Context, cfg Config, seq *Node) *Node {
	assertSeq(seq)
	h := GRU(ctx.In("gru"), seq, cfg.GRUUnits, cfg.FlushGradBelow)
	return output(ctx, h)
}

// Inclusive is the inclusive classifier: the particle branch (Masking -> GRU) and the hlf input
// each go through Dropout cfg.Dropout (0.2, training only), are concatenated, then Dense
// cfg.InclusiveHidden (25) relu -> Dense 3 logits.
func Inclusive(ctx *context.Context, cfg Config, hlf, seq *Node) *Node {
	assertHLF(hlf)
	assertSeq(seq)
	if hlf.Shape().Dim(0) != seq.Shape().Dim(0) {
		panic(fmt.Errorf("models: inclusive inputs disagree on the batch size: hlf %s, seq %s", hlf.Shape(), seq.Shape()))
	}
	h := GRU(ctx.In("gru"), seq, cfg.GRUUnits, cfg.FlushGradBelow)
	h = layers.DropoutStatic(ctx.In("dropout_gru"), h, cfg.Dropout)
	f := layers.DropoutStatic(ctx.In("dropout_hlf"), hlf, cfg.Dropout)
	x := Concatenate([]*Node{h, f}, -1)
	x = activations.Relu(Dense(ctx.In("dense_0"), x, cfg.InclusiveHidden))
	return output(ctx, x)
}

func output(ctx *context.Context, x *Node) *Node {
	logits := Dense(ctx.In("output"), x, NumClasses)
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
