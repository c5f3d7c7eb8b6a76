package train_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
	"github.com/godltrigger/godltrigger/pkg/train"
)

// BenchmarkTrain times whole single-process runs (two epochs, validation and checkpoints
// included) of the HLF network and of a small particle GRU on synthetic rows: the cost of the
// training loop around the step.
func BenchmarkTrain(b *testing.B) {
	for _, tc := range []struct {
		name   string
		kind   models.Kind
		seqLen int
	}{{"hlf", models.KindHLF, 1}, {"particle", models.KindParticle, 10}} {
		b.Run(tc.name, func(b *testing.B) {
			trainRows, err := train.NewMemorySource(train.SyntheticData(4096, tc.seqLen, 1))
			if err != nil {
				b.Fatal(err)
			}
			valRows, err := train.NewMemorySource(train.SyntheticData(512, tc.seqLen, 2))
			if err != nil {
				b.Fatal(err)
			}
			cfg := models.DefaultConfig(tc.kind)
			cfg.GRUUnits = 8
			opts := modeldir.DefaultOptions()
			opts.Epochs = 2
			for i := 0; b.Loop(); i++ {
				dir := filepath.Join(b.TempDir(), "m")
				if _, err := train.Train(context.Background(), train.Job{Dir: dir, Model: cfg, Options: opts, Train: trainRows, Validation: valRows}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
