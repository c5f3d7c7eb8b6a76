package serve

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
	"github.com/godltrigger/godltrigger/pkg/prep"
	"github.com/godltrigger/godltrigger/pkg/train"
)

// The Transformer variants serve like the GRU: the probabilities of their decisions equal
// those that evaluate.PredictDataset gives for the prepared events.
func TestServeTransformerModels(t *testing.T) {
	f := *testFixture(t)
	for _, kind := range []models.Kind{models.KindInclusiveTransformer, models.KindInclusiveTransformerMasked} {
		t.Run(string(kind), func(t *testing.T) {
			cfg := models.DefaultConfig(kind)
			cfg.AttentionHeads, cfg.AttentionKeyDim = 2, 4
			opts := modeldir.DefaultOptions()
			opts.Epochs, opts.BatchSize, opts.MaxParticles = 1, 16, testMaxParticles
			f.model = filepath.Join(t.TempDir(), string(kind))
			if _, err := train.TrainDatasets(context.Background(), train.DatasetJob{Dir: f.model, Model: cfg, Options: opts,
				TrainDir: filepath.Join(f.prepared, prep.TrainInclusive), TestDir: filepath.Join(f.prepared, prep.TestInclusive),
				Backend: f.backend}); err != nil {
				t.Fatal(err)
			}
			checkProbabilitiesEqualPredictDataset(t, &f)
		})
	}
}
