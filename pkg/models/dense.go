package models

import (
	"fmt"

	. "github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/shapes"
	"github.com/gomlx/gomlx/pkg/ml/context"
	"github.com/gomlx/gomlx/pkg/ml/context/initializers"
)

// Dense is Keras's Dense layer without activation: x [B, F] -> x·W + b [B, units], with W
// Glorot-uniform and b zero (GoMLX's own default initializer is He, which Keras does not use).
// Its variables, "weights" [F, units] and "biases" [units], live in ctx's scope.
func Dense(ctx *context.Context, x *Node, units int) *Node {
	if x.Rank() != 2 {
		panic(fmt.Errorf("models: Dense input must be [batch, features], got %s", x.Shape()))
	}
	g := x.Graph()
	dtype := x.DType()
	w := ctx.WithInitializer(initializers.GlorotUniformFn(ctx)).
		VariableWithShape("weights", shapes.Make(dtype, x.Shape().Dim(1), units)).ValueGraph(g)
	b := ctx.WithInitializer(initializers.Zero).
		VariableWithShape("biases", shapes.Make(dtype, units)).ValueGraph(g)
	return Add(Dot(x, w), InsertAxes(b, 0))
}
