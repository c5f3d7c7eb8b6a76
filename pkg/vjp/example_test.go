package vjp_test

import (
	"fmt"

	"github.com/gomlx/compute/gobackend"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"

	_ "github.com/godltrigger/godltrigger/pkg/vjp" // the gradient rules GoMLX lacks
)

// Importing the package is all it takes: here the gradient of a sum of clipped values, which
// without it GoMLX cannot build (no rule for Clamp). It is 1 inside [lo, hi], 0 outside.
func Example() {
	backend, err := gobackend.New("")
	if err != nil {
		fmt.Println(err)
		return
	}
	grad, err := graph.NewExec(backend, func(x *graph.Node) *graph.Node {
		y := graph.ReduceAllSum(graph.Clip(x, graph.Scalar(x.Graph(), x.DType(), 0), graph.Scalar(x.Graph(), x.DType(), 1)))
		return graph.Gradient(y, x)[0]
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	out, err := grad.Exec([]float32{-0.5, 0.25, 0.75, 1.5})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(tensors.MustCopyFlatData[float32](out[0]))
	// Output:
	// [0 1 1 0]
}
