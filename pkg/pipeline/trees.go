package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
	"github.com/godltrigger/godltrigger/pkg/trees"
	"github.com/godltrigger/godltrigger/pkg/xgboost"
)

// TreesNote states the original's results of the tree ensembles, beside the report's table.
const TreesNote = "The original's Spark ML notebooks trained the tree ensembles on the full dataset's high-level features: " +
	"accuracy 0.9078 for Spark MLlib's random forest (100 trees, depth 10) and 0.9205 for SparkXGBClassifier " +
	"(its AUCs came from hard class predictions; these come from the probabilities)."

// treePlans are the tree ensembles the demo trains when XGBoost is compiled in (-tags xgboost).
func treePlans() []ModelPlan {
	if !xgboost.Compiled {
		return nil
	}
	return []ModelPlan{
		{Kind: models.KindXGBoost, Title: "XGBoost (boosted trees on the HLF)"},
		{Kind: models.KindRF, Title: "Random forest (XGBoost, on the HLF)"},
	}
}

// trainTreeModel trains a tree plan with its default configuration and the demo's seed, or
// reuses the model a run left complete.
func trainTreeModel(ctx context.Context, p ModelPlan, o DemoOptions, prepared, dir string) (string, bool, error) {
	setup := treeSetup(p.Kind)
	if _, err := os.Stat(filepath.Join(dir, modeldir.ModelFile)); err == nil {
		return setup + " (already trained)", true, nil
	}
	if err := os.RemoveAll(dir); err != nil { // an interrupted run leaves no model.json
		return "", false, fmt.Errorf("pipeline: %w", err)
	}
	data := dataFor(p.Kind)
	res, err := trees.TrainDatasets(ctx, trees.DatasetJob{Dir: dir, Model: models.DefaultConfig(p.Kind), Seed: o.Seed,
		TrainDir: filepath.Join(prepared, data.train), TestDir: filepath.Join(prepared, data.test), Progress: o.Progress})
	if err != nil {
		return "", false, err
	}
	b := res.Best()
	return fmt.Sprintf("%s: %d rounds, kept %d; val_loss %.4f, val_accuracy %.4f", setup, res.Rounds, res.Kept,
		res.History.ValLoss[b], res.History.ValAccuracy[b]), false, nil
}

// treeSetup describes a tree plan's configuration for logs and the report.
func treeSetup(kind models.Kind) string {
	c := models.DefaultConfig(kind).Trees
	data, _ := json.Marshal(c)
	return fmt.Sprintf("XGBoost %s", data)
}
