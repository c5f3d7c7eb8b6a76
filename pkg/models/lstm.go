package models

import (
	"fmt"

	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
)

// LSTM is Keras's LSTM(units) layer with its TF2 defaults, preceded by Keras's Masking(0): it
// reads x [B, S, F] and returns the last hidden state [B, units].
//
// With σ the logistic function, ⊙ the element-wise product and h₀ = c₀ = 0, each step computes
//
//	i = σ(x·Wi + h·Ui + bi)
//	f = σ(x·Wf + h·Uf + bf)
//	c' = f ⊙ c + i ⊙ tanh(x·Wc + h·Uc + bc)
//	o = σ(x·Wo + h·Uo + bo)
//	h' = o ⊙ tanh(c')
//
// and a timestep whose features are all exactly 0 is masked (see Mask): it carries h and c
// unchanged.
//
// The variables are Keras's, gates in Keras's order i, f, c, o: "kernel" W = [Wi|Wf|Wc|Wo]
// [F, 4 units] (Glorot-uniform), "recurrent_kernel" U = [Ui|Uf|Uc|Uo] [units, 4 units]
// (orthogonal over the whole matrix, as Keras draws it) and "bias" [4 units] (zero but for
// Keras's unit forget bias: 1 on the f block), so Keras weights map one to one.
//
// The graph has the GRU's form (see GRU): one input projection for all steps, one fused h·U
// per step, and weight gradients computed once over all steps in the backward pass.
// flushGradBelow is the GRU's, applied to both h and c.
func LSTM(scope *model.Scope, x *Node, units int, flushGradBelow float64) *Node {
	if x.Rank() != 3 {
		panic(fmt.Errorf("models: LSTM input must be [batch, steps, features], got %s", x.Shape()))
	}
	g := x.Graph()
	features := x.Shape().Dim(2)
	w := lstmWeights{
		W: variable(scope, g, "kernel", InitGlorotUniform, features, 4*units),
		U: variable(scope, g, "recurrent_kernel", InitOrthogonal, units, 4*units),
		B: variable(scope, g, "bias", InitUnitForgetBias, 4*units),
	}
	return runLSTM(x, w, flushGradBelow)
}

// lstmWeights are one LSTM layer's parameters, gates i, f, c, o side by side: W [F, 4H],
// U [H, 4H], B [4H].
type lstmWeights struct {
	W, U, B *Node
}

// runLSTM unrolls the masked LSTM over the steps of x [B, S, F] and returns the last h.
func runLSTM(x *Node, w lstmWeights, flushGradBelow float64) *Node {
	batch, steps := x.Shape().Dim(0), x.Shape().Dim(1)
	units := w.U.Shape().Dim(0)
	mask, inputs := projectSteps(x, w.W, w.B)
	rec := newRecurrence(w.U, nil, steps, batch)
	h := Zeros(x.Graph(), shapes.Make(x.DType(), batch, units))
	c := h
	for t := 0; t < steps; t++ {
		z := splitCollectingGradients(Add(inputs[t], rec.project(t, h)), 1, 4)
		i, f, o := Sigmoid(z[0]), Sigmoid(z[1]), Sigmoid(z[3])
		nextC := Add(Mul(f, c), Mul(i, Tanh(z[2])))
		nextH := Mul(o, Tanh(nextC))
		c = flushTinyGradients(keepMasked(mask, t, nextC, c), flushGradBelow)
		h = flushTinyGradients(keepMasked(mask, t, nextH, h), flushGradBelow)
	}
	return h
}
