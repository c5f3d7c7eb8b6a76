package models

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"testing"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

func seededStore(seed int64) *model.Store {
	store := model.NewStore()
	store.SetParam(model.ParamInitialSeed, seed)
	return store
}

func orthogonalMatrix(t *testing.T, seed int64, rows, cols int) []float32 {
	t.Helper()
	return InitialValues(InitOrthogonal, seed, "/model/gru/recurrent_kernel", rows, cols)
}

func TestOrthogonalInitializer(t *testing.T) {
	for _, tc := range []struct {
		name       string
		rows, cols int
	}{{"square50", 50, 50}, {"wide", 3, 7}, {"tall", 7, 3}} {
		t.Run(tc.name, func(t *testing.T) {
			q := orthogonalMatrix(t, 42, tc.rows, tc.cols)
			// The smaller set of vectors (rows of a wide matrix, columns of a tall one) is orthonormal.
			n, m := tc.rows, tc.cols
			at := func(i, k int) float64 { return float64(q[i*tc.cols+k]) }
			if tc.rows > tc.cols {
				n, m = tc.cols, tc.rows
				at = func(i, k int) float64 { return float64(q[k*tc.cols+i]) }
			}
			for i := 0; i < n; i++ {
				for j := 0; j < n; j++ {
					var dot float64
					for k := 0; k < m; k++ {
						dot += at(i, k) * at(j, k)
					}
					want := 0.0
					if i == j {
						want = 1
					}
					if math.Abs(dot-want) > 1e-5 {
						t.Fatalf("vector %d · vector %d = %v, want %v", i, j, dot, want)
					}
				}
			}
		})
	}
	t.Run("keyed by path", func(t *testing.T) {
		a := InitialValues(InitGlorotUniform, 7, "/model/dense_0/weights", 4, 5)
		b := InitialValues(InitGlorotUniform, 7, "/model/dense_1/weights", 4, 5)
		limit := float32(math.Sqrt(6.0 / 9))
		differ := false
		for i := range a {
			differ = differ || a[i] != b[i]
			if a[i] < -limit || a[i] > limit {
				t.Fatalf("glorot value %v outside ±%v", a[i], limit)
			}
		}
		if !differ {
			t.Fatal("two variables of the same shape got the same initial values")
		}
	})
	t.Run("seeded", func(t *testing.T) {
		a, b, c := orthogonalMatrix(t, 7, 5, 5), orthogonalMatrix(t, 7, 5, 5), orthogonalMatrix(t, 8, 5, 5)
		same, differ := true, false
		for i := range a {
			same = same && a[i] == b[i]
			differ = differ || a[i] != c[i]
		}
		if !same || !differ {
			t.Fatalf("same seed gives the same matrix: %v; another seed another matrix: %v", same, differ)
		}
	})
}

func TestClassifierShapes(t *testing.T) {
	const batch, particles = 5, 6
	hlf := make([]float32, batch*NumHLF)
	seq := make([]float32, batch*particles*NumFeatures)
	for i := range hlf {
		hlf[i] = float32(math.Sin(float64(i)))
	}
	for i := range seq {
		seq[i] = float32(math.Cos(float64(i)))
	}
	small := DefaultConfig(KindHLF)
	small.HLFHidden = []int{8, 4}
	for _, tc := range []struct {
		name string
		cfg  Config
		vars []string // scope/name of the trainable variables, sorted
	}{
		{"hlf", DefaultConfig(KindHLF), []string{
			"/model/dense_0/biases [50]", "/model/dense_0/weights [14 50]",
			"/model/dense_1/biases [20]", "/model/dense_1/weights [50 20]",
			"/model/dense_2/biases [10]", "/model/dense_2/weights [20 10]",
			"/model/output/biases [3]", "/model/output/weights [10 3]"}},
		{"hlf-tuned", small, []string{
			"/model/dense_0/biases [8]", "/model/dense_0/weights [14 8]",
			"/model/dense_1/biases [4]", "/model/dense_1/weights [8 4]",
			"/model/output/biases [3]", "/model/output/weights [4 3]"}},
		{"particle", DefaultConfig(KindParticle), append(gruVars(),
			"/model/output/biases [3]", "/model/output/weights [50 3]")},
		{"inclusive", DefaultConfig(KindInclusive), append(gruVars(),
			"/model/dense_0/biases [25]", "/model/dense_0/weights [64 25]",
			"/model/output/biases [3]", "/model/output/weights [25 3]")},
		{"particle-lstm", DefaultConfig(KindParticleLSTM), append(lstmVars(),
			"/model/output/biases [3]", "/model/output/weights [50 3]")},
		{"inclusive-lstm", DefaultConfig(KindInclusiveLSTM), append(lstmVars(),
			"/model/dense_0/biases [25]", "/model/dense_0/weights [64 25]",
			"/model/output/biases [3]", "/model/output/weights [25 3]")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			store := seededStore(1)
			for _, training := range []bool{false, true} {
				e, err := model.NewExec(testBackend, store, func(scope *model.Scope, hlf, seq *graph.Node) *graph.Node {
					store.SetTraining(hlf.Graph(), training)
					return Logits(scope.In("model"), tc.cfg, hlf, seq)
				})
				if err != nil {
					t.Fatal(err)
				}
				out, err := e.Call(tensors.FromFlatDataAndDimensions(hlf, batch, NumHLF),
					tensors.FromFlatDataAndDimensions(seq, batch, particles, NumFeatures))
				if err != nil {
					t.Fatal(err)
				}
				if got := out[0].Shape(); !got.Equal(shapes.Make(dtypes.Float32, batch, NumClasses)) {
					t.Fatalf("training=%v: logits shape %s, want [%d %d]", training, got, batch, NumClasses)
				}
			}
			var got []string
			for v := range store.IterVariables() {
				if v.Trainable && strings.HasPrefix(v.Path(), "/model/") {
					got = append(got, fmt.Sprintf("%s %v", v.Path(), v.Shape().Dimensions))
				}
			}
			sort.Strings(got)
			want := append([]string(nil), tc.vars...)
			sort.Strings(want)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("variables:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

func gruVars() []string {
	return []string{"/model/gru/kernel [19 150]", "/model/gru/recurrent_kernel [50 150]",
		"/model/gru/bias [150]", "/model/gru/recurrent_bias [150]"}
}

func lstmVars() []string {
	return []string{"/model/lstm/kernel [19 200]", "/model/lstm/recurrent_kernel [50 200]", "/model/lstm/bias [200]"}
}

// TestParameterCounts checks the trainable parameters of each network against Keras's
// model.summary() of the original's models (Keras counts the GRU's two bias rows and the
// LSTM's single bias).
func TestParameterCounts(t *testing.T) {
	want := map[Kind]int{
		KindHLF:           2013,  // 14·50+50 + 50·20+20 + 20·10+10 + 10·3+3
		KindParticle:      10803, // GRU 3·50·(19+50+2) + 50·3+3
		KindInclusive:     12353, // GRU 10650 + (50+14)·25+25 + 25·3+3
		KindParticleLSTM:  14153, // LSTM 4·50·(19+50+1) + 50·3+3
		KindInclusiveLSTM: 15703, // LSTM 14000 + 1625 + 78: the original's LSTM inclusive classifier
		// The Transformers (TestTransformerParamCount derives them): the original's Flatten sizes
		// its Dense(10) by the 3 rows read here, 3·200 + 13,178; the masked one is 13,378 for any length.
		KindInclusiveTransformer:       13778,
		KindInclusiveTransformerMasked: 13378,
	}
	for _, kind := range Networks {
		store := seededStore(1)
		e, err := model.NewExec(testBackend, store, func(scope *model.Scope, hlf, seq *graph.Node) *graph.Node {
			return Logits(scope.In("model"), DefaultConfig(kind), hlf, seq)
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.Call(tensors.FromFlatDataAndDimensions(make([]float32, 2*NumHLF), 2, NumHLF), tensors.FromFlatDataAndDimensions(make([]float32, 2*3*NumFeatures), 2, 3, NumFeatures)); err != nil {
			t.Fatal(err)
		}
		n := 0
		for v := range store.IterVariables() {
			if v.Trainable {
				n += v.Shape().Size()
			}
		}
		if n != want[kind] {
			t.Errorf("%s classifier: %d trainable parameters, Keras %d", kind, n, want[kind])
		}
	}
}

func TestLogitsRejectsBadInputs(t *testing.T) {
	for _, tc := range []struct {
		name    string
		cfg     Config
		hlfDims []int
		seqDims []int
	}{
		{"hlf-wrong-width", DefaultConfig(KindHLF), []int{2, 13}, nil},
		{"particle-no-seq", DefaultConfig(KindParticle), []int{2, 14}, nil},
		{"particle-wrong-features", DefaultConfig(KindParticle), nil, []int{2, 4, 18}},
		{"inclusive-batch-mismatch", DefaultConfig(KindInclusive), []int{3, 14}, []int{2, 4, 19}},
		{"particle-lstm-wrong-features", DefaultConfig(KindParticleLSTM), nil, []int{2, 4, 18}},
		{"inclusive-lstm-no-hlf", DefaultConfig(KindInclusiveLSTM), nil, []int{2, 4, 19}},
		{"unknown-kind", Config{Kind: "cnn"}, []int{2, 14}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// The graph is built, and the panic turned into an error, at the first execution.
			e, err := model.NewExec(testBackend, model.NewStore(), func(scope *model.Scope, g *graph.Graph) *graph.Node {
				var hlf, seq *graph.Node
				if tc.hlfDims != nil {
					hlf = graph.Zeros(g, shapes.Make(dtypes.Float32, tc.hlfDims...))
				}
				if tc.seqDims != nil {
					seq = graph.Zeros(g, shapes.Make(dtypes.Float32, tc.seqDims...))
				}
				return Logits(scope, tc.cfg, hlf, seq)
			})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := e.Call(); err == nil {
				t.Fatal("bad input accepted")
			}
		})
	}
}
