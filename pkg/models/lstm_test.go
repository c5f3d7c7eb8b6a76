package models

import (
	"math"
	"testing"

	"github.com/gomlx/gomlx/core/graph"
)

// lstmParams returns the 12 fixed per-gate parameter arrays of an LSTM of the gruCase sizes,
// in the order Wi, Wf, Wc, Wo [F, H], Ui, Uf, Uc, Uo [H, H], Bi, Bf, Bc, Bo [H].
func lstmParams() [][]float64 {
	return [][]float64{
		wave(tF*tH, 0.6, 1.1), wave(tF*tH, 0.5, 2.3), wave(tF*tH, 0.7, 0.7), wave(tF*tH, 0.55, 1.7),
		wave(tH*tH, 0.4, 1.9), wave(tH*tH, 0.5, 0.6), wave(tH*tH, 0.6, 2.9), wave(tH*tH, 0.45, 1.3),
		wave(tH, 0.1, 1.0), wave(tH, -0.2, 1.5), wave(tH, 0.15, 2.0), wave(tH, 0.05, 2.5),
	}
}

// lstmFused lays lstmParams out as the LSTM's variables, Keras's gate order i, f, c, o:
// W = [Wi|Wf|Wc|Wo] [F, 4H], U = [Ui|Uf|Uc|Uo] [H, 4H], B = [Bi|Bf|Bc|Bo].
func lstmFused(p [][]float64) [][]float64 {
	return [][]float64{sideBySide(tF, p[0:4]...), sideBySide(tH, p[4:8]...), sideBySide(1, p[8:12]...)}
}

// handLSTM is a float64 transcription of Keras's LSTM (TF2 defaults: sigmoid recurrent
// activation, tanh activation) with Masking(0): a masked step carries h and c.
func handLSTM(x []float64, p [][]float64) []float64 {
	sigmoid := func(v float64) float64 { return 1 / (1 + math.Exp(-v)) }
	// gate returns x·W + h·U + b of one gate g (0 i, 1 f, 2 c, 3 o) for unit j.
	gate := func(g, j int, xs, h []float64) float64 {
		W, U, B := p[g], p[4+g], p[8+g]
		v := B[j]
		for f := 0; f < tF; f++ {
			v += xs[f] * W[f*tH+j]
		}
		for k := 0; k < tH; k++ {
			v += h[k] * U[k*tH+j]
		}
		return v
	}
	out := make([]float64, tB*tH)
	for b := 0; b < tB; b++ {
		h, c := make([]float64, tH), make([]float64, tH)
		for s := 0; s < tS; s++ {
			xs := x[(b*tS+s)*tF : (b*tS+s+1)*tF]
			if allZero(xs) { // masked
				continue
			}
			nh, nc := make([]float64, tH), make([]float64, tH)
			for j := 0; j < tH; j++ {
				i := sigmoid(gate(0, j, xs, h))
				f := sigmoid(gate(1, j, xs, h))
				g := math.Tanh(gate(2, j, xs, h))
				o := sigmoid(gate(3, j, xs, h))
				nc[j] = f*c[j] + i*g
				nh[j] = o * math.Tanh(nc[j])
			}
			h, c = nh, nc
		}
		copy(out[b*tH:], h)
	}
	return out
}

// lstmExec runs runLSTM on parameters fed as inputs: x, then W, U, B. It returns the last
// state, loss = Σ h ⊙ k (k fixed) and the loss gradients of the 3 weights.
func lstmExec(t *testing.T, flush float64) *graph.Exec {
	t.Helper()
	e, err := graph.NewExec(testBackend, func(in []*graph.Node) []*graph.Node {
		x := graph.Reshape(in[0], tB, tS, tF)
		w := lstmWeights{W: graph.Reshape(in[1], tF, 4*tH), U: graph.Reshape(in[2], tH, 4*tH), B: in[3]}
		h := runLSTM(x, w, flush)
		k := graph.Sin(graph.IotaFull(h.Graph(), h.Shape()))
		loss := graph.ReduceAllSum(graph.Mul(h, k))
		return append([]*graph.Node{h, loss}, graph.Gradient(loss, in[1:]...)...)
	})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestLSTMForwardMatchesHandComputation(t *testing.T) {
	p := lstmParams()
	checkForwardMatchesHand(t, lstmExec, func(x []float64) []float64 { return handLSTM(x, p) }, lstmFused(p))
}

func TestLSTMGradientMatchesFiniteDifferences(t *testing.T) {
	checkGradients(t, lstmExec(t, 0), lstmFused(lstmParams()), "kernel", "recurrent_kernel", "bias")
}

func TestLSTMBiasInitializer(t *testing.T) {
	got := InitialValues(InitUnitForgetBias, 3, "/model/lstm/bias", 4*tH)
	for i, v := range got {
		want := float32(0)
		if i >= tH && i < 2*tH {
			want = 1
		}
		if v != want {
			t.Errorf("bias[%d] = %v, want %v (Keras's unit forget bias: ones on the f gate)", i, v, want)
		}
	}
}
