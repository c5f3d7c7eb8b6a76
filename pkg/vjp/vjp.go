// Package vjp adds the reverse-mode gradient rules (vector-Jacobian products) that GoMLX
// v0.28.8 lacks, through the exported graph.VJPRegistration map:
//
//   - Clamp: GoMLX registers no gradient for Clamp, which graph.Clip produces (and with it
//     loss.CategoricalCrossEntropy); any gradient through it fails. The rule here passes the
//     gradient to the operand where it lies inside the bounds and to the bounds elsewhere.
//
// The rules are registered when the package is initialised, before any graph can be built, and
// only where GoMLX has none of its own: import the package (package models does) and nothing
// else is needed. (GoMLX v0.26's matmul gradient, which this package once replaced, is fine in
// v0.28: its rule now uses matrix products.)
package vjp

import (
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
)

// upstreamClamp records whether GoMLX itself registered a Clamp rule (then it is kept).
var upstreamClamp bool

func init() {
	if _, upstreamClamp = graph.VJPRegistration[graph.NodeTypeClamp]; !upstreamClamp {
		graph.VJPRegistration[graph.NodeTypeClamp] = clampVJP
	}
}

// clampVJP is the gradient of y = Clamp(lo, x, hi): it goes to x where lo <= x <= hi, to lo
// where x < lo and to hi where x > hi. Bounds that were broadcast from scalars get the sum.
func clampVJP(node *graph.Node, vs []*graph.Node, _ shapes.Shape) []*graph.Node {
	v := vs[0]
	lo, x, hi := node.Inputs()[0], node.Inputs()[1], node.Inputs()[2]
	zeros := graph.ZerosLike(v)
	below := graph.LessThan(x, lo)
	above := graph.GreaterThan(x, hi)
	inside := graph.LogicalNot(graph.LogicalOr(below, above))
	return []*graph.Node{
		toShape(graph.Where(below, v, zeros), lo),
		graph.Where(inside, v, zeros),
		toShape(graph.Where(above, v, zeros), hi),
	}
}

// toShape reduces a gradient of the operand's shape to the shape of a bound: unchanged when
// the shapes agree, summed when the bound is a scalar, and no gradient otherwise.
func toShape(grad, bound *graph.Node) *graph.Node {
	switch {
	case grad.Shape().Equal(bound.Shape()):
		return grad
	case bound.IsScalar():
		return graph.ReduceAllSum(grad)
	}
	return nil
}
