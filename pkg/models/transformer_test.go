package models

import (
	"math"
	"os"
	"strings"
	"testing"

	"github.com/gomlx/compute"
	onnxbackend "github.com/gomlx/compute-onnx"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/nn"
)

// paramCount builds cfg for sequences of the given length and returns its number of trainable
// parameters below /model/.
func paramCount(t *testing.T, cfg Config, particles int) int {
	t.Helper()
	store := seededStore(1)
	e, err := model.NewExec(testBackend, store, func(scope *model.Scope, hlf, seq *graph.Node) *graph.Node {
		return Logits(scope.In("model"), cfg, hlf, seq)
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Call(tensors.FromFlatDataAndDimensions(make([]float32, NumHLF), 1, NumHLF),
		tensors.FromFlatDataAndDimensions(make([]float32, particles*NumFeatures), 1, particles, NumFeatures)); err != nil {
		t.Fatalf("%s with %d particles: %v", cfg.Kind, particles, err)
	}
	n := 0
	for v := range store.IterVariables() {
		if v.Trainable && strings.HasPrefix(v.Path(), "/model/") {
			n += v.Shape().Size()
		}
	}
	return n
}

// The original's model.summary() prints 173,378 parameters. With its layer sizes this count
// fixes the architecture's parameterised layers:
//
//	MultiHeadAttention(8, key_dim 19) on 19 features: query, key, value kernels 19·8·19 with
//	    biases 8·19 each, 3·(2888+152) = 9,120; output kernel 8·19·19 + bias 19 = 2,907: 12,027
//	LayerNormalization with 2·19 = 38 parameters: it normalises a 19-wide tensor, so it sits
//	    on the attention output, before the 20-unit Dense (after it, it would have 40)
//	TimeDistributed(Dense(20)) on 19 features: 19·20 + 20 = 400
//	Flatten of 801·20, Dense(10): 16,020·10 + 10 = 160,210 (so the Dense(10) reads the
//	    flattened 20-unit rows, and Flatten follows the TimeDistributed Dense)
//	concatenate(10, HLF 14), Dense(25): 24·25 + 25 = 625; Dense(3): 25·3 + 3 = 78
//
// 12,027 + 38 + 400 + 160,210 + 625 + 78 = 173,378: no other layer carries weights. A
// residual connection or an activation adds none, so the count cannot place them: the
// original's notebook shows no residual (LayerNormalization(attention_output)) and relu on the
// Dense(20) and Dense(10), the layout InclusiveTransformer builds. The masked variant replaces
// the Flatten by a mean: Dense(10) on 20 units, 210 parameters, 13,378 in all, for any length.
func TestTransformerParamCount(t *testing.T) {
	const attention, layerNorm, td, concatDense, out = 3*(19*8*19+8*19) + 8*19*19 + 19, 2 * 19, 19*20 + 20, 24*25 + 25, 25*3 + 3
	flatten := func(s int) int { return s*20*10 + 10 }
	if got := attention + layerNorm + td + flatten(MaxParticles) + concatDense + out; got != 173378 {
		t.Fatalf("derivation gives %d, not the original's 173,378", got)
	}
	for _, tc := range []struct {
		kind      Kind
		particles int
		want      int
	}{
		{KindInclusiveTransformer, MaxParticles, 173378},
		{KindInclusiveTransformer, 7, attention + layerNorm + td + flatten(7) + concatDense + out},
		{KindInclusiveTransformerMasked, MaxParticles, 13378},
		{KindInclusiveTransformerMasked, 7, 13378},
	} {
		if got := paramCount(t, DefaultConfig(tc.kind), tc.particles); got != tc.want {
			t.Errorf("%s with %d particles: %d parameters, want %d", tc.kind, tc.particles, got, tc.want)
		}
	}
	pb := DefaultConfig(KindInclusiveTransformerMasked)
	pb.PairBias = true
	if got := paramCount(t, pb, 7); got != 13378+8 {
		t.Errorf("masked with pair bias: %d parameters, want %d (one weight per head)", got, 13378+8)
	}
}

// The attention block on small sizes: B=2 events, S=4 rows, F=3 features, H=2 heads, D=2.
// Event 1's row 2 is padding (all zero).
const aB, aS, aF, aH, aD = 2, 4, 3, 2, 2

var attX = []float64{
	0.5, -1.0, 0.3, 0.8, -0.7, 0.2, 1.1, -0.4, 0.9, -0.2, 0.6, 0.35,
	-0.6, 0.9, 0.25, 0.4, 0.7, -0.1, 0, 0, 0, 0.3, -0.8, 0.45,
}

// attParams are the fixed weights: q, k, v kernels [F, H, D], their biases [H, D], output
// kernel [H, D, F], output bias [F], gamma, beta [F], pair weights [H].
func attParams() [][]float64 {
	fill := func(n int, a, b float64) []float64 {
		v := make([]float64, n)
		for i := range v {
			v[i] = a * math.Sin(b*float64(i+1))
		}
		return v
	}
	return [][]float64{
		fill(aF*aH*aD, 0.6, 1.1), fill(aF*aH*aD, 0.5, 2.3), fill(aF*aH*aD, 0.7, 0.7),
		fill(aH*aD, 0.1, 1.0), fill(aH*aD, -0.2, 1.5), fill(aH*aD, 0.15, 2.0),
		fill(aH*aD*aF, 0.5, 0.6), fill(aF, 0.05, 2.5),
		{1.1, 0.9, 1.2}, {0.05, -0.1, 0.2}, {0.3, -0.5},
	}
}

// handAttentionBlock is a float64 transcription of MultiHeadAttention(x, x, x) followed by
// LayerNormalization(ε): masked keys (when masked) take no weight, and pairBias adds
// w_h·ΔR(i, j) (ΔR from columns eta, phi) to the scores.
func handAttentionBlock(x []float64, p [][]float64, masked, pairBias bool, eta, phi int) []float64 {
	at := func(b, s, f int) float64 { return x[(b*aS+s)*aF+f] }
	proj := func(k int, b, s, h, d int) float64 {
		v := p[3+k][h*aD+d]
		for f := 0; f < aF; f++ {
			v += at(b, s, f) * p[k][(f*aH+h)*aD+d]
		}
		return v
	}
	out := make([]float64, aB*aS*aF)
	for b := 0; b < aB; b++ {
		real := make([]bool, aS)
		any := false
		for s := 0; s < aS; s++ {
			for f := 0; f < aF; f++ {
				real[s] = real[s] || at(b, s, f) != 0
			}
			any = any || real[s]
		}
		for i := 0; i < aS; i++ {
			y := append([]float64(nil), p[7]...)
			for h := 0; h < aH; h++ {
				scores := make([]float64, aS)
				max := math.Inf(-1)
				for j := 0; j < aS; j++ {
					for d := 0; d < aD; d++ {
						scores[j] += proj(0, b, i, h, d) * proj(1, b, j, h, d)
					}
					scores[j] /= math.Sqrt(aD)
					if pairBias {
						de, dp := at(b, i, eta)-at(b, j, eta), at(b, i, phi)-at(b, j, phi)
						scores[j] += p[10][h] * math.Sqrt(de*de+dp*dp)
					}
					if !masked || real[j] || !any {
						max = math.Max(max, scores[j])
					}
				}
				var sum float64
				w := make([]float64, aS)
				for j := range w {
					if !masked || real[j] || !any {
						w[j] = math.Exp(scores[j] - max)
						sum += w[j]
					}
				}
				for d := 0; d < aD; d++ {
					var o float64
					for j := range w {
						o += w[j] / sum * proj(2, b, j, h, d)
					}
					for f := 0; f < aF; f++ {
						y[f] += o * p[6][(h*aD+d)*aF+f]
					}
				}
			}
			var mean, variance float64
			for _, v := range y {
				mean += v / aF
			}
			for _, v := range y {
				variance += (v - mean) * (v - mean) / aF
			}
			for f, v := range y {
				out[(b*aS+i)*aF+f] = (v-mean)/math.Sqrt(variance+LayerNormEpsilon)*p[8][f] + p[9][f]
			}
		}
	}
	return out
}

// attentionExec runs attentionWeights.apply and LayerNorm on parameters fed as inputs (x,
// then attParams), with the key mask of TransformerMasked when masked and the pair bias on
// columns (0, 1) when pairBias; it returns the block's output, loss = Σ out ⊙ c and the
// loss gradients of the parameters.
func attentionExec(t *testing.T, masked, pairBias bool) *graph.Exec {
	t.Helper()
	e, err := graph.NewExec(testBackend, func(in []*graph.Node) []*graph.Node {
		x := graph.Reshape(in[0], aB, aS, aF)
		p := in[1:]
		w := attentionWeights{Output: graph.Reshape(p[6], aH, aD, aF), OutputBias: p[7]}
		for i := range 3 {
			w.Kernels[i] = graph.Reshape(p[i], aF, aH, aD)
			w.Biases[i] = graph.Reshape(p[3+i], aH, aD)
		}
		var keyMask, bias *graph.Node
		if masked {
			keyMask = attentionKeyMask(Mask(x))
		}
		if pairBias {
			bias = pairBiasScores(p[10], x, 0, 1)
		}
		y := nn.LayerNorm(w.apply(x, keyMask, bias), []int{2}, LayerNormEpsilon, p[8], p[9], nil)
		c := graph.Sin(graph.IotaFull(y.Graph(), y.Shape()))
		loss := graph.ReduceAllSum(graph.Mul(y, c))
		return append([]*graph.Node{y, loss}, graph.Gradient(loss, p...)...)
	})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestAttentionBlockMatchesHandComputation(t *testing.T) {
	p := attParams()
	for _, tc := range []struct {
		name             string
		masked, pairBias bool
	}{{"unmasked", false, false}, {"masked", true, false}, {"masked-pair-bias", true, true}} {
		t.Run(tc.name, func(t *testing.T) {
			want := handAttentionBlock(attX, p, tc.masked, tc.pairBias, 0, 1)
			got := tensors.MustCopyFlatData[float64](callExec(t, attentionExec(t, tc.masked, tc.pairBias), attX, p)[0])
			for i := range want {
				if math.Abs(got[i]-want[i]) > 1e-9 {
					t.Errorf("out[%d] = %v, hand computation %v", i, got[i], want[i])
				}
			}
		})
	}
	// The case must be sensitive to what it checks: masking and the pair bias change the output.
	plain, masked := handAttentionBlock(attX, p, false, false, 0, 1), handAttentionBlock(attX, p, true, false, 0, 1)
	biased := handAttentionBlock(attX, p, true, true, 0, 1)
	if d, e := math.Abs(plain[aS*aF]-masked[aS*aF]), math.Abs(biased[0]-masked[0]); d < 1e-3 || e < 1e-3 {
		t.Fatalf("test case insensitive to masking (%g) or to the pair bias (%g)", d, e)
	}
}

func TestAttentionBlockGradientMatchesFiniteDifferences(t *testing.T) {
	p := attParams()
	names := []string{"query/kernel", "key/kernel", "value/kernel", "query/bias", "key/bias", "value/bias",
		"output/kernel", "output/bias", "gamma", "beta", "pair_bias/weights"}
	checkGradientsOn(t, attentionExec(t, true, true), attX, p, 1e-7, names...)
}

// smallTransformer is a Transformer configuration small enough for tests.
func smallTransformer(kind Kind) Config {
	c := DefaultConfig(kind)
	c.AttentionHeads, c.AttentionKeyDim, c.TimeDistributedUnits, c.ParticleDenseUnits, c.InclusiveHidden = 2, 4, 5, 4, 6
	return c
}

// eventsWithPadding returns b events of s rows: event e has its first real[e] rows non-zero
// (values from a fixed pattern) and zero padding after them.
func eventsWithPadding(real []int, s int) (hlf, seq []float32) {
	b := len(real)
	hlf = make([]float32, b*NumHLF)
	for i := range hlf {
		hlf[i] = float32(math.Sin(0.37 * float64(i+1)))
	}
	seq = make([]float32, b*s*NumFeatures)
	for e := 0; e < b; e++ {
		for r := 0; r < real[e]; r++ {
			for f := 0; f < NumFeatures; f++ {
				seq[(e*s+r)*NumFeatures+f] = float32(math.Cos(0.71*float64(r*NumFeatures+f) + float64(e)))
			}
		}
	}
	return hlf, seq
}

// logitsOf runs cfg's logits (store shared between calls, so the weights are the same) for
// b events of s rows.
func logitsOf(t *testing.T, store *model.Store, cfg Config, hlf, seq []float32, b, s int) []float32 {
	t.Helper()
	e, err := model.NewExec(testBackend, store, func(scope *model.Scope, h, q *graph.Node) *graph.Node {
		return Logits(scope.In("model"), cfg, h, q)
	})
	if err != nil {
		t.Fatal(err)
	}
	out, err := e.Call(tensors.FromFlatDataAndDimensions(hlf, b, NumHLF), tensors.FromFlatDataAndDimensions(seq, b, s, NumFeatures))
	if err != nil {
		t.Fatal(err)
	}
	return tensors.MustCopyFlatData[float32](out[0])
}

// Appending padding rows leaves the masked variant's output unchanged; it changes what the
// original's attention computes (padding rows are keys there), so its rows differ.
func TestTransformerMaskingInvariance(t *testing.T) {
	real := []int{4, 2, 5}
	for _, pairBias := range []bool{false, true} {
		cfg := smallTransformer(KindInclusiveTransformerMasked)
		cfg.PairBias = pairBias
		store := seededStore(3)
		hlf, short := eventsWithPadding(real, 5)
		want := logitsOf(t, store, cfg, hlf, short, len(real), 5)
		if pairBias { // non-zero pair weights (they start at 0), so that the bias takes part
			v := store.GetVariable("/model/pair_bias/weights")
			if v == nil {
				t.Fatal("no pair bias variable")
			}
			v.MustSetValue(tensors.FromValue([]float32{0.7, -1.3}))
			again := logitsOf(t, store, cfg, hlf, short, len(real), 5)
			if math.Abs(float64(again[0]-want[0])) < 1e-6 {
				t.Fatal("the pair bias does not change the logits")
			}
			want = again
		}
		_, long := eventsWithPadding(real, 9)
		got := logitsOf(t, store, cfg, hlf, long, len(real), 9)
		for i := range want {
			if math.Abs(float64(got[i]-want[i])) > 1e-5 {
				t.Errorf("pair bias %v: logit %d is %v with 4 more padding rows, %v without", pairBias, i, got[i], want[i])
			}
		}
	}

	// The original's attention rows (no mask) change when padding is appended.
	rows := func(s int) []float32 {
		_, seq := eventsWithPadding(real, s)
		store := seededStore(3)
		cfg := smallTransformer(KindInclusiveTransformer)
		e, err := model.NewExec(testBackend, store, func(scope *model.Scope, q *graph.Node) *graph.Node {
			return transformerRows(scope.In("model"), cfg, q, nil, nil)
		})
		if err != nil {
			t.Fatal(err)
		}
		out := tensors.MustCopyFlatData[float32](e.MustCall(tensors.FromFlatDataAndDimensions(seq, len(real), s, NumFeatures))[0])
		first := make([]float32, 0) // each event's first 5 rows
		for b := range real {
			first = append(first, out[b*s*cfg.TimeDistributedUnits:(b*s+5)*cfg.TimeDistributedUnits]...)
		}
		return first
	}
	a, b := rows(5), rows(9)
	var diff float64
	for i := range a {
		diff = math.Max(diff, math.Abs(float64(a[i]-b[i])))
	}
	if diff < 1e-4 {
		t.Fatalf("the unmasked attention is unchanged by padding (max difference %g): the test cannot tell masking", diff)
	}
}

// An event made only of padding gives finite logits and finite gradients in the masked
// variant (no softmax over an empty set of keys, no 0/0 mean), on the Go backend and, where
// its library is set (ONNXRUNTIME_SHARED_LIBRARY_PATH), on ONNX Runtime, whose fused
// attention takes the mask as an additive -inf.
func TestTransformerAllPaddingIsFinite(t *testing.T) {
	backends := map[string]compute.Backend{"go": testBackend}
	if os.Getenv("ONNXRUNTIME_SHARED_LIBRARY_PATH") != "" {
		b, err := onnxbackend.New("cpu")
		if err != nil {
			t.Fatalf("ONNX Runtime backend: %v", err)
		}
		defer b.Finalize()
		backends["onnxruntime"] = b
	}
	cfg := smallTransformer(KindInclusiveTransformerMasked)
	cfg.PairBias = true
	real := []int{0, 3}
	hlf, seq := eventsWithPadding(real, 4)
	for name, backend := range backends {
		for _, training := range []bool{false, true} {
			store := seededStore(5)
			e, err := model.NewExec(backend, store, func(scope *model.Scope, h, q *graph.Node) []*graph.Node {
				store.SetTraining(h.Graph(), training)
				logits := Logits(scope.In("model"), cfg, h, q)
				loss := graph.ReduceAllSum(graph.Square(logits))
				outs := []*graph.Node{logits}
				for v := range store.IterVariables() {
					if v.Trainable && strings.HasPrefix(v.Path(), "/model/") {
						outs = append(outs, graph.Gradient(loss, v.NodeValue(h.Graph()))...)
					}
				}
				return outs
			})
			if err != nil {
				t.Fatal(err)
			}
			out, err := e.Call(tensors.FromFlatDataAndDimensions(hlf, 2, NumHLF), tensors.FromFlatDataAndDimensions(seq, 2, 4, NumFeatures))
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if len(out) < 10 {
				t.Fatalf("%s: only %d outputs: the gradients were not computed", name, len(out))
			}
			for k, o := range out {
				for i, v := range tensors.MustCopyFlatData[float32](o) {
					if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
						t.Fatalf("%s, training %v: output %d (0: logits, then gradients) [%d] = %v", name, training, k, i, v)
					}
				}
			}
		}
	}
}

// With the default preparation no row is all zero: every row is real, the masked variant is
// plain attention over all rows followed by the mean over all rows, and nothing fails.
func TestTransformerMaskInertWithoutPadding(t *testing.T) {
	const s = 4
	real := []int{s, s}
	hlf, seq := eventsWithPadding(real, s)
	cfg := smallTransformer(KindInclusiveTransformerMasked)
	store := seededStore(9)
	got := logitsOf(t, store, cfg, hlf, seq, 2, s)
	e, err := model.NewExec(testBackend, store, func(scope *model.Scope, h, q *graph.Node) *graph.Node {
		scope = scope.In("model")
		rows := transformerRows(scope, cfg, q, nil, nil) // no mask at all
		p := Dense(scope.In("particle_dense"), graph.ReduceMean(rows, 1), cfg.ParticleDenseUnits)
		x := graph.Concatenate([]*graph.Node{graph.Max(p, graph.ZerosLike(p)), h}, -1)
		x = Dense(scope.In("dense_0"), x, cfg.InclusiveHidden)
		return Dense(scope.In("output"), graph.Max(x, graph.ZerosLike(x)), NumClasses)
	})
	if err != nil {
		t.Fatal(err)
	}
	want := tensors.MustCopyFlatData[float32](e.MustCall(tensors.FromFlatDataAndDimensions(hlf, 2, NumHLF),
		tensors.FromFlatDataAndDimensions(seq, 2, s, NumFeatures))[0])
	for i := range want {
		if math.Abs(float64(got[i]-want[i])) > 1e-5 {
			t.Errorf("logit %d: masked variant %v, unmasked mean %v", i, got[i], want[i])
		}
	}
}

func TestTransformerSameSeedSameWeights(t *testing.T) {
	a := InitialValues(InitGlorotUniform, 4, "/model/attention/query/kernel", 19, 8, 19)
	limit := float32(math.Sqrt(6.0 / (8*19 + 19*19))) // Keras's fans of a [19, 8, 19] kernel
	wider := false
	for _, v := range a {
		if v < -limit || v > limit {
			t.Fatalf("value %v outside Keras's glorot limit ±%v", v, limit)
		}
		wider = wider || math.Abs(float64(v)) > 0.9*float64(limit)
	}
	if !wider {
		t.Fatal("values never near the limit: the fans are not Keras's")
	}
	if ones := InitialValues(InitOnes, 4, "/model/layer_norm/gamma", 3); ones[0] != 1 || ones[2] != 1 {
		t.Fatalf("ones initializer gave %v", ones)
	}
}
