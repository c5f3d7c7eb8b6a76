//go:build xgboost

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/dataset"
	"github.com/godltrigger/godltrigger/pkg/evaluate"
	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
	"github.com/godltrigger/godltrigger/pkg/prep"
	"github.com/godltrigger/godltrigger/pkg/serve"
	"github.com/godltrigger/godltrigger/pkg/synth"
)

// The tree ensembles go through train, evaluate, predict and serve like the networks; export
// refuses them.
func TestTreesCommands(t *testing.T) {
	data := preparedData(t)
	trainDir, testDir := filepath.Join(data, prep.TrainHLF), filepath.Join(data, prep.TestHLF)
	ctx := context.Background()
	for _, tc := range []struct {
		kind  models.Kind
		flags []string
		check func(*models.TreeConfig) bool
	}{
		{models.KindXGBoost, []string{"--rounds", "30", "--max-depth", "4", "--early-stopping", "3"},
			func(c *models.TreeConfig) bool {
				return c.Rounds == 30 && c.MaxDepth == 4 && c.EarlyStopping == 3 && c.Eta == 0.3
			}},
		{models.KindRF, []string{"--trees", "20", "--subsample", "0.5"},
			func(c *models.TreeConfig) bool {
				return c.NumParallelTree == 20 && c.Subsample == 0.5 && c.MaxDepth == 10 && c.Eta == 1
			}},
	} {
		t.Run(string(tc.kind), func(t *testing.T) {
			work := t.TempDir()
			model, report := filepath.Join(work, "model"), filepath.Join(work, "report")
			runOK(t, ctx, append([]string{"train", "--model", string(tc.kind), "--train", trainDir, "--test", testDir,
				"--out", model, "--seed", "5", "--quiet"}, tc.flags...)...)
			info, err := modeldir.ReadInfo(model)
			if err != nil {
				t.Fatal(err)
			}
			if info.Model.Kind != tc.kind || !tc.check(info.Model.Trees) || info.Options.Seed != 5 || len(info.Scaler) == 0 {
				t.Fatalf("model.json: %+v %+v seed %d", info.Model, info.Model.Trees, info.Options.Seed)
			}

			runOK(t, ctx, "evaluate", "--model", model, "--test", testDir, "--out", report, "--quiet")
			rep, err := evaluate.ReadReport(filepath.Join(report, evaluate.ReportFile))
			if err != nil {
				t.Fatal(err)
			}
			in, _ := dataset.Open(testDir)
			if rep.Events != int(in.NumRows()) || rep.AUC["ttbar"] < 0.8 {
				t.Errorf("metrics.json: %d events, ttbar AUC %.4f", rep.Events, rep.AUC["ttbar"])
			}
			for _, p := range []string{"roc.png", "confusion.png", "loss.png"} {
				if _, err := os.Stat(filepath.Join(report, p)); err != nil {
					t.Error(err)
				}
			}

			pred := filepath.Join(work, "pred.parquet")
			runOK(t, ctx, "predict", "--model", model, "--in", testDir, "--out", pred, "--quiet")
			checkPredictions(t, pred, int(in.NumRows()))
			r, err := dataset.Open(pred)
			if err != nil {
				t.Fatal(err)
			}
			var m models.Config
			if err := json.Unmarshal([]byte(r.Files()[0].Metadata()[modeldir.MetaModel]), &m); err != nil || m.Kind != tc.kind || m.Trees == nil {
				t.Errorf("provenance %s: %+v (%v)", modeldir.MetaModel, m, err)
			}

			watch, decisions := filepath.Join(work, "incoming"), filepath.Join(work, "decisions")
			if _, err := synth.Generate(ctx, watch, synth.Options{Events: 10, Seed: 3, EventsPerFile: 10}); err != nil {
				t.Fatal(err)
			}
			var stdout, stderr bytes.Buffer
			if err := serveMain(ctx, []string{"--model", model, "--watch", watch, "--out", decisions, "--once", "--settle", "0", "--quiet"}, &stdout, &stderr); err != nil {
				t.Fatalf("serve: %v\n%s", err, stderr.String())
			}
			ds, err := serve.ReadDecisions(ctx, serve.OutputPath(decisions, "ttbar/"+filepath.Base(synth.FileName(watch, synth.AllClasses()[1], 0))))
			if err != nil {
				t.Fatal(err)
			}
			triggered := 0
			for _, d := range ds {
				if d.Triggered {
					triggered++
					if s := d.Probabilities[0] + d.Probabilities[1] + d.Probabilities[2]; s < 0.999 || s > 1.001 {
						t.Errorf("entry %d: probabilities %v", d.Entry, d.Probabilities)
					}
				}
			}
			if len(ds) != 10 || triggered == 0 {
				t.Errorf("%d decisions, %d triggered", len(ds), triggered)
			}

			var errOut bytes.Buffer
			if code := run(ctx, []string{"export", "--model", model, "--onnx", filepath.Join(work, "m.onnx")}, &errOut); code != 1 ||
				!strings.Contains(errOut.String(), "only the networks export to ONNX") {
				t.Errorf("export of a tree model: exit %d, %q", code, errOut.String())
			}
		})
	}
}

// An options file (as 'dltrigger tune' writes it) sets the ensemble; flags override it.
func TestTrainTreesOptionsFile(t *testing.T) {
	data := preparedData(t)
	opts := filepath.Join(t.TempDir(), "best.json")
	if err := os.WriteFile(opts, []byte(`{"model": {"kind": "rf", "trees": {"max_depth": 4}}, "options": {"seed": 3}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	model := filepath.Join(t.TempDir(), "m")
	runOK(t, context.Background(), "train", "--options", opts, "--trees", "5", "--train", filepath.Join(data, prep.TrainHLF),
		"--test", filepath.Join(data, prep.TestHLF), "--out", model, "--quiet")
	info, err := modeldir.ReadInfo(model)
	if err != nil {
		t.Fatal(err)
	}
	c := info.Model.Trees
	if info.Model.Kind != models.KindRF || c.MaxDepth != 4 || c.NumParallelTree != 5 || c.Subsample != 0.8 || info.Options.Seed != 3 {
		t.Errorf("model.json: %+v %+v seed %d: want rf, depth 4 from the file, 5 trees from the flag, seed 3", info.Model, c, info.Options.Seed)
	}
	var stderr bytes.Buffer
	if code := run(context.Background(), []string{"train", "--model", "xgboost", "--options", opts, "--train", "x", "--test", "y", "--out", t.TempDir()}, &stderr); code != 1 ||
		!strings.Contains(stderr.String(), "not xgboost") {
		t.Errorf("options for rf with --model xgboost: exit %d, %q", code, stderr.String())
	}
}

// 'tune' searches a tree grid and its best point trains with 'train --options'.
func TestTuneTrees(t *testing.T) {
	data := preparedData(t)
	work := t.TempDir()
	grid := filepath.Join(work, "grid.json")
	if err := os.WriteFile(grid, []byte(`{"model": "xgboost", "max_depth": [2, 4], "eta": [0.3], "rounds": [10], "subsample": [1]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(work, "tune")
	var stdout bytes.Buffer
	if err := tuneMain(context.Background(), []string{"--train", data, "--grid", grid, "--folds", "3", "--fraction", "1",
		"--workers", "2", "--out", dir, "--quiet"}, &stdout, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout.String(), "2 points scored now") || !strings.Contains(stdout.String(), "subsample") {
		t.Errorf("tune output:\n%s", stdout.String())
	}
	model := filepath.Join(work, "model")
	runOK(t, context.Background(), "train", "--options", filepath.Join(dir, "best_options.json"),
		"--train", filepath.Join(data, prep.TrainHLF), "--test", filepath.Join(data, prep.TestHLF), "--out", model, "--quiet")
	info, err := modeldir.ReadInfo(model)
	if err != nil {
		t.Fatal(err)
	}
	if info.Model.Kind != models.KindXGBoost || info.Model.Trees.Rounds != 10 || info.Model.Trees.EarlyStopping != 0 {
		t.Errorf("trained from the best options: %+v", info.Model.Trees)
	}
}
