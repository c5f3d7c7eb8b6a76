package vjp

import (
	"math"
	"testing"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/gobackend"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/train/loss"
)

func newBackend(t testing.TB) compute.Backend {
	t.Helper()
	b, err := gobackend.New("")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// matrix is a deterministic, irregular float64 test matrix.
func matrix(g *graph.Graph, phase float64, dims ...int) *graph.Node {
	return graph.Sin(graph.AddScalar(graph.MulScalar(graph.IotaFull(g, shapes.Make(dtypes.Float64, dims...)), 1.7), phase))
}

func flat(t *testing.T, x *tensors.Tensor) []float64 {
	t.Helper()
	return tensors.MustCopyFlatData[float64](x)
}

func TestClampMatchesFiniteDifferences(t *testing.T) {
	backend := newBackend(t)
	xs := []float64{-2, -0.7, -0.3, 0.1, 0.45, 0.8, 1.6}
	lo, hi := -0.5, 0.6
	f := func(x, lo, hi *graph.Node) *graph.Node {
		w := matrix(x.Graph(), 0.2, len(xs))
		return graph.ReduceAllSum(graph.Mul(graph.Clip(x, lo, hi), w))
	}
	grads := graph.MustNewExec(backend, func(x, lo, hi *graph.Node) []*graph.Node {
		return graph.Gradient(f(x, lo, hi), x, lo, hi)
	})
	value := graph.MustNewExec(backend, f)
	eval := func(x []float64, lo, hi float64) float64 {
		return tensors.ToScalar[float64](value.MustExec(x, lo, hi)[0])
	}
	out := grads.MustExec(xs, lo, hi)
	gx := flat(t, out[0])
	glo, ghi := tensors.ToScalar[float64](out[1]), tensors.ToScalar[float64](out[2])
	const h = 1e-6
	for i := range xs {
		p := append([]float64(nil), xs...)
		m := append([]float64(nil), xs...)
		p[i] += h
		m[i] -= h
		fd := (eval(p, lo, hi) - eval(m, lo, hi)) / (2 * h)
		if math.Abs(fd-gx[i]) > 1e-6 {
			t.Errorf("d/dx[%d] = %v, finite differences %v", i, gx[i], fd)
		}
	}
	for _, tc := range []struct {
		name      string
		got, want float64
	}{
		{"lo", glo, (eval(xs, lo+h, hi) - eval(xs, lo-h, hi)) / (2 * h)},
		{"hi", ghi, (eval(xs, lo, hi+h) - eval(xs, lo, hi-h)) / (2 * h)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if math.Abs(tc.got-tc.want) > 1e-6 || tc.want == 0 {
				t.Errorf("d/d%s = %v, finite differences %v", tc.name, tc.got, tc.want)
			}
		})
	}
}

// TestClampStillMissingUpstream fails once GoMLX registers its own Clamp rule: the rule
// here is then unused and should go.
func TestClampStillMissingUpstream(t *testing.T) {
	if upstreamClamp {
		t.Fatal("GoMLX now registers a Clamp gradient: drop package vjp's")
	}
}

// TestCrossEntropyLogitsGradient checks d(mean CE)/d logits = (softmax(logits) - labels) / B,
// in float32 as the models train, through a dense layer.
func TestCrossEntropyLogitsGradient(t *testing.T) {
	backend := newBackend(t)
	const B, F, C = 4, 5, 3
	xData := make([]float32, B*F)
	wData := make([]float32, F*C)
	for i := range xData {
		xData[i] = float32(math.Sin(float64(i) * 0.9))
	}
	for i := range wData {
		wData[i] = float32(math.Cos(float64(i)*1.3)) * 0.8
	}
	labels := []float32{1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0}
	e := graph.MustNewExec(backend, func(x, w, y *graph.Node) []*graph.Node {
		logits := graph.DotProduct(x, w)
		loss := loss.CategoricalCrossEntropyLogits([]*graph.Node{y}, []*graph.Node{logits})
		return append([]*graph.Node{logits, loss}, graph.Gradient(loss, w)...)
	})
	out := e.MustExec(tensors.FromFlatDataAndDimensions(xData, B, F),
		tensors.FromFlatDataAndDimensions(wData, F, C), tensors.FromFlatDataAndDimensions(labels, B, C))
	logits := tensors.MustCopyFlatData[float32](out[0])
	loss := float64(tensors.ToScalar[float32](out[1]))
	gw := tensors.MustCopyFlatData[float32](out[2])

	// Reference in float64.
	var wantLoss float64
	dLogits := make([]float64, B*C)
	for b := 0; b < B; b++ {
		mx := math.Inf(-1)
		for c := 0; c < C; c++ {
			mx = math.Max(mx, float64(logits[b*C+c]))
		}
		var sum float64
		for c := 0; c < C; c++ {
			sum += math.Exp(float64(logits[b*C+c]) - mx)
		}
		for c := 0; c < C; c++ {
			p := math.Exp(float64(logits[b*C+c])-mx) / sum
			wantLoss -= float64(labels[b*C+c]) * math.Log(p) / B
			dLogits[b*C+c] = (p - float64(labels[b*C+c])) / B
		}
	}
	if math.Abs(loss-wantLoss) > 1e-5 {
		t.Errorf("loss = %v, want %v", loss, wantLoss)
	}
	for f := 0; f < F; f++ {
		for c := 0; c < C; c++ {
			var want float64
			for b := 0; b < B; b++ {
				want += float64(xData[b*F+f]) * dLogits[b*C+c]
			}
			if got := float64(gw[f*C+c]); math.Abs(got-want) > 1e-5 {
				t.Errorf("dLoss/dW[%d,%d] = %v, want %v", f, c, got, want)
			}
		}
	}
}
