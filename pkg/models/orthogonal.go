package models

import (
	"fmt"

	"github.com/gomlx/gomlx/pkg/core/dtypes"
	. "github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/shapes"
	"github.com/gomlx/gomlx/pkg/ml/context"
)

// OrthogonalFn returns Keras's Orthogonal initializer for rank-2 variables [r, c]: a matrix
// with orthonormal rows (r <= c) or columns (r > c), drawn uniformly (Haar measure).
//
// It draws a Gaussian matrix from the context's random number generator, hence it is
// deterministic for the context's seed, and orthonormalises it by Gram-Schmidt in float64,
// with a second projection pass for accuracy. Gram-Schmidt equals a QR (LQ) decomposition
// whose triangular factor has a positive diagonal, which is the sign correction Keras
// applies, so the result is Haar-distributed like Keras's.
func OrthogonalFn(ctx *context.Context) context.VariableInitializer {
	return func(g *Graph, shape shapes.Shape) *Node {
		if shape.Rank() != 2 {
			panic(fmt.Errorf("models: orthogonal initializer needs a rank-2 shape, got %s", shape))
		}
		n, m := shape.Dim(0), shape.Dim(1)
		transposed := n > m
		if transposed {
			n, m = m, n
		}
		gauss := ctx.RandomNormal(g, shapes.Make(dtypes.Float64, n, m))
		rows := make([]*Node, 0, n)
		for i := 0; i < n; i++ {
			v := Reshape(Slice(gauss, AxisElem(i)), m)
			if i > 0 {
				q := Concatenate(rows, 0) // [i, m], orthonormal rows
				for pass := 0; pass < 2; pass++ {
					coef := Dot(q, v)                                // [i]
					v = Sub(v, Dot(TransposeAllDims(q, 1, 0), coef)) // v - qᵀ·coef
				}
			}
			v = Div(v, Sqrt(ReduceAllSum(Mul(v, v))))
			rows = append(rows, Reshape(v, 1, m))
		}
		q := Concatenate(rows, 0)
		if transposed {
			q = TransposeAllDims(q, 1, 0)
		}
		return ConvertDType(q, shape.DType)
	}
}
