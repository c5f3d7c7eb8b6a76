package models

import (
	"fmt"

	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
)

// GRU is Keras's GRU(units) layer with its TF2 defaults, preceded by Keras's Masking(0): it
// reads x [B, S, F] and returns the last hidden state [B, units].
//
// With σ the logistic function, ⊙ the element-wise product and h₀ = 0, each step computes
//
//	z = σ(x·Wz + bz + h·Uz + rbz)
//	r = σ(x·Wr + br + h·Ur + rbr)
//	n = tanh(x·Wh + bh + r ⊙ (h·Uh + rbh))   (reset_after: r applied after the matmul)
//	h' = z ⊙ h + (1 - z) ⊙ n
//
// and a timestep whose features are all exactly 0 is masked: it carries h unchanged.
//
// The variables are Keras's, gates in Keras's order z, r, h: "kernel" W = [Wz|Wr|Wh] [F, 3
// units] (Glorot-uniform), "recurrent_kernel" U = [Uz|Ur|Uh] [units, 3 units] (orthogonal:
// orthonormal rows, as Keras draws it), "bias" and "recurrent_bias" [3 units] (zero; Keras
// stores them as the two rows of one [2, 3 units] bias), so Keras and ONNX weights map one to
// one.
//
// The graph is the fastest exact form found for the CPU backends: one input projection
// [S·B, F]×[F, 3 units] for all steps; per step one fused h·U [B, units]×[units, 3 units];
// and a backward pass that computes the weight gradients once over all steps (one
// [units, S·B]×[S·B, 3 units] product for U, one for W) instead of one small product per step,
// as cuDNN does. The sequence is unrolled into the graph: GoMLX's While has no gradient.
//
// flushGradBelow > 0 zeroes, in the backward pass only, hidden-state gradients smaller than it
// in magnitude (see Config.FlushGradBelow); 0 keeps the exact gradient.
func GRU(scope *model.Scope, x *Node, units int, flushGradBelow float64) *Node {
	if x.Rank() != 3 {
		panic(fmt.Errorf("models: GRU input must be [batch, steps, features], got %s", x.Shape()))
	}
	g := x.Graph()
	features := x.Shape().Dim(2)
	w := gruWeights{
		W:  variable(scope, g, "kernel", InitGlorotUniform, features, 3*units),
		U:  variable(scope, g, "recurrent_kernel", InitOrthogonal, units, 3*units),
		B:  variable(scope, g, "bias", InitZeros, 3*units),
		RB: variable(scope, g, "recurrent_bias", InitZeros, 3*units),
	}
	return runGRU(x, w, flushGradBelow)
}

// gruWeights are one GRU layer's parameters, gates z, r, h side by side: W [F, 3H], U [H, 3H],
// B and RB [3H].
type gruWeights struct {
	W, U, B, RB *Node
}

// Mask is Keras's Masking(0) over x [B, S, F]: [B, S] true where any feature of the timestep
// differs from 0.
func Mask(x *Node) *Node {
	return ReduceLogicalOr(NotEqual(x, ScalarZero(x.Graph(), x.DType())), -1)
}

// runGRU unrolls the masked GRU over the steps of x [B, S, F] and returns the last state.
func runGRU(x *Node, w gruWeights, flushGradBelow float64) *Node {
	batch, steps := x.Shape().Dim(0), x.Shape().Dim(1)
	units := w.U.Shape().Dim(0)
	mask, inputs := projectSteps(x, w.W, w.B)
	rec := newRecurrence(w.U, w.RB, steps, batch)
	h := Zeros(x.Graph(), shapes.Make(x.DType(), batch, units))
	for t := 0; t < steps; t++ {
		xg := splitCollectingGradients(inputs[t], 1, 3)
		hg := splitCollectingGradients(rec.project(t, h), 1, 3)
		z := Sigmoid(Add(xg[0], hg[0]))
		r := Sigmoid(Add(xg[1], hg[1]))
		n := Tanh(Add(xg[2], Mul(r, hg[2])))
		next := Add(n, Mul(z, Sub(h, n))) // z ⊙ h + (1 - z) ⊙ n
		h = flushTinyGradients(keepMasked(mask, t, next, h), flushGradBelow)
	}
	return h
}

// projectSteps is the input side shared by the recurrent layers: for x [B, S, F] it returns
// Keras's mask as [S, B] and the input projections x_t·W + b [B, G] of the S steps, computed as
// one [S·B, F]×[F, G] product whose gradient is collected once (splitCollectingGradients).
// The inputs take no gradient.
func projectSteps(x, W, b *Node) (mask *Node, inputs []*Node) {
	batch, steps, features := x.Shape().Dim(0), x.Shape().Dim(1), x.Shape().Dim(2)
	width := W.Shape().Dim(1)
	x = StopGradient(x)
	mask = TransposeAllDims(Mask(x), 1, 0) // [S, B]
	xt := TransposeAllDims(x, 1, 0, 2)     // [S, B, F]
	proj := Add(DotProduct(Reshape(xt, steps*batch, features), W), InsertAxes(b, 0))
	inputs = splitCollectingGradients(Reshape(proj, steps, batch, width), 0, steps) // [1, B, G] each
	for t := range inputs {
		inputs[t] = Reshape(inputs[t], batch, width)
	}
	return mask, inputs
}

// keepMasked returns the state after step t: next [B, H] where the step is valid (mask [S, B]),
// the previous state prev where it is masked.
func keepMasked(mask *Node, t int, next, prev *Node) *Node {
	batch, units := next.Shape().Dim(0), next.Shape().Dim(1)
	keep := BroadcastToDims(Reshape(Slice(mask, AxisElem(t)), batch, 1), batch, units)
	return Where(keep, next, prev)
}

// recurrence computes the per-step recurrent projections h_t·U + rb of a GRU (h_t·U of an
// LSTM, which has no recurrent bias: rb nil), with the gradients of U and rb computed once
// over all steps: dU = Σ_t h_tᵀ·dp_t as one matrix product of the concatenated states and
// projection gradients, drb = Σ_t Σ_b dp_t. In the backward loop each step then only computes
// dh = dp·Uᵀ.
//
// How: every step but the first uses StopGradient(U) (no per-step weight gradient); the
// first uses U through an identity whose custom gradient ignores the value the autodiff brings
// and returns the sum over all steps. Each step's projection goes through an identity that
// records its gradient dp_t. The reverse pass visits nodes in reverse creation order, so every
// step's gradient is recorded before U's identity (created first) is visited.
type recurrence struct {
	u, rb       *Node // identities of U and rb carrying the custom gradients
	uConst, row *Node // StopGradient(U), StopGradient(rb) as [1, G] (nil without rb)
	states      []*Node
	grads       []*Node
	batch       int
}

func newRecurrence(U, rb *Node, steps, batch int) *recurrence {
	r := &recurrence{states: make([]*Node, steps), grads: make([]*Node, steps), batch: batch}
	r.u = IdentityWithCustomGradient(U, func(_, _ *Node) *Node {
		return DotGeneral(Concatenate(r.states, 0), []int{0}, nil, r.concatGrads(), []int{0}, nil) // [H, G]
	})
	r.uConst = StopGradient(r.u)
	if rb != nil {
		r.rb = IdentityWithCustomGradient(rb, func(_, _ *Node) *Node { return ReduceSum(r.concatGrads(), 0) })
		r.row = InsertAxes(StopGradient(r.rb), 0)
	}
	return r
}

// project returns h·U + rb [B, G] for step t, whose state is h [B, H].
func (r *recurrence) project(t int, h *Node) *Node {
	var p *Node
	switch {
	case t == 0 && r.rb != nil:
		p = Add(DotProduct(h, r.u), InsertAxes(r.rb, 0))
	case t == 0:
		p = DotProduct(h, r.u)
	case r.row != nil:
		p = Add(DotProduct(h, r.uConst), r.row)
	default:
		p = DotProduct(h, r.uConst)
	}
	r.states[t] = h
	return IdentityWithCustomGradient(p, func(_, v *Node) *Node {
		r.grads[t] = v
		return v
	})
}

// concatGrads returns the recorded projection gradients of all steps, [S·B, G] (zeros for a
// step no gradient reached).
func (r *recurrence) concatGrads() *Node {
	parts := make([]*Node, len(r.grads))
	for t, v := range r.grads {
		if v == nil {
			h := r.states[t]
			v = Zeros(h.Graph(), shapes.Make(h.DType(), r.batch, r.u.Shape().Dim(1)))
		}
		parts[t] = v
	}
	return Concatenate(parts, 0)
}

// splitCollectingGradients splits x along axis into n equal pieces, like Split, but its
// backward pass builds x's gradient with one Concatenate of the pieces' gradients instead of
// the stock rule (one Pad to x's full shape per piece, then n-1 additions): for the n = S time
// steps of a sequence that is O(S²) work.
//
// How: each piece goes through an identity that records its gradient; the first one called
// also passes it on, so that the autodiff reaches x, the others pass nothing (no Pad to x's
// shape is built for them). x goes through an identity whose custom gradient ignores the value
// arriving there and returns the concatenation of the recorded gradients. The reverse pass
// visits nodes in reverse creation order: every piece before x. The one ignored Pad is dead
// code; keeping the graph small matters on ONNX Runtime, whose session creation optimises
// every node.
func splitCollectingGradients(x *Node, axis, n int) []*Node {
	axis = MustAdjustAxis(axis, x)
	dim := x.Shape().Dim(axis)
	if dim%n != 0 {
		panic(fmt.Errorf("models: cannot split axis %d of %s into %d pieces", axis, x.Shape(), n))
	}
	size := dim / n
	recorded := make([]*Node, n)
	whole := IdentityWithCustomGradient(x, func(xn, _ *Node) *Node {
		parts := make([]*Node, n)
		for i := range parts {
			if parts[i] = recorded[i]; parts[i] == nil {
				s := xn.Shape().Clone()
				s.Dimensions[axis] = size
				parts[i] = Zeros(xn.Graph(), s)
			}
		}
		return Concatenate(parts, axis)
	})
	pieces := make([]*Node, n)
	passed := false
	for i := range pieces {
		piece := SliceAxis(whole, axis, AxisRange(i*size, (i+1)*size))
		pieces[i] = IdentityWithCustomGradient(piece, func(_, v *Node) *Node {
			recorded[i] = v
			if passed {
				return nil
			}
			passed = true
			return v
		})
	}
	return pieces
}

// flushTinyGradients is the identity whose backward pass zeroes gradients below limit.
func flushTinyGradients(h *Node, limit float64) *Node {
	if limit <= 0 {
		return h
	}
	return IdentityWithCustomGradient(h, func(_, v *Node) *Node {
		tiny := LessThan(Abs(v), Scalar(v.Graph(), v.DType(), limit))
		return Where(tiny, ZerosLike(v), v)
	})
}
