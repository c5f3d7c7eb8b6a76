package models

import (
	"fmt"

	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
)

// Dense is Keras's Dense layer without activation: x [B, F] -> x·W + b [B, units], with W
// Glorot-uniform and b zero (GoMLX's own default initializer is He, which Keras does not use).
// Its variables, "weights" [F, units] and "biases" [units], live in scope.
func Dense(scope *model.Scope, x *Node, units int) *Node {
	if x.Rank() != 2 {
		panic(fmt.Errorf("models: Dense input must be [batch, features], got %s", x.Shape()))
	}
	g := x.Graph()
	w := variable(scope, g, "weights", InitGlorotUniform, x.Shape().Dim(1), units)
	b := variable(scope, g, "biases", InitZeros, units)
	return Add(DotProduct(x, w), InsertAxes(b, 0))
}
