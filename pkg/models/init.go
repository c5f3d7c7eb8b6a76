package models

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// Initial weights are drawn in Go, not by the backend: each variable from its own random
// stream, keyed by the seed (the store's model.ParamInitialSeed) and the variable's full path.
// The same seed gives the same initial weights on every backend and in every run, whatever
// the order in which GoMLX initialises variables (it uses map order), and adding a variable
// changes no other variable's initial value.

// Init names a Keras initializer.
type Init int

// The initializers the classifiers use.
const (
	InitZeros         Init = iota // Keras "zeros"
	InitGlorotUniform             // Keras "glorot_uniform": U(±√(6/(fan_in+fan_out)))
	InitOrthogonal                // Keras "orthogonal": orthonormal rows (or columns when taller than wide)
	InitOnes                      // Keras "ones" (LayerNormalization's gamma)
	// InitUnitForgetBias is Keras's LSTM bias with unit_forget_bias: zeros but for ones on the
	// second quarter (the forget gate of the gates i, f, c, o).
	InitUnitForgetBias
)

// variable returns the value in g of the float32 variable name of scope with the given
// dimensions, created with the initializer init when new.
func variable(scope *model.Scope, g *Graph, name string, init Init, dims ...int) *Node {
	path := model.JoinPath(scope.Scope(), name)
	seed := model.GetParamOr[int64](scope, model.ParamInitialSeed, 0)
	initFn := func(g *Graph, shape shapes.Shape) *Node {
		return Const(g, tensors.FromFlatDataAndDimensions(InitialValues(init, seed, path, shape.Dimensions...), shape.Dimensions...))
	}
	return scope.WithInitializer(initFn).VariableWithShape(name, shapes.Make(dtypes.Float32, dims...)).NodeValue(g)
}

// InitialValues returns the row-major initial values of the variable at path (e.g.
// "/model/gru/kernel") with the given dimensions, drawn by init from the random stream of
// (seed, path).
func InitialValues(init Init, seed int64, path string, dims ...int) []float32 {
	size := 1
	for _, d := range dims {
		size *= d
	}
	out := make([]float32, size)
	h := fnv.New64a()
	fmt.Fprint(h, path)
	rng := rand.New(rand.NewPCG(uint64(seed), h.Sum64()))
	switch init {
	case InitZeros:
	case InitOnes:
		for i := range out {
			out[i] = 1
		}
	case InitGlorotUniform:
		if len(dims) < 2 {
			panic(fmt.Errorf("models: glorot_uniform needs a rank-2 or higher shape, got %v for %s", dims, path))
		}
		fanIn, fanOut := kerasFans(dims)
		limit := math.Sqrt(6 / float64(fanIn+fanOut))
		for i := range out {
			out[i] = float32((2*rng.Float64() - 1) * limit)
		}
	case InitOrthogonal:
		if len(dims) != 2 {
			panic(fmt.Errorf("models: orthogonal needs a rank-2 shape, got %v for %s", dims, path))
		}
		q := orthonormal(rng, dims[0], dims[1])
		for i, v := range q {
			out[i] = float32(v)
		}
	case InitUnitForgetBias:
		if len(dims) != 1 || dims[0]%4 != 0 {
			panic(fmt.Errorf("models: unit forget bias needs a rank-1 shape of 4 gates, got %v for %s", dims, path))
		}
		for i := dims[0] / 4; i < dims[0]/2; i++ {
			out[i] = 1
		}
	default:
		panic(fmt.Errorf("models: unknown initializer %d for %s", init, path))
	}
	return out
}

// kerasFans returns the fans Keras's initializers compute for a kernel of the given dimensions
// (rank >= 2): the last two dimensions, each times the product of the others (the "receptive
// field"). For a rank-2 [in, out] kernel that is (in, out); for the [19, 8, 19] query kernel of
// MultiHeadAttention it is (8·19, 19·19), not the (19, 8·19) of the same kernel seen as a matrix.
func kerasFans(dims []int) (fanIn, fanOut int) {
	receptive := 1
	for _, d := range dims[:len(dims)-2] {
		receptive *= d
	}
	return dims[len(dims)-2] * receptive, dims[len(dims)-1] * receptive
}

// orthonormal returns a rows×cols matrix (row-major) with orthonormal rows when rows <= cols,
// else orthonormal columns, drawn uniformly (Haar measure): a Gaussian matrix orthonormalised
// by Gram-Schmidt, with a second projection pass for accuracy. Gram-Schmidt equals a QR (LQ)
// decomposition whose triangular factor has a positive diagonal, which is the sign correction
// Keras applies, so the result is Haar-distributed like Keras's.
func orthonormal(rng *rand.Rand, rows, cols int) []float64 {
	n, m := rows, cols // n vectors of length m
	if rows > cols {
		n, m = cols, rows
	}
	vecs := make([][]float64, n)
	for i := range vecs {
		v := make([]float64, m)
		for k := range v {
			v[k] = rng.NormFloat64()
		}
		for pass := 0; pass < 2; pass++ {
			for _, q := range vecs[:i] {
				var dot float64
				for k := range v {
					dot += q[k] * v[k]
				}
				for k := range v {
					v[k] -= dot * q[k]
				}
			}
		}
		var norm float64
		for _, x := range v {
			norm += x * x
		}
		norm = math.Sqrt(norm)
		for k := range v {
			v[k] /= norm
		}
		vecs[i] = v
	}
	out := make([]float64, rows*cols)
	for i, v := range vecs {
		for k, x := range v {
			if rows > cols {
				out[k*cols+i] = x // vector i is column i
			} else {
				out[i*cols+k] = x
			}
		}
	}
	return out
}
