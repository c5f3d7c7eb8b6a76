package train

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"

	"github.com/godltrigger/godltrigger/pkg/models"
	"github.com/godltrigger/godltrigger/pkg/vjp"
)

// benchBatch is a random training batch: high-level features, and sequences whose true
// lengths run from S/4 to S, zero-padded (masked) to S.
func benchBatch(cfg models.Config, batch, seqLen int) []any {
	rng := rand.New(rand.NewPCG(1, 2))
	d := Data{SeqLen: seqLen}
	for i := 0; i < batch; i++ {
		d.Labels = append(d.Labels, rng.IntN(models.NumClasses))
		for f := 0; f < models.NumHLF; f++ {
			d.HLF = append(d.HLF, float32(rng.Float64()))
		}
		length := seqLen/4 + rng.IntN(seqLen-seqLen/4+1)
		for s := 0; s < seqLen; s++ {
			for f := 0; f < models.NumFeatures; f++ {
				v := float32(0)
				if s < length {
					v = float32(rng.NormFloat64())
				}
				d.Seq = append(d.Seq, v)
			}
		}
	}
	src, err := NewMemorySource(d)
	if err != nil {
		panic(err)
	}
	for b := range src.Batches(Order{}, batch) {
		args, err := batchTensors(cfg, b, true)
		if err != nil {
			panic(err)
		}
		return args
	}
	return nil
}

// stepRate compiles a training step (with the gradient rules currently registered), runs one
// untimed step, then n timed ones, and returns the rows per second.
func stepRate(b *testing.B, cfg models.Config, args []any, batch, n int) float64 {
	b.Helper()
	ctx := context.New()
	ctx.SetParam(context.ParamInitialSeed, int64(1))
	step, err := newTrainStep(testBackend, ctx, cfg, DefaultOptions())
	if err != nil {
		b.Fatal(err)
	}
	defer step.Finalize()
	run := func() {
		out, err := step.Exec(args...)
		if err != nil {
			b.Fatal(err)
		}
		finalize(out)
	}
	run() // compile
	start := time.Now()
	for i := 0; i < n; i++ {
		run()
	}
	return float64(n*batch) / time.Since(start).Seconds()
}

// BenchmarkTrainStep measures training throughput on the configured backend at batch 128:
// the HLF classifier and the particle GRU at 50 and 801 particles. Each case runs GoMLX's
// stock gradient rules and those of package vjp in the same run and reports both rates and
// their ratio ("x_vjp"); GRU cases also report the ratio of flushing tiny gradients (the
// default) over not flushing ("x_flush"). One iteration is enough for 801:
//
//	GOMLX_BACKEND=go:parallelism=-1 go test -run '^$' -bench TrainStep -benchtime 1x ./pkg/train/
func BenchmarkTrainStep(b *testing.B) {
	defer vjp.Install()
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
			args := benchBatch(tc.cfg, batch, tc.seqLen)
			n := b.N
			if tc.name == "hlf" {
				n *= 50 // an HLF step takes about a millisecond
			}
			vjp.Uninstall()
			stock := stepRate(b, tc.cfg, args, batch, n)
			vjp.Install()
			fast := stepRate(b, tc.cfg, args, batch, n)
			b.ReportMetric(stock, "stock_rows/s")
			b.ReportMetric(fast, "vjp_rows/s")
			b.ReportMetric(fast/stock, "x_vjp")
			if tc.cfg.FlushGradBelow > 0 {
				exact := tc.cfg
				exact.FlushGradBelow = 0
				noFlush := stepRate(b, exact, args, batch, n)
				b.ReportMetric(noFlush, "noflush_rows/s")
				b.ReportMetric(fast/noFlush, "x_flush")
			}
			for _, a := range args {
				a.(*tensors.Tensor).FinalizeAll()
			}
		})
	}
}
