package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/godltrigger/godltrigger/pkg/dataset"
	"github.com/godltrigger/godltrigger/pkg/evaluate"
	"github.com/godltrigger/godltrigger/pkg/ingest"
	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
	"github.com/godltrigger/godltrigger/pkg/onnx"
	"github.com/godltrigger/godltrigger/pkg/prep"
	"github.com/godltrigger/godltrigger/pkg/prep/preptest"
	"github.com/godltrigger/godltrigger/pkg/synth"
)

var prepared struct {
	once sync.Once
	dir  string
	err  error
}

// preparedData generates, ingests and prepares 300 events per class once per test binary.
func preparedData(t *testing.T) string {
	t.Helper()
	if os.Getenv("GOMLX_BACKEND") == "" {
		os.Setenv("GOMLX_BACKEND", "go")
	}
	prepared.once.Do(func() {
		dir, err := os.MkdirTemp("", "dltrigger-train-test")
		if err != nil {
			prepared.err = err
			return
		}
		prepared.dir = dir
		_, prepared.err = preptest.Prepare(context.Background(), dir, 300, 1)
	})
	if prepared.err != nil {
		t.Fatalf("preparing the test data: %v", prepared.err)
	}
	return filepath.Join(prepared.dir, "prepared")
}

func TestMain(m *testing.M) {
	code := m.Run()
	if prepared.dir != "" {
		os.RemoveAll(prepared.dir)
	}
	os.Exit(code)
}

// runOK runs the command line and fails the test unless it exits 0.
func runOK(t *testing.T, ctx context.Context, args ...string) {
	t.Helper()
	var stderr bytes.Buffer
	if code := run(ctx, args, &stderr); code != 0 {
		t.Fatalf("dltrigger %s: exit code %d: %s", strings.Join(args, " "), code, stderr.String())
	}
}

// datasetsOf are the training and test datasets of each classifier.
var datasetsOf = map[string][2]string{
	"hlf":       {prep.TrainHLF, prep.TestHLF},
	"particle":  {prep.TrainFull, prep.TestInclusive}, // the full and the inclusive layouts
	"inclusive": {prep.TrainInclusive, prep.TestInclusive},
	// The LSTM variants read what their GRU classifiers read.
	"particle-lstm":  {prep.TrainFull, prep.TestInclusive},
	"inclusive-lstm": {prep.TrainInclusive, prep.TestInclusive},
}

func TestTrainEvaluatePredict(t *testing.T) {
	data := preparedData(t)
	for _, kind := range []string{"hlf", "particle", "inclusive", "inclusive-lstm"} {
		t.Run(kind, func(t *testing.T) {
			dirs := datasetsOf[kind]
			trainDir, testDir := filepath.Join(data, dirs[0]), filepath.Join(data, dirs[1])
			work := t.TempDir()
			model, report := filepath.Join(work, "model"), filepath.Join(work, "report")
			epochs := "2"
			if kind != "hlf" {
				epochs = "1"
			}
			runOK(t, context.Background(), "train", "--model", kind, "--train", trainDir, "--test", testDir, "--out", model,
				"--epochs", epochs, "--max-particles", "8", "--batch-size", "64", "--quiet")
			info, err := modeldir.ReadInfo(model)
			if err != nil {
				t.Fatal(err)
			}
			if string(info.Model.Kind) != kind || len(info.Scaler) == 0 {
				t.Fatalf("model.json: kind %s, scaler %q", info.Model.Kind, info.Scaler)
			}

			runOK(t, context.Background(), "evaluate", "--model", model, "--test", testDir, "--out", report, "--reference", "--quiet")
			raw, err := os.ReadFile(filepath.Join(report, "metrics.json"))
			if err != nil {
				t.Fatal(err)
			}
			var m struct {
				Accuracy  *float64
				AUC       map[string]float64
				Confusion [][]float64
				Trigger   map[string]json.RawMessage
				Events    int `json:"n_events"`
			}
			if err := json.Unmarshal(raw, &m); err != nil {
				t.Fatal(err)
			}
			in, err := dataset.Open(testDir)
			if err != nil {
				t.Fatal(err)
			}
			rows := int(in.NumRows())
			if m.Accuracy == nil || len(m.AUC) != 3 || len(m.Confusion) != 3 || m.Trigger["ttbar"] == nil || m.Trigger["wjets"] == nil || m.Events != rows {
				t.Fatalf("metrics.json incomplete:\n%s", raw)
			}
			for _, c := range []string{"qcd", "ttbar", "wjets"} {
				if a, ok := m.AUC[c]; !ok || a < 0 || a > 1 {
					t.Errorf("auc[%s] = %v, %v", c, a, ok)
				}
			}
			for _, p := range []string{"loss", "accuracy", "roc", "confusion"} {
				for _, ext := range []string{".png", ".svg"} {
					if st, err := os.Stat(filepath.Join(report, p+ext)); err != nil || st.Size() == 0 {
						t.Errorf("plot %s%s: %v", p, ext, err)
					}
				}
			}
			svg, _ := os.ReadFile(filepath.Join(report, "roc.svg"))
			if !bytes.Contains(svg, []byte("ref.")) {
				t.Error("roc.svg: no reference AUC in the legend")
			}

			out := filepath.Join(work, "pred.parquet")
			runOK(t, context.Background(), "predict", "--model", model, "--in", testDir, "--out", out, "--quiet")
			checkPredictions(t, out, rows)
			checkProvenance(t, out, model, testDir)
			if kind == "inclusive-lstm" {
				checkExportAndServe(t, model, kind)
			}
		})
	}
}

// checkExportAndServe exports model (of kind) to ONNX and serves 10 generated events per class
// with it: a decision for each event.
func checkExportAndServe(t *testing.T, model, kind string) {
	t.Helper()
	work := t.TempDir()
	file := filepath.Join(work, "model.onnx")
	runOK(t, context.Background(), "export", "--model", model, "--onnx", file)
	if meta, err := onnx.ReadMetadata(file); err != nil || meta[onnx.MetaKind] != kind {
		t.Fatalf("%s: kind %q (%v), want %s", file, meta[onnx.MetaKind], err, kind)
	}
	watch, out := filepath.Join(work, "incoming"), filepath.Join(work, "decisions")
	if _, err := synth.Generate(context.Background(), watch, synth.Options{Events: 10, Seed: 3, EventsPerFile: 10}); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	args := []string{"--model", model, "--watch", watch, "--out", out, "--once", "--settle", "0", "--quiet"}
	if err := serveMain(context.Background(), args, &stdout, &stderr); err != nil {
		t.Fatalf("serve: %v\n%s", err, stderr.String())
	}
	if !strings.Contains(stdout.String(), "serve: 3 files decided (0 skipped as done, 0 bad), 30 events") {
		t.Errorf("serve with the %s model: %q", kind, stdout.String())
	}
}

// checkProvenance checks that a prediction file names its model and input and carries the
// feature specification of the ingested rows through preparation.
func checkProvenance(t *testing.T, file, model, input string) {
	t.Helper()
	r, err := dataset.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	meta := r.Files()[0].Metadata()
	abs := func(p string) string { a, _ := filepath.Abs(p); return a }
	for k, want := range map[string]string{
		dataset.MetaProducer: "dltrigger predict", modeldir.MetaModelDir: abs(model),
		dataset.MetaInput: abs(input), dataset.MetaFeatureSpec: ingest.FeatureSpec,
	} {
		if meta[k] != want {
			t.Errorf("%s: metadata %s = %q, want %q", file, k, meta[k], want)
		}
	}
	var opts modeldir.Options
	if err := json.Unmarshal([]byte(meta[modeldir.MetaTraining]), &opts); err != nil || opts.BatchSize <= 0 {
		t.Errorf("%s: metadata %s = %q: %v", file, modeldir.MetaTraining, meta[modeldir.MetaTraining], err)
	}
}

// checkPredictions checks that file holds rows rows of probabilities summing to 1 and labels.
func checkPredictions(t *testing.T, file string, rows int) [][]float64 {
	t.Helper()
	r, err := dataset.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	if r.NumRows() != int64(rows) {
		t.Fatalf("%s: %d rows, want %d", file, r.NumRows(), rows)
	}
	var probs [][]float64
	err = r.Scan(context.Background(), evaluate.PredictionSchema(true), 0, func(b *dataset.Batch) error {
		for i := 0; i < b.Rows; i++ {
			p := slices.Clone(b.RowFloat64s("probabilities", i))
			if s := p[0] + p[1] + p[2]; s < 0.999 || s > 1.001 {
				t.Fatalf("row %d: probabilities %v", len(probs), p)
			}
			if l := b.Int64s("label")[i]; l < 0 || l > 2 {
				t.Fatalf("row %d: label %d", len(probs), l)
			}
			probs = append(probs, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return probs
}

// TestTrainKillAndResume interrupts 'train' after its first epoch (as a kill would: the
// context is cancelled mid-epoch), resumes it with --resume, and compares the history and
// the predictions with those of an uninterrupted run.
func TestTrainKillAndResume(t *testing.T) {
	data := preparedData(t)
	trainDir, testDir := filepath.Join(data, prep.TrainHLF), filepath.Join(data, prep.TestHLF)
	work := t.TempDir()
	args := func(dir string) []string {
		return []string{"train", "--model", "hlf", "--train", trainDir, "--test", testDir, "--out", dir,
			"--epochs", "4", "--batch-size", "8", "--memory", "-1", "--shuffle-buffer", "50", "--quiet"}
	}
	whole, killed := filepath.Join(work, "whole"), filepath.Join(work, "killed")
	runOK(t, context.Background(), args(whole)...)

	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for ctx.Err() == nil {
			if h, err := modeldir.ReadHistory(killed); err == nil && h.Epochs() >= 1 {
				cancel()
				return
			}
			time.Sleep(time.Millisecond)
		}
	}()
	var stderr bytes.Buffer
	code := run(ctx, args(killed), &stderr)
	cancel()
	h, err := modeldir.ReadHistory(killed)
	if err != nil {
		t.Fatal(err)
	}
	if code == 0 || h.Epochs() >= 4 {
		t.Skipf("the run ended (%d epochs) before it could be interrupted", h.Epochs())
	}
	runOK(t, context.Background(), "train", "--resume", "--train", trainDir, "--test", testDir, "--out", killed, "--quiet")

	hw, _ := modeldir.ReadHistory(whole)
	hk, _ := modeldir.ReadHistory(killed)
	if !slices.Equal(hw.Loss, hk.Loss) || !slices.Equal(hw.ValLoss, hk.ValLoss) || !slices.Equal(hw.ValAccuracy, hk.ValAccuracy) {
		t.Fatalf("interrupted after %d epochs and resumed: loss %v val_loss %v; uninterrupted: %v %v",
			h.Epochs(), hk.Loss, hk.ValLoss, hw.Loss, hw.ValLoss)
	}
	in, _ := dataset.Open(testDir)
	var preds [2][][]float64
	for i, dir := range []string{whole, killed} {
		out := filepath.Join(work, filepath.Base(dir)+".parquet")
		runOK(t, context.Background(), "predict", "--model", dir, "--in", testDir, "--out", out, "--quiet")
		preds[i] = checkPredictions(t, out, int(in.NumRows()))
	}
	for i := range preds[0] {
		if !slices.Equal(preds[0][i], preds[1][i]) {
			t.Fatalf("row %d: uninterrupted %v, resumed %v", i, preds[0][i], preds[1][i])
		}
	}
}

func TestTrainCommandErrors(t *testing.T) {
	data := preparedData(t)
	hlfTrain, hlfTest := filepath.Join(data, prep.TrainHLF), filepath.Join(data, prep.TestHLF)
	opts := filepath.Join(t.TempDir(), "best.json")
	if err := os.WriteFile(opts, []byte(`{"model": {"kind": "hlf", "hlf_hidden": [7]}, "options": {"epochs": 1, "batch_size": 50}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	tooMany := filepath.Join(t.TempDir(), "particles.json")
	if err := os.WriteFile(tooMany, []byte(`{"model": {"kind": "particle"}, "options": {"epochs": 1, "batch_size": 50, "max_particles": 802}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"help", []string{"train", "-h"}, 0, ""},
		{"no datasets", []string{"train", "--model", "hlf"}, 2, "--train, --test and --out are required"},
		{"no model", []string{"train", "--train", hlfTrain, "--test", hlfTest, "--out", t.TempDir()}, 2, "--model (or --options) is required"},
		{"too many particles", []string{"train", "--model", "particle", "--max-particles", "2000", "--train", hlfTrain, "--test", hlfTest, "--out", t.TempDir()}, 2, "want 0 (all) to 801"},
		{"options with too many particles", []string{"train", "--options", tooMany, "--train", hlfTrain, "--test", hlfTest, "--out", t.TempDir()}, 1, "max particles must be 0 (all) to 801"},
		{"particle on HLF data", []string{"train", "--model", "particle", "--train", hlfTrain, "--test", hlfTest, "--out", t.TempDir()}, 1, "no column GRU_input"},
		{"resume without a run", []string{"train", "--resume", "--train", hlfTrain, "--test", hlfTest, "--out", t.TempDir()}, 1, "nothing to resume"},
		{"unknown truncation", []string{"train", "--model", "particle", "--truncate", "middle", "--train", hlfTrain, "--test", hlfTest, "--out", t.TempDir()}, 2, `--truncate "middle": want last or first`},
		{"plateau factor above 1", []string{"train", "--model", "hlf", "--lr-plateau-patience", "1", "--lr-plateau-factor", "1.5", "--train", hlfTrain, "--test", hlfTest, "--out", t.TempDir()}, 1, "plateau factor must be in (0, 1)"},
		{"negative patience", []string{"train", "--model", "hlf", "--early-stopping-patience", "-1", "--train", hlfTrain, "--test", hlfTest, "--out", t.TempDir()}, 1, "early stopping patience must be >= 0"},
		{"options for another kind", []string{"train", "--model", "particle", "--options", opts, "--train", hlfTrain, "--test", hlfTest, "--out", t.TempDir()}, 1, "not particle"},
		{"evaluate without a model", []string{"evaluate", "--model", t.TempDir(), "--test", hlfTest, "--out", t.TempDir()}, 1, "model.json"},
		{"predict usage", []string{"predict", "--model", "x"}, 2, "--model, --in and --out are required; missing --in, --out"},
		{"evaluate usage", []string{"evaluate", "--model", "x", "--in", "y"}, 2, "--model, --test and --out are required; missing --out"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stderr bytes.Buffer
			var code int
			// Usage errors go to the flag set's output, os.Stderr; run prints the others on stderr.
			usage := stderrOf(t, func() { code = run(context.Background(), tc.args, &stderr) })
			if all := usage + stderr.String(); code != tc.code || !strings.Contains(all, tc.want) {
				t.Fatalf("exit code %d (want %d), stderr:\n%s\nwant it to mention %q", code, tc.code, all, tc.want)
			}
		})
	}
	// The options file sets the architecture and the options; explicit flags win.
	model := filepath.Join(t.TempDir(), "m")
	runOK(t, context.Background(), "train", "--options", opts, "--batch-size", "32", "--train", hlfTrain, "--test", hlfTest, "--out", model, "--quiet")
	info, err := modeldir.ReadInfo(model)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(info.Model.HLFHidden, []int{7}) || info.Options.Epochs != 1 || info.Options.BatchSize != 32 {
		t.Fatalf("model.json: hidden %v epochs %d batch %d, want [7] 1 32", info.Model.HLFHidden, info.Options.Epochs, info.Options.BatchSize)
	}
}

// TestTrainRecordsTruncationAndControls trains the particle classifier on the nearest
// particles with every training control set by flags: model.json records them, history.json
// their state, and the best checkpoint is kept.
func TestTrainRecordsTruncationAndControls(t *testing.T) {
	data := preparedData(t)
	trainDir, testDir := filepath.Join(data, prep.TrainInclusive), filepath.Join(data, prep.TestInclusive)
	dir := filepath.Join(t.TempDir(), "m")
	runOK(t, context.Background(), "train", "--model", "particle", "--max-particles", "4", "--epochs", "3", "--lr", "0.02",
		"--early-stopping-patience", "5", "--restore-best", "--lr-plateau-patience", "1", "--lr-plateau-factor", "0.5",
		"--min-lr", "0.001", "--train", trainDir, "--test", testDir, "--out", dir, "--quiet")
	info, err := modeldir.ReadInfo(dir)
	if err != nil {
		t.Fatal(err)
	}
	o := info.Options
	if o.MaxParticles != 4 || o.Truncate != models.TruncateLast || o.EarlyStoppingPatience != 5 || !o.RestoreBest ||
		o.LRPlateauPatience != 1 || o.LRPlateauFactor != 0.5 || o.MinLR != 0.001 {
		t.Errorf("model.json training options %+v", o)
	}
	h, err := modeldir.ReadHistory(dir)
	if err != nil {
		t.Fatal(err)
	}
	if h.Epochs() != 3 || len(h.LearningRate) != 3 || h.LearningRate[0] != 0.02 || h.BestEpoch < 1 || h.NextLearningRate == 0 {
		t.Errorf("history.json: %d epochs, learning rates %v (next %v), best epoch %d", h.Epochs(), h.LearningRate, h.NextLearningRate, h.BestEpoch)
	}
	if _, err := os.Stat(filepath.Join(dir, modeldir.CheckpointDir, modeldir.BestDir, h.BestCheckpoint+".json")); err != nil {
		t.Errorf("best checkpoint: %v", err)
	}
	var raw struct {
		Training map[string]any `json:"training"`
	}
	b, _ := os.ReadFile(filepath.Join(dir, modeldir.ModelFile))
	if err := json.Unmarshal(b, &raw); err != nil || raw.Training["truncate"] != "last" {
		t.Errorf("model.json does not name the truncation: %s", b)
	}
}
