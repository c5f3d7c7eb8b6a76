package models

import (
	"fmt"

	. "github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/shapes"
	"github.com/gomlx/gomlx/pkg/ml/context"
	"github.com/gomlx/gomlx/pkg/ml/context/initializers"
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
// and a timestep whose features are all exactly 0 is masked: it carries h unchanged. Kernels W
// [F, units] are Glorot-uniform, recurrent kernels U [units, units] orthogonal (one per gate;
// Keras draws one [units, 3 units] matrix with orthonormal rows), biases zero. Each gate has its
// own variables in ctx's scope (kernel_z, recurrent_kernel_z, bias_z, recurrent_bias_z, and the
// same for r and h): the pure-Go backend cannot differentiate a Slice (its gradient needs Pad),
// so a fused kernel could not be split. The sequence is unrolled into the graph.
//
// flushGradBelow > 0 zeroes, in the backward pass only, hidden-state gradients smaller than it
// in magnitude (see Config.FlushGradBelow); 0 keeps the exact gradient.
func GRU(ctx *context.Context, x *Node, units int, flushGradBelow float64) *Node {
	if x.Rank() != 3 {
		panic(fmt.Errorf("models: GRU input must be [batch, steps, features], got %s", x.Shape()))
	}
	g := x.Graph()
	dtype := x.DType()
	features := x.Shape().Dim(2)
	kernel := func(name string) *Node {
		return ctx.WithInitializer(initializers.GlorotUniformFn(ctx)).
			VariableWithShape(name, shapes.Make(dtype, features, units)).ValueGraph(g)
	}
	recurrent := func(name string) *Node {
		return ctx.WithInitializer(OrthogonalFn(ctx)).
			VariableWithShape(name, shapes.Make(dtype, units, units)).ValueGraph(g)
	}
	bias := func(name string) *Node {
		return ctx.WithInitializer(initializers.Zero).
			VariableWithShape(name, shapes.Make(dtype, units)).ValueGraph(g)
	}
	w := gruWeights{
		Wz: kernel("kernel_z"), Wr: kernel("kernel_r"), Wh: kernel("kernel_h"),
		Uz: recurrent("recurrent_kernel_z"), Ur: recurrent("recurrent_kernel_r"), Uh: recurrent("recurrent_kernel_h"),
		Bz: bias("bias_z"), Br: bias("bias_r"), Bh: bias("bias_h"),
		RBz: bias("recurrent_bias_z"), RBr: bias("recurrent_bias_r"), RBh: bias("recurrent_bias_h"),
	}
	return runGRU(x, w, flushGradBelow)
}

// gruWeights are one GRU layer's parameters: W* [F, H], U* [H, H], biases [H].
type gruWeights struct {
	Wz, Wr, Wh, Uz, Ur, Uh    *Node
	Bz, Br, Bh, RBz, RBr, RBh *Node
}

// Mask is Keras's Masking(0) over x [B, S, F]: [B, S] true where any feature of the timestep
// differs from 0.
func Mask(x *Node) *Node {
	return ReduceLogicalOr(NotEqual(x, ScalarZero(x.Graph(), x.DType())), -1)
}

// runGRU unrolls the masked GRU over the steps of x [B, S, F] and returns the last state.
func runGRU(x *Node, w gruWeights, flushGradBelow float64) *Node {
	g := x.Graph()
	batch, steps, features := x.Shape().Dim(0), x.Shape().Dim(1), x.Shape().Dim(2)
	units := w.Uz.Shape().Dim(0)
	row := func(b *Node) *Node { return InsertAxes(b, 0) } // [H] -> [1, H]
	bz, br := row(Add(w.Bz, w.RBz)), row(Add(w.Br, w.RBr))
	bh, rbh := row(w.Bh), row(w.RBh)

	x = StopGradient(x)                     // inputs take no gradient; keeps Slice (whose gradient needs Pad) out of it
	mask := TransposeAllDims(Mask(x), 1, 0) // [S, B]
	xt := TransposeAllDims(x, 1, 0, 2)      // [S, B, F]
	h := Zeros(g, shapes.Make(x.DType(), batch, units))
	for t := 0; t < steps; t++ {
		xs := Reshape(Slice(xt, AxisElem(t)), batch, features)
		keep := BroadcastToDims(Reshape(Slice(mask, AxisElem(t)), batch, 1), batch, units)
		z := Sigmoid(Add(Add(Dot(xs, w.Wz), Dot(h, w.Uz)), bz))
		r := Sigmoid(Add(Add(Dot(xs, w.Wr), Dot(h, w.Ur)), br))
		n := Tanh(Add(Add(Dot(xs, w.Wh), bh), Mul(r, Add(Dot(h, w.Uh), rbh))))
		next := Add(n, Mul(z, Sub(h, n))) // z ⊙ h + (1 - z) ⊙ n
		h = flushTinyGradients(Where(keep, next, h), flushGradBelow)
	}
	return h
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
