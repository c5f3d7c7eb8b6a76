// Package servetest makes what tests and benchmarks of serving need: a model directory whose
// speed and plumbing matter, not its accuracy.
package servetest

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
	"github.com/godltrigger/godltrigger/pkg/prep"
	"github.com/godltrigger/godltrigger/pkg/train"
)

// Model trains cfg for one epoch (one batch) on rows random rows of seqLen particles, with a
// min-max scaler fitted on random high-level features in [0, 200), and returns the model
// directory (under tb.TempDir()). The rows depend only on seed.
func Model(tb testing.TB, cfg models.Config, rows, seqLen int, seed uint64) string {
	tb.Helper()
	rng := rand.New(rand.NewPCG(seed, seed+1))
	d := modeldir.Data{}
	scaler := prep.NewMinMax(models.NumHLF)
	h := make([]float64, models.NumHLF)
	for i := range rows {
		for k := range h {
			h[k] = 200 * rng.Float64()
			d.HLF = append(d.HLF, float32(rng.Float64()))
		}
		scaler.Observe(h)
		if cfg.UsesSequence() {
			for range seqLen * models.NumFeatures {
				d.Seq = append(d.Seq, float32(rng.NormFloat64()))
			}
		}
		d.Labels = append(d.Labels, i%models.NumClasses)
	}
	if cfg.UsesSequence() {
		d.SeqLen = seqLen
	}
	src, err := train.NewMemorySource(d)
	if err != nil {
		tb.Fatal(err)
	}
	raw, err := json.Marshal(scaler)
	if err != nil {
		tb.Fatal(err)
	}
	dir := filepath.Join(tb.TempDir(), "model")
	opts := modeldir.DefaultOptions()
	opts.Epochs, opts.BatchSize, opts.MaxParticles = 1, rows, seqLen
	job := train.Job{Dir: dir, Model: cfg, Options: opts, Train: src, Validation: src, Scaler: raw}
	if _, err := train.Train(context.Background(), job); err != nil {
		tb.Fatal(err)
	}
	return dir
}
