//go:build xgboost

package serve

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/models"
	"github.com/godltrigger/godltrigger/pkg/prep"
	"github.com/godltrigger/godltrigger/pkg/trees"
)

// A tree ensemble serves like a network: the probabilities of its decisions equal those that
// evaluate.PredictDataset gives for the prepared events.
func TestServeTreeModel(t *testing.T) {
	f := *testFixture(t)
	for _, kind := range []models.Kind{models.KindXGBoost, models.KindRF} {
		t.Run(string(kind), func(t *testing.T) {
			cfg := models.DefaultConfig(kind)
			cfg.Trees.Rounds, cfg.Trees.NumParallelTree = min(cfg.Trees.Rounds, 20), min(cfg.Trees.NumParallelTree, 10)
			f.model = filepath.Join(t.TempDir(), string(kind))
			if _, err := trees.TrainDatasets(context.Background(), trees.DatasetJob{Dir: f.model, Model: cfg, Seed: 1,
				TrainDir: filepath.Join(f.prepared, prep.TrainHLF), TestDir: filepath.Join(f.prepared, prep.TestHLF)}); err != nil {
				t.Fatal(err)
			}
			checkProbabilitiesEqualPredictDataset(t, &f)
		})
	}
}
