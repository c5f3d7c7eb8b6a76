package train

import (
	"testing"
	"time"

	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
)

// stepRate compiles a training step, runs one
// untimed step, then n timed ones, and returns the rows per second.
func stepRate(b *testing.B, cfg models.Config, d modeldir.Data, n int) (rate float64, first time.Duration) {
	b.Helper()
	opts := modeldir.DefaultOptions()
	opts.Seed = 1
	st, err := NewStepTimer(testBackend, cfg, opts, d)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	t0 := time.Now()
	if err := st.Step(); err != nil { // compile
		b.Fatal(err)
	}
	first = time.Since(t0)
	start := time.Now()
	for i := 0; i < n; i++ {
		if err := st.Step(); err != nil {
			b.Fatal(err)
		}
	}
	return float64(n*st.Rows) / time.Since(start).Seconds(), first
}

// BenchmarkTrainStep measures training throughput on the configured backend at batch 128:
// the HLF classifier and the particle GRU at 50 and 801 particles. GRU cases also report the
// ratio of flushing tiny gradients below 1e-30 over not flushing (the default) ("x_flush"); every case
// reports its first step (graph compilation, or ONNX Runtime's session creation, included).
// One iteration is enough for 801:
//
//	GOEXPERIMENT=simd go test -run '^$' -bench TrainStep -benchtime 1x ./pkg/train/
func BenchmarkTrainStep(b *testing.B) {
	const batch = 128
	for _, tc := range []struct {
		name   string
		cfg    models.Config
		seqLen int
	}{
		{"hlf", models.DefaultConfig(models.KindHLF), 1},
		{"gru50", models.DefaultConfig(models.KindParticle), 50},
		{"gru801", models.DefaultConfig(models.KindParticle), 801},
	} {
		b.Run(tc.name, func(b *testing.B) {
			d := SyntheticData(batch, tc.seqLen, 1)
			n := b.N
			if tc.name == "hlf" {
				n *= 50 // an HLF step takes about a millisecond
			}
			rate, first := stepRate(b, tc.cfg, d, n)
			b.ReportMetric(rate, "rows/s")
			b.ReportMetric(first.Seconds(), "first_step_s")
			if tc.cfg.UsesSequence() {
				flushed := tc.cfg
				flushed.FlushGradBelow = 1e-30
				flush, firstFlush := stepRate(b, flushed, d, n)
				b.ReportMetric(firstFlush.Seconds(), "flush_first_step_s")
				b.ReportMetric(flush, "flush_rows/s")
				b.ReportMetric(flush/rate, "x_flush")
			}
		})
	}
}
