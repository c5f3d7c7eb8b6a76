package onnx_test

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gomlx/compute"

	"github.com/godltrigger/godltrigger/pkg/ingest"
	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
	"github.com/godltrigger/godltrigger/pkg/onnx"
	"github.com/godltrigger/godltrigger/pkg/train"
)

var testBackend compute.Backend

func TestMain(m *testing.M) {
	if os.Getenv("GOMLX_BACKEND") == "" {
		os.Setenv("GOMLX_BACKEND", "go")
	}
	b, _, err := modeldir.NewBackend(nil)
	if err != nil {
		panic(err)
	}
	testBackend = b
	os.Exit(m.Run())
}

// testScaler and testDataRecord stand for the preparation step's scaler in model.json and
// the record of the training datasets in data.json.
const (
	testScaler     = `{"min":[0,1],"max":[2,3]}`
	testDataRecord = `{"train":"/data/train.parquet","test":"/data/test.parquet","streamed":false}`
)

// trainModel trains cfg for two epochs on synthetic rows (particle sequences of seqLen,
// trailing zero padding) with a large learning rate, so that every weight, biases included,
// moves away from its initial value, and returns the model directory. The model reads
// maxParticles rows (0: all), those truncate says ("": the default, the last ones).
func trainModel(t testing.TB, cfg models.Config, seqLen, maxParticles int, truncate models.Truncation) string {
	t.Helper()
	d := train.SyntheticData(48, seqLen, 1)
	val := train.SyntheticData(16, seqLen, 2)
	if seqLen == 0 {
		d.Seq, val.Seq = nil, nil
	}
	tr, err := train.NewMemorySource(d)
	if err != nil {
		t.Fatal(err)
	}
	va, err := train.NewMemorySource(val)
	if err != nil {
		t.Fatal(err)
	}
	opts := modeldir.DefaultOptions()
	opts.Epochs, opts.BatchSize, opts.LearningRate, opts.MaxParticles = 2, 24, 0.05, maxParticles
	if truncate != "" {
		opts.Truncate = truncate
	}
	dir := filepath.Join(t.TempDir(), "model")
	if _, err := train.Train(context.Background(), train.Job{Dir: dir, Model: cfg, Options: opts,
		Train: tr, Validation: va, Backend: testBackend, Scaler: json.RawMessage(testScaler)}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, modeldir.DataFile), []byte(testDataRecord), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// paddedBatch returns rows of seqLen particles with every masking case: an all-zero
// sequence, zero rows in the middle, no padding at all, zero rows only at the start, a row
// with some (not all) features 0, and ordinary trailing padding.
func paddedBatch(seqLen int) modeldir.Data {
	d := train.SyntheticData(12, seqLen, 3)
	const f = models.NumFeatures
	row := func(i int) []float32 { return d.Seq[i*seqLen*f : (i+1)*seqLen*f] }
	clear(row(0)) // all masked: the state stays 0
	if seqLen > 0 {
		full := train.SyntheticData(1, seqLen, 4) // refill rows 1-4 without padding
		for i := 1; i <= 4; i++ {
			copy(row(i), full.Seq)
			for k := range row(i) {
				row(i)[k] += float32(i) * 0.1 // distinct rows
			}
		}
		for _, s := range []int{1, 3, 4, seqLen - 2} { // interspersed padding
			clear(row(1)[s*f : (s+1)*f])
		}
		clear(row(3)[:(seqLen/2)*f])       // leading padding
		for k := 0; k < seqLen*f; k += 2 { // half the features 0: nothing masked
			row(4)[k] = 0
		}
	}
	return d
}

func TestExportMatchesOnnxRuntime(t *testing.T) {
	rt, why := findRuntime()
	particle := models.DefaultConfig(models.KindParticle)
	particle.FlushGradBelow = 0
	inclusive := models.DefaultConfig(models.KindInclusive)
	inclusive.FlushGradBelow, inclusive.GRUUnits = 0, 16
	transformer := models.DefaultConfig(models.KindInclusiveTransformer)
	masked := models.DefaultConfig(models.KindInclusiveTransformerMasked)
	pairBias := masked
	pairBias.PairBias = true
	particleLSTM := models.DefaultConfig(models.KindParticleLSTM)
	inclusiveLSTM := models.DefaultConfig(models.KindInclusiveLSTM)
	inclusiveLSTM.LSTMUnits = 16
	for _, tc := range []struct {
		name                 string
		cfg                  models.Config
		seqLen, maxParticles int               // training rows; the model reads maxParticles of them
		truncate             models.Truncation // which ones ("": the default, the last)
		inputLen             int               // particle rows given to the exported model (0: seqLen)
		inputs               []string
	}{
		{"hlf", models.DefaultConfig(models.KindHLF), 0, 0, "", 0, []string{"hlf"}},
		{"particle", particle, 12, 0, "", 0, []string{"seq"}},
		{"inclusive, last rows", inclusive, 12, 10, "", 0, []string{"hlf", "seq"}},
		{"particle, last rows", particle, 12, 5, models.TruncateLast, 0, []string{"seq"}},
		{"particle, last rows of a shorter sequence", particle, 12, 10, models.TruncateLast, 7, []string{"seq"}},
		{"particle, first rows (older models)", particle, 12, 5, models.TruncateFirst, 0, []string{"seq"}},
		{"inclusive-transformer", transformer, 12, 0, "", 0, []string{"hlf", "seq"}},
		{"inclusive-transformer, last rows", transformer, 12, 10, "", 0, []string{"hlf", "seq"}},
		{"inclusive-transformer, first rows", transformer, 12, 5, models.TruncateFirst, 0, []string{"hlf", "seq"}},
		{"inclusive-transformer-masked", masked, 12, 0, "", 0, []string{"hlf", "seq"}},
		{"inclusive-transformer-masked, pair bias, last rows of a shorter sequence", pairBias, 12, 10, "", 7, []string{"hlf", "seq"}},
		{"particle-lstm", particleLSTM, 12, 0, "", 0, []string{"seq"}},
		{"inclusive-lstm, last rows", inclusiveLSTM, 12, 10, "", 0, []string{"hlf", "seq"}},
		{"particle-lstm, last rows of a shorter sequence", particleLSTM, 12, 10, models.TruncateLast, 7, []string{"seq"}},
		{"particle-lstm, first rows (older models)", particleLSTM, 12, 5, models.TruncateFirst, 0, []string{"seq"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := trainModel(t, tc.cfg, tc.seqLen, tc.maxParticles, tc.truncate)
			path := filepath.Join(t.TempDir(), "model.onnx")
			if err := onnx.Export(dir, path); err != nil {
				t.Fatal(err)
			}
			meta, err := onnx.ReadMetadata(path)
			if err != nil {
				t.Fatal(err)
			}
			checkMetadata(t, meta, tc.cfg)

			if rt == nil {
				t.Skip(why)
			}
			inputLen := tc.seqLen
			if tc.inputLen > 0 {
				inputLen = tc.inputLen
			}
			batch := paddedBatch(inputLen)
			if tc.seqLen == 0 {
				batch.Seq = nil
			}
			want, err := modeldir.Predict(dir, testBackend, batch)
			if err != nil {
				t.Fatal(err)
			}
			n := len(batch.Labels)
			var in []ortInput
			if tc.cfg.UsesHLF() {
				in = append(in, ortInput{"hlf", []int{n, models.NumHLF}, batch.HLF})
			}
			if tc.cfg.UsesSequence() {
				in = append(in, ortInput{"seq", []int{n, inputLen, models.NumFeatures}, batch.Seq})
			}
			res := rt.run(t, path, in...)
			if !slices.Equal(res.Inputs, tc.inputs) {
				t.Errorf("ONNX inputs %v, want %v", res.Inputs, tc.inputs)
			}
			got, ok := res.Outputs[onnx.OutputProbabilities]
			if !ok || !slices.Equal(got.Dims, []int{n, models.NumClasses}) {
				t.Fatalf("ONNX Runtime outputs %v, want %s [%d, 3]", res.Outputs, onnx.OutputProbabilities, n)
			}
			var worst float64
			for i := range want {
				d := math.Abs(got.Data[i] - float64(want[i]))
				worst = max(worst, d)
				if d > 1e-5 {
					t.Errorf("row %d class %d: ONNX Runtime %.7f, GoMLX %.7f", i/3, i%3, got.Data[i], want[i])
				}
			}
			t.Logf("%d rows, largest difference %.2g", n, worst)
		})
	}
}

func checkMetadata(t *testing.T, meta map[string]string, cfg models.Config) {
	t.Helper()
	for _, key := range []string{onnx.MetaProducer, onnx.MetaVersion, onnx.MetaModelDir, onnx.MetaModel,
		onnx.MetaTraining, onnx.MetaTrainingData, onnx.MetaEpochs, onnx.MetaKind, onnx.MetaClasses,
		onnx.MetaFeatureSpec, onnx.MetaScaler} {
		if meta[key] == "" {
			t.Errorf("metadata %s missing (have %v)", key, meta)
		}
	}
	if got := meta[onnx.MetaFeatureSpec]; got != ingest.FeatureSpec {
		t.Errorf("feature spec %q, want %q", got, ingest.FeatureSpec)
	}
	if got := meta[onnx.MetaTrainingData]; got != testDataRecord {
		t.Errorf("training data %s, want data.json verbatim: %s", got, testDataRecord)
	}
	if got := meta[onnx.MetaEpochs]; got != "2" {
		t.Errorf("epochs %s, want 2", got)
	}
	if got := meta[onnx.MetaClasses]; got != `["qcd","ttbar","wjets"]` {
		t.Errorf("classes %s", got)
	}
	var compact bytes.Buffer // model.json holds the scaler indented
	if err := json.Compact(&compact, []byte(meta[onnx.MetaScaler])); err != nil || compact.String() != testScaler {
		t.Errorf("scaler %s (%v), want %s", meta[onnx.MetaScaler], err, testScaler)
	}
	if got := meta[onnx.MetaKind]; got != string(cfg.Kind) {
		t.Errorf("kind %s, want %s", got, cfg.Kind)
	}
	var saved models.Config
	if err := json.Unmarshal([]byte(meta[onnx.MetaModel]), &saved); err != nil || saved.RecurrentUnits() != cfg.RecurrentUnits() {
		t.Errorf("model config %s (%v), want %+v", meta[onnx.MetaModel], err, cfg)
	}
	var opts modeldir.Options
	if err := json.Unmarshal([]byte(meta[onnx.MetaTraining]), &opts); err != nil || opts.Epochs != 2 {
		t.Errorf("training options %s (%v)", meta[onnx.MetaTraining], err)
	}
	if _, ok := meta[onnx.MetaHLFFeatures]; ok != cfg.UsesHLF() {
		t.Errorf("hlf feature names present: %v, want %v", ok, cfg.UsesHLF())
	}
	if _, ok := meta[onnx.MetaParticleFeatures]; ok != cfg.UsesSequence() {
		t.Errorf("particle feature names present: %v, want %v", ok, cfg.UsesSequence())
	}
	if got := meta[onnx.MetaProducer]; got != "dltrigger export" {
		t.Errorf("producer %q", got)
	}
}

func TestBuildReportsBadModels(t *testing.T) {
	good := trainModel(t, models.DefaultConfig(models.KindHLF), 0, 0, "")
	// edit copies the good directory and rewrites its model.json with change applied.
	edit := func(t *testing.T, change func(*modeldir.Info)) string {
		dir := filepath.Join(t.TempDir(), "model")
		if err := os.CopyFS(dir, os.DirFS(good)); err != nil {
			t.Fatal(err)
		}
		info, err := modeldir.ReadInfo(dir)
		if err != nil {
			t.Fatal(err)
		}
		change(info)
		if err := modeldir.WriteInfo(dir, info); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	for _, tc := range []struct {
		name string
		dir  func(t *testing.T) string
		want string
	}{
		{"missing directory", func(t *testing.T) string { return filepath.Join(t.TempDir(), "none") }, "model.json"},
		{"no checkpoint", func(t *testing.T) string {
			dir := edit(t, func(*modeldir.Info) {})
			os.RemoveAll(filepath.Join(dir, modeldir.CheckpointDir))
			return dir
		}, "checkpoint"},
		{"sizes differ from the weights", func(t *testing.T) string {
			return edit(t, func(i *modeldir.Info) { i.Model.HLFHidden = []int{50, 21, 10} })
		}, "dense_1/weights has dimensions [50 20], want [50 21]"},
		{"another kind", func(t *testing.T) string {
			return edit(t, func(i *modeldir.Info) { i.Model = models.DefaultConfig(models.KindParticle) })
		}, "no variable /gru/kernel"},
		{"a tree ensemble", func(t *testing.T) string {
			return edit(t, func(i *modeldir.Info) { i.Model = models.DefaultConfig(models.KindXGBoost) })
		}, "holds a tree ensemble (xgboost): only the networks export to ONNX"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := tc.dir(t)
			out := filepath.Join(t.TempDir(), "m.onnx")
			err := onnx.Export(dir, out)
			if err == nil || !strings.HasPrefix(err.Error(), "onnx: ") || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one with %q", err, tc.want)
			}
			if _, statErr := os.Stat(out); !os.IsNotExist(statErr) {
				t.Errorf("a failed export left %s", out)
			}
		})
	}
}

func TestReadMetadataRejectsOtherFiles(t *testing.T) {
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"text", []byte("not a model\n")},
		{"truncated", []byte{0x72, 0x10, 0x0a}}, // field 14, 16 bytes announced, 1 present
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "x.onnx")
			if err := os.WriteFile(path, tc.data, 0o644); err != nil {
				t.Fatal(err)
			}
			if _, err := onnx.ReadMetadata(path); err == nil || !strings.Contains(err.Error(), "not an ONNX model") {
				t.Errorf("error %v", err)
			}
		})
	}
}
