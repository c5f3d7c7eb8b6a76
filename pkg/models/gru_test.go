package models

import (
	"math"
	"os"
	"testing"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/gobackend"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// testBackend is the Go backend shared by the package's tests (made once in TestMain).
var testBackend compute.Backend

func TestMain(m *testing.M) {
	b, err := gobackend.New("")
	if err != nil {
		panic(err)
	}
	testBackend = b
	os.Exit(m.Run())
}

// gruCase is a tiny GRU problem: B=2 sequences of S=4 steps, F=2 features, H=3 units. The
// second sequence has an all-zero (masked) step and a step with a single zero feature (kept).
const (
	tB, tS, tF, tH = 2, 4, 2, 3
)

var gruX = []float64{
	0.5, -1.0, 0.3, 0.8, -0.7, 0.2, 1.1, -0.4, // sequence 0
	-0.6, 0.9, 0, 0, 0.0, 0.4, 0.7, 0.1, // sequence 1: step 1 masked, step 2 kept
}

// gruParams returns the 12 fixed parameter arrays in the order Wz, Wr, Wh, Uz, Ur, Uh, Bz, Br,
// Bh, RBz, RBr, RBh.
func gruParams() [][]float64 {
	fill := wave
	return [][]float64{
		fill(tF*tH, 0.6, 1.1), fill(tF*tH, 0.5, 2.3), fill(tF*tH, 0.7, 0.7),
		fill(tH*tH, 0.4, 1.9), fill(tH*tH, 0.5, 0.6), fill(tH*tH, 0.6, 2.9),
		fill(tH, 0.1, 1.0), fill(tH, -0.2, 1.5), fill(tH, 0.15, 2.0),
		fill(tH, 0.05, 2.5), fill(tH, 0.12, 3.0), fill(tH, -0.1, 3.5),
	}
}

// wave returns n fixed, irregular test values a·sin(b·i), i = 1..n.
func wave(n int, a, b float64) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = a * math.Sin(b*float64(i+1))
	}
	return v
}

// handGRU is a float64 transcription of Keras's GRU (reset_after=True) with Masking(0).
func handGRU(x []float64, p [][]float64) []float64 {
	Wz, Wr, Wh, Uz, Ur, Uh := p[0], p[1], p[2], p[3], p[4], p[5]
	Bz, Br, Bh, RBz, RBr, RBh := p[6], p[7], p[8], p[9], p[10], p[11]
	sigmoid := func(v float64) float64 { return 1 / (1 + math.Exp(-v)) }
	out := make([]float64, tB*tH)
	for b := 0; b < tB; b++ {
		h := make([]float64, tH)
		for s := 0; s < tS; s++ {
			xs := x[(b*tS+s)*tF : (b*tS+s+1)*tF]
			if allZero(xs) { // masked
				continue
			}
			next := make([]float64, tH)
			for j := 0; j < tH; j++ {
				xz, xr, xh := Bz[j], Br[j], Bh[j]
				for f := 0; f < tF; f++ {
					xz += xs[f] * Wz[f*tH+j]
					xr += xs[f] * Wr[f*tH+j]
					xh += xs[f] * Wh[f*tH+j]
				}
				hz, hr, hh := RBz[j], RBr[j], RBh[j]
				for k := 0; k < tH; k++ {
					hz += h[k] * Uz[k*tH+j]
					hr += h[k] * Ur[k*tH+j]
					hh += h[k] * Uh[k*tH+j]
				}
				z, r := sigmoid(xz+hz), sigmoid(xr+hr)
				n := math.Tanh(xh + r*hh)
				next[j] = z*h[j] + (1-z)*n
			}
			h = next
		}
		copy(out[b*tH:], h)
	}
	return out
}

// fused lays the per-gate parameters of gruParams out as the GRU's variables: W = [Wz|Wr|Wh]
// [F, 3H], U = [Uz|Ur|Uh] [H, 3H], B = [Bz|Br|Bh], RB = [RBz|RBr|RBh].
func fused(p [][]float64) [][]float64 {
	return [][]float64{sideBySide(tF, p[0], p[1], p[2]), sideBySide(tH, p[3], p[4], p[5]), sideBySide(1, p[6], p[7], p[8]), sideBySide(1, p[9], p[10], p[11])}
}

// sideBySide places the row-major matrices m (rows rows each) side by side: [m0|m1|...].
func sideBySide(rows int, m ...[]float64) []float64 {
	cols := len(m[0]) / rows
	out := make([]float64, 0, rows*cols*len(m))
	for r := 0; r < rows; r++ {
		for _, g := range m {
			out = append(out, g[r*cols:(r+1)*cols]...)
		}
	}
	return out
}

// gruExec runs runGRU on parameters fed as inputs: x, then W, U, B, RB. It returns the last
// state, loss = Σ h ⊙ c (c fixed) and the loss gradients of the 4 weights.
func gruExec(t *testing.T, flush float64) *graph.Exec {
	t.Helper()
	e, err := graph.NewExec(testBackend, func(in []*graph.Node) []*graph.Node {
		x := graph.Reshape(in[0], tB, tS, tF)
		w := gruWeights{W: graph.Reshape(in[1], tF, 3*tH), U: graph.Reshape(in[2], tH, 3*tH), B: in[3], RB: in[4]}
		h := runGRU(x, w, flush)
		c := graph.Sin(graph.IotaFull(h.Graph(), h.Shape()))
		loss := graph.ReduceAllSum(graph.Mul(h, c))
		return append([]*graph.Node{h, loss}, graph.Gradient(loss, in[1:]...)...)
	})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// callExec calls e with x and the parameters p.
func callExec(t *testing.T, e *graph.Exec, x []float64, p [][]float64) []*tensors.Tensor {
	t.Helper()
	args := []any{x}
	for _, v := range p {
		args = append(args, v)
	}
	out, err := e.Call(args...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestGRUForwardMatchesHandComputation(t *testing.T) {
	p := gruParams()
	checkForwardMatchesHand(t, gruExec, func(x []float64) []float64 { return handGRU(x, p) }, fused(p))
}

// checkForwardMatchesHand compares the last state that the layer of exec (built like gruExec,
// for each flush threshold) computes on gruX with hand, its float64 transcription, and checks
// that the input's masked step matters.
func checkForwardMatchesHand(t *testing.T, exec func(*testing.T, float64) *graph.Exec, hand func(x []float64) []float64, params [][]float64) {
	t.Helper()
	want := hand(gruX)
	for _, flush := range []float64{0, 1e-30} {
		out := callExec(t, exec(t, flush), gruX, params)
		got := tensors.MustCopyFlatData[float64](out[0])
		for i := range want {
			if math.Abs(got[i]-want[i]) > 1e-12 {
				t.Errorf("flush=%g: h[%d] = %v, hand computation %v", flush, i, got[i], want[i])
			}
		}
	}
	// The masked step must matter: without masking the result differs.
	unmasked := append([]float64(nil), gruX...)
	unmasked[(1*tS+1)*tF] = 1e-9
	if d := math.Abs(hand(unmasked)[tH] - want[tH]); d < 1e-6 {
		t.Fatalf("test case is insensitive to masking (difference %g)", d)
	}
}

func TestGRUGradientMatchesFiniteDifferences(t *testing.T) {
	checkGradients(t, gruExec(t, 0), fused(gruParams()), "kernel", "recurrent_kernel", "bias", "recurrent_bias")
}

// checkGradients compares the weight gradients that e (built like gruExec) returns for the
// parameters p (named names) with central finite differences of its loss.
func checkGradients(t *testing.T, e *graph.Exec, p [][]float64, names ...string) {
	checkGradientsOn(t, e, gruX, p, 1e-8, names...)
}

// checkGradientsOn is checkGradients on the input x, with relative tolerance tol.
func checkGradientsOn(t *testing.T, e *graph.Exec, x []float64, p [][]float64, tol float64, names ...string) {
	out := callExec(t, e, x, p)
	loss := func(q [][]float64) float64 {
		return tensors.ToScalar[float64](callExec(t, e, x, q)[1])
	}
	const h = 1e-6
	for k, name := range names {
		t.Run(name, func(t *testing.T) {
			grad := tensors.MustCopyFlatData[float64](out[2+k])
			for i := range p[k] {
				q := make([][]float64, len(p))
				for j := range p {
					q[j] = append([]float64(nil), p[j]...)
				}
				q[k][i] = p[k][i] + h
				up := loss(q)
				q[k][i] = p[k][i] - h
				fd := (up - loss(q)) / (2 * h)
				if math.Abs(fd-grad[i]) > tol*(1+math.Abs(fd)) {
					t.Errorf("d loss/d %s[%d] = %.12g, finite differences %.12g", name, i, grad[i], fd)
				}
			}
		})
	}
}

func TestMask(t *testing.T) {
	e := graph.MustNewExec(testBackend, func(x *graph.Node) *graph.Node {
		return Mask(graph.Reshape(x, tB, tS, tF))
	})
	got := tensors.MustCopyFlatData[bool](e.MustCall(gruX)[0])
	want := []bool{true, true, true, true, true, false, true, true}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("mask[%d] = %v, want %v", i, got[i], want[i])
		}
	}
}

// allZero reports whether every value of xs is 0: a timestep Masking(0) masks.
func allZero(xs []float64) bool {
	for _, v := range xs {
		if v != 0 {
			return false
		}
	}
	return true
}
