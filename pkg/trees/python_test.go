//go:build xgboost

package trees_test

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/godltrigger/godltrigger/bench"
	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
	"github.com/godltrigger/godltrigger/pkg/prep"
	"github.com/godltrigger/godltrigger/pkg/train"
	"github.com/godltrigger/godltrigger/pkg/trees"
	"github.com/godltrigger/godltrigger/pkg/xgboost"
)

// TestPythonXGBoostAgrees trains each ensemble with package trees and with Python's xgboost
// (Debian's python3-xgboost, the same library behind another binding) on the same rows with
// the same parameters and seed: both stop after the same round and give the same test-set
// probabilities to 1e-6.
func TestPythonXGBoostAgrees(t *testing.T) {
	python := bench.DefaultPython
	if out, err := exec.Command(python, "-c", "import xgboost").CombinedOutput(); err != nil {
		t.Skipf("%s cannot import xgboost (scripts/install-xgboost.sh installs python3-xgboost): %v %s", python, err, out)
	}
	p := prepared(t)
	cfg := train.DataConfig{Kind: models.KindXGBoost}
	trainData, err := train.LoadData(t.Context(), filepath.Join(p, prep.TrainHLF), cfg)
	if err != nil {
		t.Fatal(err)
	}
	testData, err := train.LoadData(t.Context(), filepath.Join(p, prep.TestHLF), cfg)
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	trainDir, testDir := filepath.Join(work, "train"), filepath.Join(work, "test")
	if err := bench.ExportData(trainData, trainDir); err != nil {
		t.Fatal(err)
	}
	if err := bench.ExportData(testData, testDir); err != nil {
		t.Fatal(err)
	}
	boosted := models.DefaultConfig(models.KindXGBoost)
	boosted.Trees.Rounds, boosted.Trees.EarlyStopping = 300, 5
	subsampled := models.DefaultConfig(models.KindXGBoost)
	subsampled.Trees.Rounds, subsampled.Trees.EarlyStopping, subsampled.Trees.Subsample, subsampled.Trees.ColsampleByNode = 12, 0, 0.7, 0.5
	for _, tc := range []struct {
		name string
		cfg  models.Config
	}{
		{"xgboost early stopping", boosted},
		{"xgboost subsampled", subsampled},
		{"random forest", models.DefaultConfig(models.KindRF)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			const seed, threads = 7, 2
			dir := filepath.Join(t.TempDir(), "model")
			res, err := trees.Train(context.Background(), trees.Job{Dir: dir, Model: tc.cfg, Seed: seed, Threads: threads,
				Train: trainData, Test: testData})
			if err != nil {
				t.Fatal(err)
			}
			ours, err := modeldir.Predict(dir, nil, modeldir.Data{HLF: testData.HLF})
			if err != nil {
				t.Fatal(err)
			}
			out := t.TempDir()
			var params [][2]string
			for _, p := range trees.Params(*tc.cfg.Trees, seed, threads) {
				params = append(params, [2]string{p.Name, p.Value})
			}
			job, _ := json.Marshal(map[string]any{"train": trainDir, "test": testDir, "out": out, "params": params,
				"rounds": tc.cfg.Trees.Rounds, "early_stopping_rounds": tc.cfg.Trees.EarlyStopping})
			jobFile := filepath.Join(out, "job.json")
			if err := os.WriteFile(jobFile, job, 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(python, filepath.Join("testdata", "xgboost_twin.py"), jobFile)
			if msg, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("%v: %v\n%s", cmd.Args, err, msg)
			}
			var py struct {
				Version string `json:"version"`
				Rounds  int    `json:"rounds"`
				Kept    int    `json:"kept"`
			}
			data, err := os.ReadFile(filepath.Join(out, "result.json"))
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(data, &py); err != nil {
				t.Fatal(err)
			}
			maj, minor, patch := xgboost.Version()
			t.Logf("Go binding on libxgboost %d.%d.%d: %d rounds, %d kept; Python xgboost %s: %d rounds, %d kept",
				maj, minor, patch, res.Rounds, res.Kept, py.Version, py.Rounds, py.Kept)
			if py.Rounds != res.Rounds || py.Kept != res.Kept {
				t.Errorf("Python boosted %d rounds and kept %d, we %d and %d", py.Rounds, py.Kept, res.Rounds, res.Kept)
			}
			raw, err := os.ReadFile(filepath.Join(out, "probs.f32"))
			if err != nil {
				t.Fatal(err)
			}
			if len(raw) != 4*len(ours) {
				t.Fatalf("Python wrote %d probabilities, we have %d", len(raw)/4, len(ours))
			}
			worst := 0.0
			for i, v := range ours {
				d := math.Abs(float64(v) - float64(math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))))
				worst = max(worst, d)
			}
			t.Logf("largest difference of %d probabilities: %.3g", len(ours), worst)
			if worst > 1e-6 {
				t.Errorf("probabilities differ from Python's by up to %.3g, want <= 1e-6", worst)
			}
		})
	}
}
