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

// A model trained on data prepared with --mask-padding serves raw events prepared the same
// way: its probabilities equal those train.PredictDataset gives on the prepared datasets.
func TestProbabilitiesWithMaskedPadding(t *testing.T) {
	f := *testFixture(t)
	f.prepared = filepath.Join(t.TempDir(), "prepared")
	f.model = filepath.Join(t.TempDir(), "model")
	ctx := context.Background()
	if _, err := prep.Run(ctx, prep.Options{In: f.ingested, Out: f.prepared, Seed: 42, MaskPadding: true, Logf: t.Logf}); err != nil {
		t.Fatal(err)
	}
	cfg := models.Config{Kind: models.KindInclusive, GRUUnits: 4, InclusiveHidden: 4, Dropout: 0.2}
	opts := modeldir.DefaultOptions()
	opts.Epochs, opts.BatchSize, opts.MaxParticles = 1, 16, testMaxParticles
	if _, err := train.TrainDatasets(ctx, train.DatasetJob{Dir: f.model, Model: cfg, Options: opts,
		TrainDir: filepath.Join(f.prepared, prep.TrainInclusive), TestDir: filepath.Join(f.prepared, prep.TestInclusive),
		Backend: f.backend}); err != nil {
		t.Fatal(err)
	}
	if info, err := modeldir.ReadInfo(f.model); err != nil || !info.MaskPadding {
		t.Fatalf("model.json: %+v, %v; want mask_padding", info, err)
	}
	checkProbabilitiesEqualPredictDataset(t, &f)
}
