//go:build xgboost

package trees_test

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/dataset"
	"github.com/godltrigger/godltrigger/pkg/evaluate"
	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
	"github.com/godltrigger/godltrigger/pkg/prep"
	"github.com/godltrigger/godltrigger/pkg/train"
	"github.com/godltrigger/godltrigger/pkg/trees"
	"github.com/godltrigger/godltrigger/pkg/xgboost"
)

// trainTree trains kind on the prepared HLF datasets with edit applied to its defaults.
func trainTree(t *testing.T, kind models.Kind, edit func(*models.TreeConfig)) (string, *trees.Result) {
	t.Helper()
	p := prepared(t)
	cfg := models.DefaultConfig(kind)
	if edit != nil {
		edit(cfg.Trees)
	}
	dir := filepath.Join(t.TempDir(), string(kind))
	res, err := trees.TrainDatasets(context.Background(), trees.DatasetJob{Dir: dir, Model: cfg, Seed: 42,
		TrainDir: filepath.Join(p, prep.TrainHLF), TestDir: filepath.Join(p, prep.TestHLF)})
	if err != nil {
		t.Fatal(err)
	}
	return dir, res
}

func testData(t *testing.T) modeldir.Data {
	t.Helper()
	d, err := train.LoadData(t.Context(), filepath.Join(prepared(t), prep.TestHLF), train.DataConfig{Kind: models.KindXGBoost})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func float64s(p []float32) []float64 {
	out := make([]float64, len(p))
	for i, v := range p {
		out[i] = float64(v)
	}
	return out
}

// mlogloss is XGBoost's multi-class log loss of probabilities [N, 3].
func mlogloss(probs []float32, labels []int) float64 {
	s := 0.0
	for i, l := range labels {
		s -= math.Log(math.Max(float64(probs[3*i+l]), 1e-16))
	}
	return s / float64(len(labels))
}

// checkLoadedModel checks that the saved model predicts the test set as the booster did when
// it was evaluated after round best: the same accuracy and mlogloss as history.json records.
func checkLoadedModel(t *testing.T, dir string, h *modeldir.History, best int) []float32 {
	t.Helper()
	d := testData(t)
	probs, err := modeldir.Predict(dir, nil, modeldir.Data{HLF: d.HLF})
	if err != nil {
		t.Fatal(err)
	}
	acc, err := evaluate.Accuracy(float64s(probs), models.NumClasses, d.Labels)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(acc-h.ValAccuracy[best]) > 1e-6 {
		t.Errorf("the saved model's test accuracy is %.6f, the evaluation of round %d said %.6f", acc, best, h.ValAccuracy[best])
	}
	if ll := mlogloss(probs, d.Labels); math.Abs(ll-h.ValLoss[best]) > 1e-5*h.ValLoss[best] {
		t.Errorf("the saved model's test mlogloss is %.7f, the evaluation of round %d said %.7f", ll, best, h.ValLoss[best])
	}
	return probs
}

func TestTrainXGBoostStopsEarly(t *testing.T) {
	dir, res := trainTree(t, models.KindXGBoost, func(c *models.TreeConfig) { c.Rounds, c.EarlyStopping = 300, 5 })
	h := res.History
	if res.Rounds >= 300 || res.Kept != res.Rounds-5 || h.Epochs() != res.Rounds {
		t.Fatalf("boosted %d rounds, kept %d, history of %d: want early stopping before 300, 5 rounds after the best",
			res.Rounds, res.Kept, h.Epochs())
	}
	best := res.Best()
	for i, v := range h.ValLoss {
		if (i < best && v < h.ValLoss[best]) || (i > best && v < h.ValLoss[best]) {
			t.Errorf("round %d has test mlogloss %v below the best round %d's %v", i, v, best, h.ValLoss[best])
		}
	}
	for _, f := range []string{modeldir.TreeModelFile, modeldir.ModelFile, modeldir.HistoryFile, modeldir.DataFile} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("model directory: %v", err)
		}
	}
	info, err := modeldir.ReadInfo(dir)
	if err != nil {
		t.Fatal(err)
	}
	if info.Model.Kind != models.KindXGBoost || info.Model.Trees.Rounds != 300 || info.Options.Seed != 42 || len(info.Scaler) == 0 {
		t.Errorf("model.json: %+v %+v seed %d, %d bytes of scaler", info.Model, info.Model.Trees, info.Options.Seed, len(info.Scaler))
	}
	saved, err := modeldir.ReadHistory(dir)
	if err != nil {
		t.Fatal(err)
	}
	if saved.Epochs() != res.Rounds || saved.ValLoss[best] != h.ValLoss[best] {
		t.Errorf("history.json: %d rounds", saved.Epochs())
	}
	b, err := xgboost.LoadBooster(filepath.Join(dir, modeldir.TreeModelFile))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if n, err := b.Rounds(); err != nil || n != res.Kept {
		t.Errorf("%s holds %d rounds (%v), want the %d kept", modeldir.TreeModelFile, n, err, res.Kept)
	}
	checkLoadedModel(t, dir, h, best)
}

func TestTrainRandomForest(t *testing.T) {
	dir, res := trainTree(t, models.KindRF, nil)
	if res.Rounds != 1 || res.Kept != 1 || res.History.Epochs() != 1 {
		t.Fatalf("boosted %d rounds, kept %d: a forest is one round", res.Rounds, res.Kept)
	}
	data, err := os.ReadFile(filepath.Join(dir, modeldir.TreeModelFile))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Learner struct {
			GradientBooster struct {
				Model struct {
					Trees []struct {
						TreeParam struct {
							NumNodes string `json:"num_nodes"`
						} `json:"tree_param"`
					} `json:"trees"`
				} `json:"model"`
			} `json:"gradient_booster"`
		} `json:"learner"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if n := len(doc.Learner.GradientBooster.Model.Trees); n != 100*models.NumClasses {
		t.Errorf("%d trees, want 100 per class", n)
	}
	checkLoadedModel(t, dir, res.History, 0)
	if acc := res.History.ValAccuracy[0]; acc < 0.6 {
		t.Errorf("random forest test accuracy %.3f: not learning", acc)
	}
}

// evaluate, predict and the ROC of a tree model work as for the networks, from probabilities.
func TestEvaluateAndPredictTreeModel(t *testing.T) {
	dir, res := trainTree(t, models.KindXGBoost, nil)
	ctx := context.Background()
	test := filepath.Join(prepared(t), prep.TestHLF)
	out := t.TempDir()
	rep, _, err := evaluate.EvaluateModel(ctx, dir, test, out, evaluate.EvaluateOptions{Reference: true})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Model != "XGBoost classifier" || math.Abs(rep.Accuracy-res.History.ValAccuracy[res.Best()]) > 1e-6 {
		t.Errorf("report of %q: accuracy %.6f, training's evaluation %.6f", rep.Model, rep.Accuracy, res.History.ValAccuracy[res.Best()])
	}
	for _, f := range []string{evaluate.ReportFile, "roc.png", "confusion.png", "loss.png", "accuracy.png"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("evaluation output: %v", err)
		}
	}
	if svg, err := os.ReadFile(filepath.Join(out, "roc.svg")); err != nil || strings.Contains(string(svg), "ref.") {
		t.Errorf("roc.svg (%v): a reference AUC in the legend, but the paper has none for trees", err)
	}
	d := testData(t)
	probs, err := modeldir.Predict(dir, nil, modeldir.Data{HLF: d.HLF})
	if err != nil {
		t.Fatal(err)
	}
	roc, err := evaluate.OneVsRest(float64s(probs), models.NumClasses, d.Labels, 1)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(rep.AUC["ttbar"]-roc.AUC()) > 1e-12 {
		t.Errorf("ttbar AUC %.6f in metrics.json, %.6f from the probabilities", rep.AUC["ttbar"], roc.AUC())
	}
	// AUCs from hard class predictions (what the original's GPU notebook reported) are lower.
	hard := make([]float64, len(probs))
	for i := range d.Labels {
		best := 0
		for c := 1; c < models.NumClasses; c++ {
			if probs[3*i+c] > probs[3*i+best] {
				best = c
			}
		}
		hard[3*i+best] = 1
	}
	hardROC, err := evaluate.OneVsRest(hard, models.NumClasses, d.Labels, 1)
	if err != nil {
		t.Fatal(err)
	}
	if hardROC.AUC() >= rep.AUC["ttbar"] {
		t.Errorf("AUC from hard predictions %.4f is not below the one from probabilities %.4f", hardROC.AUC(), rep.AUC["ttbar"])
	}

	pred := filepath.Join(t.TempDir(), "pred.parquet")
	n, err := evaluate.PredictDataset(ctx, dir, test, pred, evaluate.PredictOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if int(n) != len(d.Labels) {
		t.Fatalf("%d predictions for %d rows", n, len(d.Labels))
	}
	r, err := dataset.Open(pred)
	if err != nil {
		t.Fatal(err)
	}
	if got := r.MetadataValues(modeldir.MetaModel); len(got) != 1 || !strings.Contains(got[0], `"kind":"xgboost"`) {
		t.Errorf("provenance %s: %v", modeldir.MetaModel, got)
	}
	row := 0
	err = r.Scan(ctx, evaluate.PredictionSchema(true), 0, func(b *dataset.Batch) error {
		for i := 0; i < b.Rows; i++ {
			p := b.RowFloat64s("probabilities", i)
			for c := range p {
				if p[c] != float64(probs[3*row+c]) {
					t.Fatalf("row %d: %v in %s, Predict gives %v", row, p, pred, probs[3*row:3*row+3])
				}
			}
			row++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestTrainRefuses(t *testing.T) {
	dir, _ := trainTree(t, models.KindRF, func(c *models.TreeConfig) { c.NumParallelTree = 3 })
	p := prepared(t)
	job := trees.DatasetJob{Dir: dir, Model: models.DefaultConfig(models.KindRF), Seed: 1,
		TrainDir: filepath.Join(p, prep.TrainHLF), TestDir: filepath.Join(p, prep.TestHLF)}
	ctx := context.Background()
	if _, err := trees.TrainDatasets(ctx, job); err == nil || !strings.Contains(err.Error(), "already holds a model") {
		t.Errorf("a directory holding a model: %v", err)
	}
	job.Dir = filepath.Join(t.TempDir(), "hlf")
	job.Model = models.DefaultConfig(models.KindHLF)
	if _, err := trees.TrainDatasets(ctx, job); err == nil || !strings.Contains(err.Error(), "not a tree ensemble") {
		t.Errorf("the HLF network: %v", err)
	}
	job.Model = models.DefaultConfig(models.KindXGBoost)
	job.Model.Trees.Eta = 0
	if _, err := trees.TrainDatasets(ctx, job); err == nil || !strings.Contains(err.Error(), "eta") {
		t.Errorf("eta 0: %v", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	job.Model = models.DefaultConfig(models.KindXGBoost)
	if _, err := trees.TrainDatasets(cancelled, job); err == nil {
		t.Error("a cancelled training: no error")
	}
	if _, err := os.Stat(filepath.Join(job.Dir, modeldir.ModelFile)); err == nil {
		t.Error("a cancelled training wrote model.json")
	}
}
