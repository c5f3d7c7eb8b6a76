package models

import (
	"fmt"
	"math"

	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/layers"
	"github.com/gomlx/gomlx/ml/layers/activation"
	"github.com/gomlx/gomlx/ml/layers/attention"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/nn"
)

// LayerNormEpsilon is the epsilon of the Transformer variants' LayerNormalization (the
// original's LayerNormalization(epsilon=1e-6)).
const LayerNormEpsilon = 1e-6

// Columns of a particle row the ΔR pair bias reads (PIPELINE.md, step 1: Energy, Px, Py, Pz,
// Pt, Eta, Phi, ...).
const (
	ColumnEta = 5
	ColumnPhi = 6
)

// InclusiveTransformer is the Transformer variant of the inclusive classifier, cfg.Kind
// KindInclusiveTransformer (the original's) or KindInclusiveTransformerMasked (ours).
//
// KindInclusiveTransformer, as the original's notebook defines it, with seq [B, S, 19]:
//
//	a = MultiHeadAttention(heads 8, key_dim 19)(seq, seq, seq)  no mask, no positional encoding
//	a = Dropout(0.2)(LayerNormalization(ε 1e-6)(a))               no residual connection
//	t = relu(TimeDistributed(Dense(20))(a))                       [B, S, 20]
//	p = relu(Dense(10)(Flatten(t)))                               [B, 10]
//	logits = Dense(3)(relu(Dense(25)(concat(p, Dropout(0.2)(hlf)))))
//
// Its parameters with the defaults and S = 801 are the original's 173,378: the attention
// 3·(19·8·19 + 8·19) + 8·19·19 + 19 = 12,027; LayerNorm 2·19 = 38 (so it normalises the
// attention's 19 outputs, before the 20-unit Dense); TimeDistributed 19·20 + 20 = 400;
// Dense(10) after Flatten 801·20·10 + 10 = 160,210; Dense(25) (10+14)·25 + 25 = 625; output
// 25·3 + 3 = 78. Flatten makes the Dense(10) kernel [S·20, 10]: the count depends on the
// sequence length the model is built for (a model trained with --max-particles K has K·200
// weights there and reads exactly K rows).
//
// KindInclusiveTransformerMasked differs in three places, all documented in
// TransformerMasked: padding rows (Mask false) are masked out of the attention's keys; the
// particle summary is the mean of t over the real particles instead of Flatten (so Dense(10)
// is [20, 10] and the count, 13,378 with the defaults, does not depend on S); and optionally
// (cfg.PairBias) a learned ΔR bias is added to the attention scores.
//
// The variables are Keras's, one to one: "attention/query/kernel" [19, heads, key_dim] and
// ".../bias" [heads, key_dim] (also key, value), "attention/output/kernel" [heads, key_dim,
// 19] and ".../bias" [19]; "layer_norm/gamma" and "beta" [19]; "time_distributed/weights"
// and "biases"; "particle_dense/..."; "dense_0/..."; "output/...". Kernels are Glorot-uniform
// with Keras's fans (see InitGlorotUniform), biases and beta zero, gamma one.
func InclusiveTransformer(scope *model.Scope, cfg Config, hlf, seq *Node) *Node {
	assertHLF(hlf)
	assertSeq(seq)
	if hlf.Shape().Dim(0) != seq.Shape().Dim(0) {
		panic(fmt.Errorf("models: %s inputs disagree on the batch size: hlf %s, seq %s", cfg.Kind, hlf.Shape(), seq.Shape()))
	}
	if !cfg.Kind.Transformer() {
		panic(fmt.Errorf("models: InclusiveTransformer builds the Transformer variants, not %s", cfg.Kind))
	}
	var p *Node
	if cfg.Kind == KindInclusiveTransformerMasked {
		p = TransformerMasked(scope, cfg, seq)
	} else {
		p = TransformerFlatten(scope, cfg, seq)
	}
	f := layers.DropoutStatic(scope.In("dropout_hlf"), hlf, cfg.Dropout)
	x := Concatenate([]*Node{p, f}, -1)
	x = activation.Relu(Dense(scope.In("dense_0"), x, cfg.InclusiveHidden))
	return output(scope, x)
}

// TransformerFlatten is the particle branch of the original's Transformer variant: seq
// [B, S, 19] -> attention (no mask) -> LayerNorm -> Dropout -> relu TimeDistributed Dense ->
// Flatten -> relu Dense [B, cfg.ParticleDenseUnits]. See InclusiveTransformer.
func TransformerFlatten(scope *model.Scope, cfg Config, seq *Node) *Node {
	t := transformerRows(scope, cfg, seq, nil, nil)
	batch, steps, units := t.Shape().Dim(0), t.Shape().Dim(1), t.Shape().Dim(2)
	return activation.Relu(Dense(scope.In("particle_dense"), Reshape(t, batch, steps*units), cfg.ParticleDenseUnits))
}

// TransformerMasked is the particle branch of the masked Transformer variant: seq [B, S, 19]
// -> attention whose keys are the real particles -> LayerNorm -> Dropout -> relu
// TimeDistributed Dense -> mean over the real particles -> relu Dense [B, cfg.ParticleDenseUnits].
//
// Real particles are the rows Mask keeps (any feature differs from 0); padding rows are all
// 19 features exactly 0. Only a dataset prepared with padding kept at zero has such rows: the
// default preparation standardises every row, so no row is all zero, every row is real, and
// the masking changes nothing (the branch is then plain attention followed by a mean over all
// rows). An event with no real particle attends over all its rows (so no softmax is taken
// over an empty set, which would give NaN) and its mean is 0: its output is finite and comes
// from the HLF alone.
//
// The summary is the mean over real particles, Σ_s m_s·t_s / max(1, Σ_s m_s): it does not
// depend on where the particles sit in the 801 rows or on how many padding rows follow, so
// appending padding rows changes nothing, and the parameter count does not depend on S.
//
// With cfg.PairBias, head h adds w_h·ΔR_ij to the score of query i and key j, with w
// ("pair_bias/weights" [heads], zero at initialisation, so training starts from plain
// attention) and ΔR_ij = √((η_i-η_j)² + (φ_i-φ_j)²) from the Eta and Phi columns, as the
// Particle Transformer (Qu et al., arXiv:2202.03772) biases attention with pairwise
// features. What it sees: the sequence is standardised per event and column in preparation,
// so η and φ are (x - mean)/std of the event, not angles: ΔR is a distance in that
// standardised plane, with η and φ scaled by different per-event widths and φ not wrapped at
// ±π (the wrap has no meaning after standardisation).
func TransformerMasked(scope *model.Scope, cfg Config, seq *Node) *Node {
	g := seq.Graph()
	batch, steps := seq.Shape().Dim(0), seq.Shape().Dim(1)
	real := Mask(StopGradient(seq)) // [B, S]
	var bias *Node
	if cfg.PairBias {
		w := variable(scope.In("pair_bias"), g, "weights", InitZeros, cfg.AttentionHeads)
		bias = pairBiasScores(w, seq, ColumnEta, ColumnPhi)
	}
	t := transformerRows(scope, cfg, seq, attentionKeyMask(real), bias)
	m := ConvertDType(Reshape(real, batch, steps, 1), t.DType())
	count := Max(ReduceSum(m, 1), ScalarOne(g, t.DType())) // [B, 1]
	pooled := Div(ReduceSum(Mul(t, m), 1), count)          // [B, units]
	return activation.Relu(Dense(scope.In("particle_dense"), pooled, cfg.ParticleDenseUnits))
}

// attentionKeyMask returns the boolean key mask [B, 1, 1, S] (broadcast to the scores [B, Sq,
// H, Sk]) of the real rows real [B, S]: the real rows, or every row of an event that has none.
func attentionKeyMask(real *Node) *Node {
	batch, steps := real.Shape().Dim(0), real.Shape().Dim(1)
	none := LogicalNot(ReduceLogicalOr(real, -1))
	keys := LogicalOr(real, BroadcastToDims(Reshape(none, batch, 1), batch, steps))
	return Reshape(keys, batch, 1, 1, steps)
}

// pairBiasScores returns w_h·ΔR_ij [B, H, S, S] for the per-head weights w [H] and the rows
// of seq [B, S, F], ΔR_ij = √((η_i-η_j)² + (φ_i-φ_j)²) from its columns eta and phi as they
// are (see TransformerMasked). seq takes no gradient (ΔR's would not be finite where ΔR = 0).
func pairBiasScores(w, seq *Node, eta, phi int) *Node {
	seq = StopGradient(seq)
	e := SliceAxis(seq, 2, AxisElem(eta)) // [B, S, 1]
	p := SliceAxis(seq, 2, AxisElem(phi))
	de := Sub(e, TransposeAllAxes(e, 0, 2, 1))
	dp := Sub(p, TransposeAllAxes(p, 0, 2, 1))
	dr := Sqrt(Add(Square(de), Square(dp))) // [B, S, S]
	heads := w.Shape().Dim(0)
	return Mul(Reshape(w, 1, heads, 1, 1), InsertAxes(dr, 1))
}

// transformerRows is the per-row part of both variants: seq [B, S, 19] -> multi-head
// self-attention (keyMask [B, 1, 1, S] boolean and bias [B, H, S, S] optional) -> LayerNorm
// -> Dropout -> relu TimeDistributed Dense [B, S, cfg.TimeDistributedUnits].
func transformerRows(scope *model.Scope, cfg Config, seq, keyMask, bias *Node) *Node {
	x := StopGradient(seq) // the inputs take no gradient
	a := MultiHeadSelfAttention(scope.In("attention"), x, cfg.AttentionHeads, cfg.AttentionKeyDim, keyMask, bias)
	a = LayerNorm(scope.In("layer_norm"), a, LayerNormEpsilon)
	a = layers.DropoutStatic(scope.In("dropout_attention"), a, cfg.Dropout)
	batch, steps, width := a.Shape().Dim(0), a.Shape().Dim(1), a.Shape().Dim(2)
	t := Dense(scope.In("time_distributed"), Reshape(a, batch*steps, width), cfg.TimeDistributedUnits)
	return Reshape(activation.Relu(t), batch, steps, cfg.TimeDistributedUnits)
}

// MultiHeadSelfAttention is Keras's MultiHeadAttention(num_heads=heads, key_dim=keyDim) called
// as attention(x, x, x) on x [B, S, F], returning [B, S, F] (see attentionWeights.apply), with
// the variables of Keras's layer in scope: "query", "key" and "value" each with "kernel" [F,
// heads, keyDim] and "bias" [heads, keyDim]; "output" with "kernel" [heads, keyDim, F] and
// "bias" [F]. keyMask (boolean, broadcast to [B, S, heads, S]) and bias ([B, heads, S, S])
// may be nil.
func MultiHeadSelfAttention(scope *model.Scope, x *Node, heads, keyDim int, keyMask, bias *Node) *Node {
	if x.Rank() != 3 {
		panic(fmt.Errorf("models: attention input must be [batch, steps, features], got %s", x.Shape()))
	}
	g := x.Graph()
	features := x.Shape().Dim(2)
	var w attentionWeights
	for i, name := range []string{"query", "key", "value"} {
		s := scope.In("%s", name)
		w.Kernels[i] = variable(s, g, "kernel", InitGlorotUniform, features, heads, keyDim)
		w.Biases[i] = variable(s, g, "bias", InitZeros, heads, keyDim)
	}
	s := scope.In("output")
	w.Output = variable(s, g, "kernel", InitGlorotUniform, heads, keyDim, features)
	w.OutputBias = variable(s, g, "bias", InitZeros, features)
	return w.apply(x, keyMask, bias)
}

// attentionWeights are the variables of one multi-head attention layer: Kernels and Biases
// of the query, key and value projections ([F, H, D] and [H, D]), Output [H, D, F] and
// OutputBias [F].
type attentionWeights struct {
	Kernels, Biases    [3]*Node
	Output, OutputBias *Node
}

// apply computes the self-attention of x [B, S, F]: per head h,
//
//	q = x·Wq_h + bq_h, k = x·Wk_h + bk_h, v = x·Wv_h + bv_h      [B, S, D]
//	o_h = softmax(q·kᵀ/√D + bias_h, over the keys keyMask keeps)·v
//	out = Σ_h o_h·Wo_h + bo                                      [B, S, F]
//
// The scaled dot product is GoMLX's attention.Core, which uses the backend's fused kernel
// where it has one.
func (w attentionWeights) apply(x, keyMask, bias *Node) *Node {
	batch, steps, features := x.Shape().Dim(0), x.Shape().Dim(1), x.Shape().Dim(2)
	heads, keyDim := w.Output.Shape().Dim(0), w.Output.Shape().Dim(1)
	rows := Reshape(x, batch*steps, features)
	var qkv [3]*Node
	for i := range qkv {
		b := w.Biases[i]
		if i == 1 {
			// The key bias adds q_i·bk to every score of query i alike, which the softmax
			// ignores: its exact gradient is 0. Computed, it is float32 rounding noise, which
			// Adam (it divides by the gradient's own scale) turns into steps of ~1e-2·lr that
			// depend on the order of sums (one process or several ranks). StopGradient gives
			// the exact 0; the forward pass is Keras's.
			b = StopGradient(b)
		}
		p := Add(DotProduct(rows, Reshape(w.Kernels[i], features, heads*keyDim)), Reshape(b, 1, heads*keyDim))
		qkv[i] = Reshape(p, batch, steps, heads, keyDim) // [B, S, H, D]: attention.LayoutBSHD
	}
	o, _ := attention.Core(qkv[0], qkv[1], qkv[2], attention.LayoutBSHD, attention.CoreOptions{
		Scale:         1 / math.Sqrt(float64(keyDim)),
		AttentionMask: keyMask,
		AttentionBias: bias,
	})
	out := Add(DotProduct(Reshape(o, batch*steps, heads*keyDim), Reshape(w.Output, heads*keyDim, features)),
		InsertAxes(w.OutputBias, 0))
	return Reshape(out, batch, steps, features)
}

// LayerNorm is Keras's LayerNormalization(epsilon) over the last axis of x: (x - mean) /
// √(var + epsilon) · gamma + beta, with "gamma" (one) and "beta" (zero) of the last axis's
// size in scope. It is GoMLX's nn.LayerNorm (the backend's fused kernel where it has one).
func LayerNorm(scope *model.Scope, x *Node, epsilon float64) *Node {
	g := x.Graph()
	width := x.Shape().Dim(x.Rank() - 1)
	gamma := variable(scope, g, "gamma", InitOnes, width)
	beta := variable(scope, g, "beta", InitZeros, width)
	return nn.LayerNorm(x, []int{x.Rank() - 1}, epsilon, gamma, beta, nil)
}
