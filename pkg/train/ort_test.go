package train

import (
	stdcontext "context"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/gomlx/compute"

	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
)

// ortBackend returns the ONNX Runtime backend, or skips when its library is not installed
// (scripts/test.sh installs it and sets ONNXRUNTIME_SHARED_LIBRARY_PATH).
func ortBackend(t *testing.T) compute.Backend {
	t.Helper()
	if os.Getenv("ONNXRUNTIME_SHARED_LIBRARY_PATH") == "" {
		t.Skip("ONNXRUNTIME_SHARED_LIBRARY_PATH unset: run scripts/install-ort.sh")
	}
	b, err := modeldir.BackendFromConfig("onnx")
	if err != nil {
		t.Fatalf("ONNX Runtime backend: %v", err)
	}
	if !strings.HasPrefix(modeldir.KernelFamily(b), "ORT ") {
		t.Fatalf("kernel family %q", modeldir.KernelFamily(b))
	}
	return b
}

// TestTrainAndPredictOnONNXRuntime trains each classifier on ONNX Runtime and on the Go
// backend from the same seed: the histories agree to float32 rounding (same initial weights,
// same batches, same graph), and the ONNX Runtime predictor (the model's ONNX graph, with
// ONNX's GRU or LSTM) agrees with GoMLX's graph to 1e-5.
func TestTrainAndPredictOnONNXRuntime(t *testing.T) {
	ort := ortBackend(t)
	goBackend, err := modeldir.BackendFromConfig("go")
	if err != nil {
		t.Fatal(err)
	}
	trainData, valData := blobs(30, 6, 5), blobs(10, 6, 6)
	for _, kind := range models.Networks {
		t.Run(string(kind), func(t *testing.T) {
			cfg := models.DefaultConfig(kind)
			if kind != models.KindHLF && !kind.Transformer() {
				cfg.GRUUnits, cfg.InclusiveHidden, cfg.Dropout = 6, 5, 0
				if cfg.LSTMUnits > 0 {
					cfg.GRUUnits, cfg.LSTMUnits = 0, 6
				}
			}
			if kind.Transformer() {
				cfg.AttentionHeads, cfg.AttentionKeyDim, cfg.InclusiveHidden, cfg.Dropout = 2, 4, 5, 0
				cfg.PairBias = kind == models.KindInclusiveTransformerMasked
			}
			opts := modeldir.DefaultOptions()
			opts.Epochs, opts.BatchSize, opts.Seed = 2, 16, 3
			var hists []*modeldir.History
			var dirs []string
			for _, b := range []compute.Backend{goBackend, ort} {
				dir := t.TempDir()
				tr, va := sources(t, trainData, valData)
				h, err := Train(stdcontext.Background(), Job{Dir: dir, Model: cfg, Options: opts, Train: tr, Validation: va, Backend: b})
				if err != nil {
					t.Fatalf("%s: %v", modeldir.KernelFamily(b), err)
				}
				hists, dirs = append(hists, h), append(dirs, dir)
			}
			for e := range hists[0].Loss {
				if d := math.Abs(hists[0].Loss[e] - hists[1].Loss[e]); d > 1e-4*(1+hists[0].Loss[e]) {
					t.Errorf("epoch %d: loss %v on Go, %v on ONNX Runtime", e+1, hists[0].Loss[e], hists[1].Loss[e])
				}
			}
			goPred, err := modeldir.Load(dirs[1], goBackend)
			if err != nil {
				t.Fatal(err)
			}
			defer goPred.Close()
			ortPred, err := modeldir.Load(dirs[1], ort)
			if err != nil {
				t.Fatal(err)
			}
			defer ortPred.Close()
			if !strings.HasPrefix(ortPred.Engine(), "ONNX Runtime") || !strings.HasPrefix(goPred.Engine(), "GoMLX graph on Go") {
				t.Fatalf("engines %q and %q", ortPred.Engine(), goPred.Engine())
			}
			want, err := goPred.Predict(valData)
			if err != nil {
				t.Fatal(err)
			}
			got, err := ortPred.Predict(valData)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(want) {
				t.Fatalf("%d probabilities, want %d", len(got), len(want))
			}
			var worst float64
			for i := range want {
				worst = max(worst, math.Abs(float64(got[i]-want[i])))
			}
			if worst > 1e-5 {
				t.Errorf("ONNX Runtime's probabilities differ from GoMLX's by up to %g", worst)
			}
			t.Logf("largest difference %g", worst)
		})
	}
}
